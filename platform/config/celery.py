"""Celery app. Every task carries its town's schema (tenant-schemas-celery, ISOLATION T8)."""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = CeleryApp("dorfkern", task_cls="config.celery_task:TownTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _add_module_schedules(sender, **kwargs) -> None:
    # Runs once the Django apps are loaded, so the module registry is complete.
    from core.tasks import module_beat_schedule

    sender.conf.beat_schedule = {**(sender.conf.beat_schedule or {}), **module_beat_schedule()}
