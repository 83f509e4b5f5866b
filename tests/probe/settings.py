"""The test settings plus one extra feature module that lives outside modules/: the probe.

Installed the way a third-party module would be (an extra entry in the app lists), with its
own test database, so the rest of the suite never sees it.
"""

import os

from config import embedded

_base_url = os.environ.get("DATABASE_URL") or embedded.ensure_postgres("test-pg")
os.environ["DATABASE_URL"] = embedded.database_url_with_name(_base_url, "probe").replace("postgresql://", "postgres://")

from config.settings.test import *  # noqa: E402,F403

PROBE_APP = "tests.probe.probe_module"
TENANT_APPS = [*TENANT_APPS, PROBE_APP]  # noqa: F405
INSTALLED_APPS = [*INSTALLED_APPS, PROBE_APP]  # noqa: F405
