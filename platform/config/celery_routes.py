"""Which queue a task goes on: urgent notices on their own, everything else on the default queue.

Why a queue of their own (issue 18 §2/§5): a digest or reminder fan-out puts thousands of tasks on
the default queue; an urgent notice (a warning from the town hall, a NINA alert) queued behind them
would wait minutes. The `urgent` queue is consumed by every worker, listed first and read first
(broker transport option queue_order_strategy "priority": a free worker always takes an urgent task
before a bulk one), and in production also by a worker of its own that consumes nothing else
(docker-compose: worker-urgent): workers busy with long bulk tasks can't delay an urgent one.
"""

from __future__ import annotations

from typing import Any

URGENT_QUEUE = "urgent"
DEFAULT_QUEUE = "celery"

# Tasks that are urgent whatever their arguments.
URGENT_TASKS = frozenset({"notifications.urgent_notice_deliver", "notifications.urgent_notice_chunk"})
# Tasks that are urgent when called with urgent=True (modules/notifications' facade: notify(urgent=True)).
URGENT_WHEN_FLAGGED = frozenset({"notifications.deliver"})


def route_task(name: str, args: Any, kwargs: Any, options: Any, task: Any = None, **kw: Any) -> dict[str, str] | None:
    """Celery router (CELERY_TASK_ROUTES): the urgent queue for urgent work, else Celery's default."""
    if name in URGENT_TASKS or (name in URGENT_WHEN_FLAGGED and (kwargs or {}).get("urgent")):
        return {"queue": URGENT_QUEUE}
    return None
