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

from .base import *  # noqa: E402,F403
