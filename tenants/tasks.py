"""Background work of the public site: the signup's mail and provisioning a town after its confirmation.

Both arrive through the outbox (core.outbox), so they may be delivered twice: each is idempotent.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.conf import settings

from core.outbox import delivery_once
from tenants.services import town_signup_provision

logger = logging.getLogger(__name__)


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
    """Resume or roll back provisioning a killed worker left behind (beat, public schema); then copy the
    town template ahead for the next signups, in place of the spares they took."""
    from tenants.schema_template import template_spares_top_up
    from tenants.services import signups_recover_stale

    recovered = signups_recover_stale()
    try:
        template_spares_top_up()
    except Exception:  # spares only make signups faster: the sweep's own work is done
        logger.exception("copying the town template ahead failed")
    return recovered


@shared_task(name="tenants.town_export", time_limit=settings.CELERY_TASK_TIME_LIMIT,
             soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT)
def town_export(town_id: int) -> str:
    """Export a town into TOWN_EXPORT_ROOT for staff to download (queued by the staff page, public schema).

    Redelivery makes one more archive and keeps the newest, nothing else. A town too big to export
    within the task's time limit is exported with `manage.py town_export` (docs/operations.md).
    """
    from tenants.lifecycle import town_export_to_store
    from tenants.models import Municipality

    town = Municipality.objects.filter(pk=town_id).first()
    if town is None:
        return ""
    return str(town_export_to_store(tenant=town).path.name)


@shared_task(name="tenants.towns_leaving_purge")
def towns_leaving_purge() -> list[str]:
    """Delete the towns whose grace period after leaving is over (beat, hourly, public schema)."""
    from tenants.lifecycle import towns_leaving_purge as purge

    return purge()
