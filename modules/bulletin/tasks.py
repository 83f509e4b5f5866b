"""Tasks of the Mitteilungsblatt (thin: they take ids, the work is in services)."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from core.outbox import deliver_once_or_retry
from core.tasks import module_task_should_run


@shared_task(name="bulletin.issue_mail", bind=True, max_retries=8)
def issue_mail(self: Any, delivery_id: int) -> bool:
    """One issue to one subscriber: once, retried while the mail relay refuses."""
    from modules.bulletin.services import issue_mail_send

    if not module_task_should_run("bulletin"):
        return False  # switched off since publishing: no more mails

    return deliver_once_or_retry(self, lambda: issue_mail_send(delivery_id=delivery_id))
