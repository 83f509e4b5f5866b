"""Celery tasks of the events module: thin wrappers around services, run per town."""

from __future__ import annotations

from celery import shared_task

from core.tasks import module_task_should_run


@shared_task(name="events.send_reminders")
def send_reminders() -> int:
    """Remind registered people of tomorrow's events (beat runs it hourly in every town; once per person)."""
    if not module_task_should_run("events"):
        return 0
    from modules.events.services import reminders_send

    return reminders_send()
