"""Celery tasks of the marketplace: thin wrappers around services, run per town."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from core.tasks import module_task_should_run

KEY = "marketplace"


@shared_task(name="marketplace.expire_listings")
def expire_listings() -> int:
    """Hide listings whose time is up and mail their owners a renewal link (beat runs it in every town)."""
    if not module_task_should_run(KEY):
        return 0
    from modules.marketplace.services import listings_expire

    return len(listings_expire())


@shared_task(name="marketplace.notify_saved_searches")
def notify_saved_searches(listing_id: int) -> int:
    """Mail the people whose saved searches match a newly published listing (once per search and listing)."""
    if not module_task_should_run(KEY):
        return 0
    from modules.marketplace.services import saved_searches_notify

    return saved_searches_notify(listing_id=listing_id)


@shared_task(name="marketplace.send_user_mail", bind=True, max_retries=6)
def send_user_mail(
    self: Any,
    *,
    user_id: int,
    subject: str,
    template: str,
    context: dict[str, Any],
    relay: bool = False,
    dedupe_key: str = "",
    url: str = "",
    topic: str = "",
) -> int:
    """Tell one person about their listing or a match: a notification, or the e-mail (see notifications.py).

    Once per outbox message (a redelivered task sends nothing twice); retried while the relay refuses.
    """
    if not module_task_should_run(KEY):
        return 0
    from accounts.models import User
    from core.outbox import deliver_once_or_retry
    from modules.marketplace.notifications import user_notice_send

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    return int(deliver_once_or_retry(self, lambda: bool(user_notice_send(
        user=user, subject=subject, template=template, context=context, relay=relay, dedupe_key=dedupe_key, url=url,
        topic=topic))))
