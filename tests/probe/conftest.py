"""The probe's tests run only in their own session, under tests.probe.settings (see tests/test_probe_module.py)."""

from django.conf import settings

collect_ignore_glob = [] if "tests.probe.probe_module" in settings.INSTALLED_APPS else ["test_*.py"]
