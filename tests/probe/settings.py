"""The test settings plus one extra feature module that lives outside modules/: the probe.

Installed the way a third-party module would be (an extra entry in the app lists), with its
own test database, so the rest of the suite never sees it. It also has its own Redis: its session
runs alongside the main one (tests/test_probe_module.py), and its `cache.clear()` between tests or
its Celery worker must not reach the main session's cache and queues.
"""

import os
from urllib.parse import urlsplit, urlunsplit

from config import embedded

_base_url = os.environ.get("DATABASE_URL") or embedded.ensure_postgres("test-pg")
os.environ["DATABASE_URL"] = embedded.database_url_with_name(_base_url, "probe").replace("postgresql://", "postgres://")

_redis_url = os.environ.get("REDIS_URL", "")
if not _redis_url or _redis_url.startswith("/"):  # embedded (a socket path): a server of its own
    os.environ["REDIS_URL"] = embedded.ensure_redis("probe-redis")
else:  # a real Redis: its last database, which the main session (database 0 unless told) doesn't use
    _parts = urlsplit(_redis_url)
    os.environ["REDIS_URL"] = urlunsplit((_parts.scheme, _parts.netloc, "/15", _parts.query, _parts.fragment))
os.environ.pop("CELERY_BROKER_URL", None)  # the broker follows REDIS_URL: the probe's own

from config.settings.test import *  # noqa: E402,F403

PROBE_APP = "tests.probe.probe_module"
TENANT_APPS = [*TENANT_APPS, PROBE_APP]  # noqa: F405
INSTALLED_APPS = [*INSTALLED_APPS, PROBE_APP]  # noqa: F405
