"""A task for tests/core/test_timeouts.py only: loaded into a test worker with `--include`, in no settings."""

from __future__ import annotations

import time
from pathlib import Path

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded


@shared_task(name="tests.sleep_past_the_time_limit")
def sleep_past_the_time_limit(folder: str, seconds: float) -> None:
    """Record each stage in `folder`: started, the soft limit's warning, finished (if never killed)."""
    marks = Path(folder)
    (marks / "started").touch()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            time.sleep(0.1)
        except SoftTimeLimitExceeded:
            # A real task would roll back or log here; this one keeps going, so the hard limit must end it.
            (marks / "soft-limit").touch()
    (marks / "finished").touch()
