"""Tasks of the town app (thin: they take ids, the work is in services)."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from core.outbox import delivery_once


@shared_task(name="town.residency_decided_mail", bind=True, max_retries=8)
def residency_decided_mail(self: Any, verification_id: int) -> bool:
    """The town hall's answer to a residency request, once, retried while the mail relay refuses."""
    from town.residency_services import residency_decided_mail_send

    with delivery_once(self.request.id) as first:
        if not first:
            return False
        if not residency_decided_mail_send(verification_id=verification_id):
            raise self.retry(countdown=min(30 * 2**self.request.retries, 900))
    return True
