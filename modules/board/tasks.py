"""Celery tasks of the Pinnwand: thin wrappers around services, run per town."""

from __future__ import annotations

from celery import shared_task

from core.tasks import module_task_should_run

KEY = "board"


@shared_task(name="board.expire_posts")
def expire_posts() -> int:
    """Take posts past the town's lifetime off the board (beat fans it out to every town with the board on)."""
    if not module_task_should_run(KEY):
        return 0
    from modules.board.services import posts_expire

    return len(posts_expire())
