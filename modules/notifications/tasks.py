"""Celery tasks of the notifications module: thin wrappers around services, run in the sending town."""

from __future__ import annotations

from celery import shared_task

from core.tasks import module_task_should_run

MODULE_KEY = "notifications"


@shared_task(name="notifications.deliver", bind=True, max_retries=5, default_retry_delay=30)
def deliver(
    self,
    *,
    user_ids: list[int],
    event: str,
    title: str,
    body: str,
    url: str,
    dedupe_key: str,
    topic: str = "",
    urgent: bool = False,
) -> int:
    """Create and send one event's notifications; retried on database trouble, never twice per person."""
    if not module_task_should_run(MODULE_KEY):
        return 0
    from django.db import DatabaseError

    from modules.notifications.services import notifications_deliver

    try:
        return notifications_deliver(user_ids=user_ids, event=event, title=title, body=body, url=url,
                                     dedupe_key=dedupe_key, topic=topic, urgent=urgent)
    except DatabaseError as exc:
        raise self.retry(exc=exc) from exc


@shared_task(name="notifications.urgent_notice_deliver")
def urgent_notice_deliver(*, notice_id: int) -> int:
    """Split an urgent notice's fan-out into chunk tasks (urgent_notice_chunk), on the urgent queue too."""
    if not module_task_should_run(MODULE_KEY):
        return 0
    from modules.notifications.services import urgent_notice_deliver as deliver_notice

    return deliver_notice(notice_id=notice_id)


@shared_task(name="notifications.urgent_notice_chunk")
def urgent_notice_chunk(*, notice_id: int, user_ids: list[int]) -> int:
    """One chunk (at most BATCH_SIZE residents) of an urgent notice's fan-out; safe to run twice."""
    if not module_task_should_run(MODULE_KEY):
        return 0
    from modules.notifications.services import urgent_notice_deliver_chunk

    return urgent_notice_deliver_chunk(notice_id=notice_id, user_ids=user_ids)


@shared_task(name="notifications.announce_content")
def announce_content(*, kind: str, object_id: int, ortsgemeinde_ids: list[int]) -> int:
    """Turn published content (content_published) into notifications for the residents who opted in."""
    if not module_task_should_run(MODULE_KEY):
        return 0
    from modules.notifications.receivers import content_announce

    return content_announce(kind=kind, object_id=object_id, ortsgemeinde_ids=ortsgemeinde_ids)


@shared_task(name="notifications.release_deferred")
def release_deferred() -> int:
    """Send what quiet hours held back (beat runs it every few minutes in every town)."""
    if not module_task_should_run(MODULE_KEY):
        return 0
    from modules.notifications.services import notifications_release_deferred

    return notifications_release_deferred()


@shared_task(name="notifications.send_digests")
def send_digests() -> int:
    """Send the daily and weekly e-mail digests that are due (beat runs it hourly in every town)."""
    if not module_task_should_run(MODULE_KEY):
        return 0
    from modules.notifications.services import digests_fan_out

    return digests_fan_out()


@shared_task(name="notifications.send_digests_chunk")
def send_digests_chunk(*, user_ids: list[int]) -> int:
    """The digests of at most DIGEST_CHUNK residents (split off by send_digests); safe to run twice."""
    if not module_task_should_run(MODULE_KEY):
        return 0
    from modules.notifications.services import digests_send

    return digests_send(user_ids=user_ids)
