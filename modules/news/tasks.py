"""Celery tasks of the news module: thin wrappers around services, run per town."""

from __future__ import annotations

from celery import shared_task

from core.tasks import module_task_should_run


@shared_task(name="news.publish_due")
def publish_due() -> int:
    """Publish the scheduled articles whose time has come (beat runs it every minute in every town).

    Does nothing when the town switched news off since the task was queued.
    """
    if not module_task_should_run("news"):
        return 0
    from modules.news.services import article_publish_due

    return len(article_publish_due())
