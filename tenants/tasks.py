"""Background work of the public site: provisioning a town after its signup is confirmed."""

from __future__ import annotations

from celery import shared_task

from tenants.services import town_signup_provision


@shared_task(name="tenants.tasks.town_provision", acks_late=True)
def town_provision(signup_id: str) -> str:
    """Create the town of a confirmed signup (runs in the public schema).

    Safe to deliver twice: town_signup_provision only claims a queued signup.
    """
    return town_signup_provision(signup_id=signup_id)
