"""Tasks of the town app (thin: they take ids, the work is in services)."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from core.outbox import deliver_once_or_retry


@shared_task(name="town.data_export_build")
def data_export_build(export_id: int) -> bool:
    """Build a person's data archive (town.privacy_services); a second delivery finds it done."""
    from town.privacy_services import data_export_build as build

    return build(export_id=export_id) is not None


@shared_task(name="town.data_export_ready_mail", bind=True, max_retries=8)
def data_export_ready_mail(self: Any, export_id: int) -> bool:
    """The "your data is ready" mail: once, retried while the relay refuses."""
    from town.privacy_services import data_export_ready_mail_send

    return deliver_once_or_retry(self, lambda: data_export_ready_mail_send(export_id=export_id))


@shared_task(name="town.data_exports_purge")
def data_exports_purge() -> int:
    """Remove expired data archives in this town (beat fans this out to every town daily)."""
    from town.privacy_services import data_exports_purge as purge

    return purge()


@shared_task(name="town.residency_decided_mail", bind=True, max_retries=8)
def residency_decided_mail(self: Any, verification_id: int) -> bool:
    """The town hall's answer to a residency request, once, retried while the mail relay refuses."""
    from town.residency_services import residency_decided_mail_send

    return deliver_once_or_retry(self, lambda: residency_decided_mail_send(verification_id=verification_id))
