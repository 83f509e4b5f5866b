"""Celery tasks of Mitfahren: thin, take ids, run in the town's schema (tenant-schemas-celery)."""

from __future__ import annotations

from celery import shared_task

from core.tasks import module_task_should_run


@shared_task(name="rides.send_notice_mail")
def send_notice_mail(user_ids: list[int], title: str, body: str, url: str) -> int:
    """A notice by e-mail, in a town without the notifications module; returns how many went out."""
    if not module_task_should_run("rides"):
        return 0
    from modules.rides.mails import notice_mail_send

    return notice_mail_send(user_ids=user_ids, title=title, body=body, url=url)


@shared_task(name="rides.send_relay_mail")
def send_relay_mail(booking_id: int, sender_id: int, recipient_id: int, text: str) -> int:
    """A message between passenger and driver by e-mail (Messages is off); no address is shown."""
    if not module_task_should_run("rides"):
        return 0
    from modules.rides.mails import relay_mail_send

    return relay_mail_send(booking_id=booking_id, sender_id=sender_id, recipient_id=recipient_id, text=text)


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
