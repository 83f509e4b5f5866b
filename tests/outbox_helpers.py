"""Run the outbox's unsent rows in the test process, as a worker would (tests/fixtures_celery for a real one).

Non-transactional tests never fire on_commit callbacks, so a row written by core.outbox stays unsent;
`outbox_run_pending()` runs each task locally in the schema the row names and marks the row sent.
"""

from __future__ import annotations

from typing import Any

from celery import current_app
from django.utils import timezone


def outbox_run_pending(task_name: str | None = None, *, sent_too: bool = False) -> list[Any]:
    """Run every unsent outbox row (of `task_name`, if given) in creation order; returns their results.

    `sent_too`: also rows already handed to the (worker-less) test broker whose work isn't recorded as
    done (core.outbox.delivery_once), e.g. after django_capture_on_commit_callbacks(execute=True).
    """
    from core.models import OutboxMessage
    from core.tenancy import connection

    schema = connection.schema_name
    tenant = getattr(connection, "tenant", None)
    rows = OutboxMessage.objects.filter(done_at__isnull=True) if sent_too else OutboxMessage.objects.filter(
        sent_at__isnull=True
    )
    rows = rows.order_by("created_at")
    if task_name:
        rows = rows.filter(task_name=task_name)
    results = []
    current_app.loader.import_default_modules()  # the tasks modules (autodiscovery), as a worker does
    for row in list(rows):
        if row.sent_at is None:
            OutboxMessage.objects.filter(pk=row.pk).update(sent_at=timezone.now(), attempts=row.attempts + 1)
        result = current_app.tasks[row.task_name].apply(
            args=row.args, kwargs=row.kwargs, task_id=str(row.pk), headers={"_schema_name": row.schema_name},
            throw=True,
        )
        results.append(result.result)
    # The task's schema switch is undone by tenant-schemas-celery; be sure the caller's schema is back.
    if connection.schema_name != schema:
        if tenant is not None and getattr(tenant, "schema_name", None) == schema:
            connection.set_tenant(tenant)
        else:
            connection.set_schema(schema)
    return results


def outbox_recorder(monkeypatch: Any, task_name: str, *, positional: bool = False) -> list[Any]:
    """Record the arguments of every `task_name` row code puts in the outbox ({"args": [...], "kwargs": {...}},
    or with `positional` just the tuple of positional arguments).

    The rows are still written (and, with the celery_eager fixture, run at commit). Works for code that
    imports outbox_enqueue where it calls it (`from core.outbox import outbox_enqueue` in the function).
    """
    from core import outbox

    calls: list[Any] = []
    enqueue = outbox.outbox_enqueue

    def record(name: str, **options: Any) -> Any:
        if name == task_name:
            args = list(options.get("args") or ())
            calls.append(tuple(args) if positional else {"args": args, "kwargs": dict(options.get("kwargs") or {})})
        return enqueue(name, **options)

    monkeypatch.setattr(outbox, "outbox_enqueue", record)
    return calls


def outbox_sends(callbacks: list[Any]) -> list[Any]:
    """The outbox's hand-overs to the broker among captured on-commit callbacks.

    Other code also acts after commit (core.page_cache forgets cached pages when data changes), so a
    test that counts queued tasks counts only these.
    """
    return [callback for callback in callbacks if callback.__qualname__.startswith("outbox_enqueue.")]
