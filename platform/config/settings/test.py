"""Tests: a real PostgreSQL and Redis, embedded unless DATABASE_URL/REDIS_URL are set."""

import os

from config import embedded

# A pytest-xdist worker ("gw0", "gw1" ...): pytest-django gives each its own test database on the one
# server; each also gets its own Redis and media folders below, so one worker's cache.clear(), Celery
# queue or removed upload folder never reaches another's.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")

if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = embedded.ensure_postgres("test-pg").replace("postgresql://", "postgres://")
if XDIST_WORKER and os.environ.get("DORFKERN_TEST_WORKER") != XDIST_WORKER:
    # The workers inherit the controller's REDIS_URL: an embedded one (a socket path) becomes a server
    # of the worker's own, a real Redis one database per worker.
    _redis_url = os.environ.get("REDIS_URL", "")
    if not _redis_url or _redis_url.startswith("/"):
        os.environ["REDIS_URL"] = embedded.ensure_redis(f"test-redis-{XDIST_WORKER}")
    else:
        from urllib.parse import urlsplit, urlunsplit

        _parts = urlsplit(_redis_url)
        _number = int(XDIST_WORKER.removeprefix("gw")) + 1
        os.environ["REDIS_URL"] = urlunsplit((_parts.scheme, _parts.netloc, f"/{_number}", _parts.query, ""))
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ["DORFKERN_TEST_WORKER"] = XDIST_WORKER  # a subprocess of the worker keeps its Redis
if "REDIS_URL" not in os.environ:
    os.environ["REDIS_URL"] = embedded.ensure_redis("test-redis")
os.environ.setdefault("SITE_SCHEME", "http")
# The suite shares two busy cores: a slow reply from its Redis must not trip the cache's circuit
# breaker (tests asserting a cache hit would then see misses). tests/core/test_degraded_cache.py
# sets the production timeouts (0.25/0.5 s) on its own servers.
os.environ.setdefault("CACHE_CONNECT_TIMEOUT_SECONDS", "5")
os.environ.setdefault("CACHE_TIMEOUT_SECONDS", "5")
# The same for the scrape's reads of the broker and the outbox (core.metrics): a busy machine must
# not make a test's scrape report them as down.
os.environ.setdefault("METRICS_SCRAPE_TIMEOUT_SECONDS", "5")

from .base import *  # noqa: E402,F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
_WORKER_SUFFIX = f"-{XDIST_WORKER}" if XDIST_WORKER else ""
MEDIA_ROOT = str(embedded.STATE_DIR / f"test-media{_WORKER_SUFFIX}")
PRIVATE_MEDIA_ROOT = str(embedded.STATE_DIR / f"test-private{_WORKER_SUFFIX}")
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_AUTOREFRESH = True
# Tests never reach the internet: a tile request fails at once (port 9, nothing listens) unless a
# test points MAP_TILE_URL at its local tile stub (tests/core/test_map_tiles.py).
MAP_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
# Limits no ordinary test reaches (schemathesis sends thousands of calls per town); the tests of the
# limits themselves lower them with override_settings.
REST_FRAMEWORK = {  # noqa: F405
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min", "token_failure": "100000/hour"},
}
STRIPE_WEBHOOK_RATE = "100000/min"
WRITE_LIMITS_PER_HOUR = {scope: 10000 for scope in WRITE_LIMITS_PER_HOUR}  # noqa: F405
# Tests never ask a real name server: the custom-domain tests start their own (tests/tenants/helpers.py).
CUSTOM_DOMAIN_DNS_RESOLVERS = ["127.0.0.1:9"]
CUSTOM_DOMAIN_CHECK_TIMEOUT_SECONDS = 2.0
TOWN_EXPORT_ROOT = str(embedded.STATE_DIR / f"test-town-exports{_WORKER_SUFFIX}")
BACKUP_ROOT = str(embedded.STATE_DIR / f"backups{_WORKER_SUFFIX}") if XDIST_WORKER else BACKUP_ROOT  # noqa: F405
