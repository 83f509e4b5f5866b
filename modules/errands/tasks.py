"""Celery tasks of the Mitbringdienst: thin, take ids, run in the town's schema (tenant-schemas-celery)."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from core.tasks import module_task_should_run


@shared_task(name="errands.send_step_mail", bind=True)
def send_step_mail(self: Any, errand_id: int, step: str, recipient_id: int, actor_id: int | None, ref: str = "") -> int:
    """Tell one person about one step (a notification, or the mail); 0 when the module is off or the request gone.

    `ref` tells this step apart from an earlier one of the same kind, so a second run notifies nobody again.
    """
    if not module_task_should_run("errands"):
        return 0
    from core.outbox import once_per_message
    from modules.errands.mails import step_mail_send

    return once_per_message(self, lambda: step_mail_send(errand_id=errand_id, step=step, recipient_id=recipient_id,
                                                         actor_id=actor_id, ref=ref), 0)


@shared_task(name="errands.send_report_mail", bind=True)
def send_report_mail(self: Any, report_id: int) -> int:
    """Tell every moderator of the town about a report (a notification each, or a mail each)."""
    if not module_task_should_run("errands"):
        return 0
    from core.outbox import once_per_message
    from modules.errands.mails import report_mail_send

    return once_per_message(self, lambda: report_mail_send(report_id=report_id), 0)
