"""Celery tasks of the directory: thin wrappers, run in the town's schema (tenant-schemas-celery)."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from core.tasks import module_task_should_run


@shared_task(name="directory.notify", bind=True)
def notify(self: Any, event: str, business_id: int) -> int:
    """Tell the people concerned about a step of a business application (see notifications.py)."""
    if not module_task_should_run("directory"):
        return 0
    from core.outbox import once_per_message
    from modules.directory.notifications import notify_business_event

    return once_per_message(self, lambda: notify_business_event(event=event, business_id=business_id), 0)
