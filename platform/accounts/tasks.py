"""Tasks of the accounts app (thin: they take ids, the work is in services)."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from core.outbox import deliver_once_or_retry


@shared_task(name="accounts.welcome_mail", bind=True, max_retries=8)
def welcome_mail(self: Any, user_id: int) -> bool:
    """The welcome mail after a resident confirmed their address: once, retried if the relay refuses."""
    from accounts.services import welcome_mail_send

    return deliver_once_or_retry(self, lambda: welcome_mail_send(user_id=user_id))


@shared_task(name="accounts.login_attempts_purge")
def login_attempts_purge() -> int:
    """Delete counted sign-in attempts older than every limit's window, in this task's schema.

    Beat runs it once in public (the staff's sign-ins) and through core.fan_out in every town.
    """
    from accounts.login_limits import login_attempts_purge as purge

    return purge()


@shared_task(name="accounts.address_check_mail", bind=True, max_retries=8)
def address_check_mail(self: Any, user_id: int) -> bool:
    """The "confirm your address" mail after it bounced (accounts.bounce_services): once, retried if refused."""
    from accounts.bounce_services import address_check_mail_send

    return deliver_once_or_retry(self, lambda: address_check_mail_send(user_id=user_id))
