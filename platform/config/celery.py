"""Celery app. Every task carries its town's schema (tenant-schemas-celery, ISOLATION T8)."""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = CeleryApp("dorfkern")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
