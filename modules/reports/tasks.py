"""Celery tasks of the Mängelmelder: thin wrappers, run in the town's schema (tenant-schemas-celery)."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from core.tasks import module_task_should_run


@shared_task(name="reports.report_event", bind=True)
def report_event(self: Any, event: str, report_id: int) -> int:
    """Tell the people concerned about a report: confirmation link, status change, forwarding e-mail."""
    if not module_task_should_run("reports"):
        return 0
    from core.outbox import once_per_message
    from modules.reports.notifications import report_event_deliver

    return once_per_message(self, lambda: report_event_deliver(event=event, report_id=report_id), 0)
