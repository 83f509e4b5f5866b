"""Tasks of the accounts app (thin: they take ids, the work is in services)."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from core.outbox import delivery_once


@shared_task(name="accounts.welcome_mail", bind=True, max_retries=8)
def welcome_mail(self: Any, user_id: int) -> bool:
    """The welcome mail after a resident confirmed their address: once, retried if the relay refuses."""
    from accounts.services import welcome_mail_send

    with delivery_once(self.request.id) as first:
        if not first:
            return False
        if not welcome_mail_send(user_id=user_id):
            raise self.retry(countdown=min(30 * 2**self.request.retries, 900))
    return True
