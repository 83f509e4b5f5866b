"""Celery tasks of the services module: thin wrappers around services, run per town."""

from __future__ import annotations

from celery import shared_task

from core.tasks import module_task_should_run


@shared_task(name="services.expire_found_items")
def expire_found_items() -> int:
    """Hide found items whose listing period ran out (beat runs it hourly in every town with the module on)."""
    if not module_task_should_run("services"):
        return 0
    from modules.services.services import found_items_expire

    return found_items_expire()
