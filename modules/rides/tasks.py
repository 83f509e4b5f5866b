"""Celery tasks of Mitfahren: thin, take ids, run in the town's schema (tenant-schemas-celery)."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from core.tasks import module_task_should_run


@shared_task(name="rides.send_notice_mail", bind=True)
def send_notice_mail(self: Any, user_ids: list[int], title: str, body: str, url: str) -> int:
    """A notice by e-mail, in a town without the notifications module; returns how many went out (once per message)."""
    if not module_task_should_run("rides"):
        return 0
    from core.outbox import once_per_message
    from modules.rides.mails import notice_mail_send

    return once_per_message(self, lambda: notice_mail_send(user_ids=user_ids, title=title, body=body, url=url), 0)


@shared_task(name="rides.send_relay_mail", bind=True)
def send_relay_mail(self: Any, booking_id: int, sender_id: int, recipient_id: int, text: str) -> int:
    """A message between passenger and driver by e-mail (Messages is off); no address is shown. Once per message."""
    if not module_task_should_run("rides"):
        return 0
    from core.outbox import once_per_message
    from modules.rides.mails import relay_mail_send

    return once_per_message(self, lambda: relay_mail_send(booking_id=booking_id, sender_id=sender_id,
                                                          recipient_id=recipient_id, text=text), 0)


@shared_task(name="rides.gtfs_refresh")
def gtfs_refresh() -> str:
    """Fetch the town's GTFS feed and queue its import (beat runs it nightly; the back office at once)."""
    if not module_task_should_run("rides"):
        return ""
    from modules.rides.gtfs import feed_refresh

    return feed_refresh().last_error


@shared_task(name="rides.gtfs_import_chunk")
def gtfs_import_chunk(name: str, offset: int) -> str:
    """One chunk of a feed's import (GTFS_CHUNK_ROWS rows of stop_times.txt); the last applies it."""
    if not module_task_should_run("rides"):
        return ""
    from modules.rides.gtfs import import_chunk

    return import_chunk(name, offset)
