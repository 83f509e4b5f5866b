"""Celery tasks of Digitaler Rat & Gremien: thin wrappers around services, run per town."""

from __future__ import annotations

from celery import shared_task

from core.tasks import module_task_should_run


@shared_task(name="council.oparl_sync")
def oparl_sync() -> int:
    """Read the town's RIS over OParl (beat runs it every hour in every town with the module on).

    Does nothing when the module was switched off since the task was queued, or the town entered no
    OParl address. A failed read keeps the last good data (the back office shows why). Returns how
    many objects were stored.
    """
    if not module_task_should_run("council"):
        return 0
    from modules.council.services import oparl_sync as sync

    return sync().objects
