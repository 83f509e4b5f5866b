from __future__ import annotations

from celery import shared_task

from core.tasks import module_task_should_run


@shared_task(name="moderation.purge_activity")
def purge_activity() -> int:
    """Forget activity counts older than two days (the limits look at one day)."""
    if not module_task_should_run("moderation"):
        return 0
    from modules.moderation.services import activities_purge

    return activities_purge()
