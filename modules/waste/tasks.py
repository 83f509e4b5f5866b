"""Celery tasks of the Abfallkalender: thin, run in the town's schema (tenant-schemas-celery)."""

from __future__ import annotations

from celery import shared_task

from core.tasks import module_task_should_run


@shared_task(name="waste.send_reminders")
def send_reminders() -> int:
    """The evening reminders due now in this town (fanned out by beat every five minutes)."""
    if not module_task_should_run("waste"):
        return 0
    from modules.waste.reminders import reminders_send

    return reminders_send()
