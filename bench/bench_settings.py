"""Settings for bench/migrations.py: the test settings plus the bench-only tenant app `benchapp`."""

from config.settings.test import *  # noqa: F403
from config.settings.test import INSTALLED_APPS, TENANT_APPS

TENANT_APPS = [*TENANT_APPS, "benchapp"]
INSTALLED_APPS = [*INSTALLED_APPS, "benchapp"]
