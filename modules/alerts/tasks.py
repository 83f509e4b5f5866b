"""Celery tasks of the alerts module: thin wrappers around services, run per town."""

from __future__ import annotations

from celery import shared_task

from core.tasks import module_task_should_run


@shared_task(name="alerts.poll_nina")
def poll_nina() -> int:
    """Read NINA for the town's county (beat runs it every two minutes in every town with alerts on).

    Does nothing when the module was switched off since the task was queued, or the town set no ARS.
    Returns how many warnings were announced to residents.
    """
    if not module_task_should_run("alerts"):
        return 0
    from modules.alerts.services import warnings_poll

    return warnings_poll().announced
