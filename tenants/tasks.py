"""Background work of the public site: the signup's mail and provisioning a town after its confirmation.

Both arrive through the outbox (core.outbox), so they may be delivered twice: each is idempotent.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task

from core.outbox import delivery_once
from tenants.services import town_signup_provision


@shared_task(name="tenants.tasks.town_provision", acks_late=True)
def town_provision(signup_id: str) -> str:
    """Create the town of a confirmed signup (runs in the public schema).

    Safe to deliver twice: town_signup_provision only claims a queued signup.
    """
    return town_signup_provision(signup_id=signup_id)


@shared_task(name="tenants.signup_confirmation_mail", bind=True, max_retries=8)
def signup_confirmation_mail(self: Any, signup_id: str) -> bool:
    """Mail a signup's confirmation link once; a refusing mail relay is tried again with backoff."""
    from tenants.models import SignupStatus
    from tenants.selectors import signup_get
    from tenants.services import signup_confirmation_send

    with delivery_once(self.request.id) as first:
        signup = signup_get(signup_id)
        if not first or signup is None or signup.status != SignupStatus.AWAITING_CONFIRMATION:
            return False
        if not signup_confirmation_send(signup=signup):
            raise self.retry(countdown=min(30 * 2**self.request.retries, 900))
    return True


@shared_task(name="tenants.provisioning_recover")
def provisioning_recover() -> int:
    """Resume or roll back provisioning a killed worker left behind (beat, public schema)."""
    from tenants.services import signups_recover_stale

    return signups_recover_stale()
