"""Celery tasks of the services module: thin wrappers around services, run per town."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from core.tasks import module_task_should_run


@shared_task(name="services.expire_found_items")
def expire_found_items() -> int:
    """Hide found items whose listing period ran out (beat runs it hourly in every town with the module on)."""
    if not module_task_should_run("services"):
        return 0
    from modules.services.services import found_items_expire

    return found_items_expire()


@shared_task(name="services.found_item_claim_mail", bind=True, max_retries=6)
def found_item_claim_mail(self: Any, claim_id: int) -> bool:
    """Mail a Fundbüro claim to the office, once per outbox message; retried while the mail relay refuses."""
    if not module_task_should_run("services"):
        return False
    from core.outbox import deliver_once_or_retry
    from modules.services.services import found_item_claim_mail_send

    return deliver_once_or_retry(self, lambda: found_item_claim_mail_send(claim_id=claim_id))
