"""Celery tasks of the Mängelmelder: thin wrappers, run in the town's schema (tenant-schemas-celery)."""

from __future__ import annotations

from celery import shared_task

from core.tasks import module_task_should_run


@shared_task(name="reports.report_event")
def report_event(event: str, report_id: int) -> int:
    """Tell the people concerned about a report: confirmation link, status change, forwarding e-mail."""
    if not module_task_should_run("reports"):
        return 0
    from modules.reports.notifications import report_event_deliver

    return report_event_deliver(event=event, report_id=report_id)
