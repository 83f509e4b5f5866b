"""Transactional outbox: a task to run is a row, committed with the change that calls for it.

Why: `transaction.on_commit(lambda: task.delay(...))` loses the task when the broker is down at that
moment (issue 18 §2: a signup confirmed during a Redis outage stayed `queued` for ever, a dunning
mail vanished after the webhook had been marked processed). Here the row is written inside the
caller's transaction; it commits or rolls back with the change. After the commit a dispatcher
publishes it to Celery and marks it sent; if the broker refuses, the row stays unsent, its next
attempt is pushed back (exponential backoff) and the periodic sweeper (`core.outbox_sweep`, beat)
sends it once the broker is back. Nobody has to press anything.

Where the row lives: ONE table in the public schema (core is a shared app, never a town app).
- A town's request runs with search_path "t_<town>, public", so the INSERT reaches the public table
  on the same connection and in the same transaction as the town's own writes: atomic either way.
- The sweeper finds every stuck row with one indexed query, instead of visiting a thousand schemas
  every half minute (a per-schema table would need a fan-out just to look, and a half-made or
  deleted town's schema could hide rows).
- Each row names the schema its task runs in (`schema_name`); the dispatcher sends that as the
  `_schema_name` header tenant-schemas-celery switches on, exactly as a direct `.delay()` from the
  town would (ISOLATION T8). The row holds ids and small arguments, mostly no town content; where a
  task's arguments carry personal content (an address, a relayed message: core.mail.town_mail_enqueue)
  they are cleared as soon as the task records its work done (delivery_once), and sent rows are
  deleted after OUTBOX_KEEP_SENT_DAYS.

Delivery is at least once (a worker may die after sending, a dispatcher after publishing but before
marking the row): the task id is the row id, and tasks whose work must not repeat wrap it in
`delivery_once(self.request.id)`, which locks the row and records that the work is done.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.models import OutboxMessage
from core.tenancy import connection

logger = logging.getLogger(__name__)

T = TypeVar("T")


def outbox_enqueue(
    task_name: str,
    *,
    args: Sequence[Any] = (),
    kwargs: dict[str, Any] | None = None,
    schema_name: str | None = None,
    queue: str = "",
) -> OutboxMessage:
    """Record `task_name(*args, **kwargs)` to run in `schema_name` (default: the current schema).

    Call it inside the transaction that makes the change: the row commits with it, and is published
    right after the commit (or, if the broker is away then, by the sweeper later).
    """
    message = OutboxMessage.objects.create(
        task_name=task_name,
        args=list(args),
        kwargs=dict(kwargs or {}),
        schema_name=schema_name or connection.schema_name,
        queue=queue,
    )
    message_id = message.pk
    transaction.on_commit(lambda: outbox_dispatch_safely([message_id]))
    return message


def retry_delay(attempts: int) -> timedelta:
    """How long an unsent row waits after its `attempts`-th failed send: 5 s, 10 s, 20 s … at most 5 min."""
    base = settings.OUTBOX_RETRY_BASE_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), settings.OUTBOX_RETRY_MAX_SECONDS))


def outbox_dispatch_safely(message_ids: Iterable[uuid.UUID]) -> int:
    """outbox_dispatch for on_commit callbacks: a broker or database failure never reaches the request."""
    try:
        return outbox_dispatch(message_ids)
    except Exception:  # noqa: BLE001 - the row stays unsent; the sweeper sends it later
        logger.exception("outbox: dispatch after commit failed; the sweeper will send it")
        return 0


def outbox_dispatch(message_ids: Iterable[uuid.UUID]) -> int:
    """Publish these unsent rows to the broker and mark them sent; returns how many were sent.

    Each row is locked (SKIP LOCKED) while it is published, so the after-commit dispatch and a
    sweeper running at the same moment never both send it.
    """
    from celery import current_app as app

    if app.conf.task_always_eager:
        return _run_eagerly(message_ids)
    # No schema switch: the table exists only in public, which every town's search_path includes.
    sent = 0
    for message_id in message_ids:
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(pk=message_id, sent_at__isnull=True)
                .first()
            )
            if message is None:
                continue
            message.attempts += 1
            try:
                # No queue named: the task routes (CELERY_TASK_ROUTES) decide, as for .delay().
                options: dict[str, Any] = {"queue": message.queue} if message.queue else {}
                app.send_task(
                    message.task_name,
                    args=message.args,
                    kwargs=message.kwargs,
                    task_id=str(message.pk),
                    headers={"_schema_name": message.schema_name},
                    retry=False,  # fail at once; the backoff below is the retry
                    **options,
                )
            except Exception as exc:  # noqa: BLE001 - any publish failure: try again later
                message.available_at = timezone.now() + retry_delay(message.attempts)
                message.last_error = f"{type(exc).__name__}: {exc}"[:1000]
                message.save(update_fields=["attempts", "available_at", "last_error"])
                logger.warning("outbox: %s (%s) not sent, attempt %s: %s", message.task_name, message.pk,
                               message.attempts, exc)
                continue
            message.sent_at = timezone.now()
            message.save(update_fields=["attempts", "sent_at"])
            sent += 1
    return sent


def _run_eagerly(message_ids: Iterable[uuid.UUID]) -> int:
    """task_always_eager (tests that ask for it): run each row's task here and now, as .delay() would.

    send_task ignores eager mode; without this, code moved from .delay() to the outbox would stop
    running its tasks in those tests. The row is marked sent first, so the task's delivery_once
    finds it, exactly as with a worker.
    """
    from celery import current_app as app

    app.loader.import_default_modules()  # the tasks modules (autodiscovery), as a worker loads them
    ran = 0
    for message_id in message_ids:
        claimed = OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=True).update(
            sent_at=timezone.now(), attempts=1)
        if not claimed:
            continue
        message = OutboxMessage.objects.get(pk=message_id)
        app.tasks[message.task_name].apply(args=message.args, kwargs=message.kwargs, task_id=str(message.pk),
                                           headers={"_schema_name": message.schema_name})
        ran += 1
    return ran


def outbox_sweep(*, limit: int = 500) -> int:
    """Send rows still unsent whose time has come (beat runs this every OUTBOX_SWEEP_SECONDS)."""
    due = list(
        OutboxMessage.objects.filter(sent_at__isnull=True, available_at__lte=timezone.now())
        .order_by("available_at")
        .values_list("pk", flat=True)[:limit]
    )
    sent = outbox_dispatch(due) if due else 0
    # Sent rows are kept a while for operators (and for delivery_once), then removed.
    OutboxMessage.objects.filter(
        sent_at__lt=timezone.now() - timedelta(days=settings.OUTBOX_KEEP_SENT_DAYS)
    ).delete()
    return sent


def outbox_pending_count() -> int:
    """Rows not yet handed to the broker (for /readyz, metrics and the runbook)."""
    return OutboxMessage.objects.filter(sent_at__isnull=True).count()


@contextmanager
def delivery_once(task_id: str | None) -> Iterator[bool]:
    """Inside a task: yields False when this outbox message's work was already done.

        with delivery_once(self.request.id) as first:
            if first:
                send_the_mail()

    The row stays locked while the work runs, so two deliveries running at once do it once; the
    work is recorded as done only when the block ends without an exception (a failure is retried).
    A task that wasn't sent through the outbox (no row with its id) always runs.
    """
    try:
        message_id = uuid.UUID(str(task_id))
    except ValueError:
        yield True
        return
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            yield True
            return
        if message.done_at is not None:
            logger.info("outbox: %s (%s) already done; duplicate delivery ignored", message.task_name, message.pk)
            yield False
            return
        yield True
        # Done: the arguments are no longer needed (a redelivery finds done_at and stops) and may hold
        # personal content (an address, a relayed message); they don't wait a week in the public table.
        OutboxMessage.objects.filter(pk=message_id).update(done_at=timezone.now(), args=[], kwargs={})


def deliver_once_or_retry(task: Any, send: Callable[[], bool]) -> bool:
    """The body of a bound mail task sent through the outbox: ``send()`` once per outbox message.

    ``send`` returns False when the mail relay refused; the task is then retried, 30 s doubling to at
    most 15 minutes, up to the task's ``max_retries``. False when this message was delivered already.
    """
    with delivery_once(task.request.id) as first:
        if not first:
            return False
        if not send():
            raise task.retry(countdown=min(30 * 2**task.request.retries, 900))
    return True


def once_per_message(task: Any, work: Callable[[], T], nothing: T) -> T:
    """The body of a bound task sent through the outbox: ``work()`` once per outbox message.

    A redelivered message (a lost worker, a dispatcher that died before marking the row sent) returns
    `nothing` instead of doing the work again. For mails that should retry while the relay refuses,
    use deliver_once_or_retry.
    """
    with delivery_once(task.request.id) as first:
        return work() if first else nothing
