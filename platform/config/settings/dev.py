"""Local development: embedded PostgreSQL/Redis unless DATABASE_URL/REDIS_URL say otherwise."""

import os

from config import embedded

if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = embedded.ensure_postgres("pg").replace("postgresql://", "postgres://")
if "REDIS_URL" not in os.environ:
    os.environ["REDIS_URL"] = embedded.ensure_redis("redis")

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SITE_SCHEME", "http")
os.environ.setdefault("SITE_PORT", "8000")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
# runserver prints its own line per request; Django's access log (core.metrics) would double it.
os.environ.setdefault("ACCESS_LOG_LEVEL", "WARNING")

from .base import *  # noqa: E402,F403

# `dorfkern.py run` sets DEBUG=false so the dev server shows the project's own 404/500 pages, as a
# town would see them (tracebacks still reach the terminal through LOGGING's console handler).
# Without DEBUG, runserver no longer serves static files: WhiteNoise does, straight from the apps'
# static folders (no collectstatic), picking up edited files on the next request.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
