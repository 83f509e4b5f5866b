"""A resident's own data: the copy they download (GDPR Art. 15, 20) and the erasure of their account (Art. 17).

The copy is built in a task (town.data_export_build) from core.personal_data; it lies in the
town's private storage until it expires. The erasure runs every app's provider at once, in one
transaction (core.personal_data.personal_data_erase).
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from core.outbox import outbox_enqueue
from core.personal_data import personal_data_erase, personal_data_export
from core.storage import delete_files_after_commit, private_storage
from town.models import DataExport, DataExportStatus

logger = logging.getLogger(__name__)

# A request that waits longer than this is taken as lost (the worker died): the person may ask again.
PENDING_STALE_AFTER = timedelta(hours=2)


class ExportAlreadyPending(Exception):
    """The person's previous request is still being prepared."""


def data_export_request(*, user: Any) -> DataExport:
    """Ask for a fresh copy of `user`'s data; earlier copies are removed. The task builds it."""
    with transaction.atomic():
        mine = DataExport.objects.select_for_update().filter(user=user)
        if mine.filter(status=DataExportStatus.PENDING,
                       created_at__gt=timezone.now() - PENDING_STALE_AFTER).exists():
            raise ExportAlreadyPending
        data_exports_delete(mine)
        export = DataExport.objects.create(user=user)
        outbox_enqueue("town.data_export_build", args=[export.pk])
    return export


def data_exports_delete(exports: Any) -> int:
    """Delete these DataExport rows and, once committed, their archives."""
    names = [name for name in exports.values_list("file_name", flat=True) if name]
    delete_files_after_commit(private_storage(), names)
    deleted, _by_model = exports.delete()
    return int(deleted)


def data_export_build(*, export_id: int) -> DataExport | None:
    """Build the archive of a pending request, store it privately, and have the "ready" mail sent.

    None when there is nothing to do (the request was withdrawn, the account erased, or it is
    done already: a task delivered twice builds once).
    """
    export = (DataExport.objects.filter(pk=export_id, status=DataExportStatus.PENDING, user__is_active=True)
              .select_related("user").first())
    if export is None:
        return None
    storage = private_storage()
    try:
        with personal_data_export(export.user) as archive:
            name = storage.save(f"exports/{secrets.token_urlsafe(24)}.zip", File(archive))
    except Exception:
        logger.exception("data export %s failed", export_id)
        DataExport.objects.filter(pk=export_id).update(status=DataExportStatus.FAILED, finished_at=timezone.now())
        raise
    now = timezone.now()
    with transaction.atomic():
        updated = DataExport.objects.filter(pk=export_id, status=DataExportStatus.PENDING).update(
            status=DataExportStatus.READY, file_name=name, size_bytes=storage.size(name), finished_at=now,
            expires_at=now + timedelta(days=settings.DATA_EXPORT_DAYS),
        )
        if not updated:  # withdrawn or erased while it was built
            delete_files_after_commit(storage, [name])
            return None
        outbox_enqueue("town.data_export_ready_mail", args=[export_id])
    export.refresh_from_db()
    return export


def data_export_ready_mail_send(*, export_id: int) -> bool:
    """Tell the person their copy is ready. False when the mail relay refused (the task retries)."""
    from django.urls import reverse
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    from core.branding import town_url
    from core.mail import send_town_mail_or_false

    export = (DataExport.objects.filter(pk=export_id, status=DataExportStatus.READY, user__is_active=True)
              .select_related("user").first())
    if export is None or export.expires_at is None:
        return True
    return send_town_mail_or_false(
        to=export.user.email, subject=_("Your data is ready to download"), template="town/mail/data_export_ready",
        context={"name": export.user.get_short_name(), "url": town_url(reverse("town:my-data")),
                 "expires": date_format(timezone.localtime(export.expires_at), "DATETIME_FORMAT")},
    )


def data_exports_purge() -> int:
    """Remove expired copies and requests that never finished (beat, once per town and day)."""
    now = timezone.now()
    with transaction.atomic():
        return data_exports_delete(
            DataExport.objects.filter(expires_at__lt=now)
            | DataExport.objects.filter(status=DataExportStatus.FAILED, created_at__lt=now - timedelta(days=1))
            | DataExport.objects.filter(status=DataExportStatus.PENDING, created_at__lt=now - timedelta(days=1))
        )


def account_erase(*, user: Any) -> list[str]:
    """Erase the person's account and everything only theirs in this town (all or nothing)."""
    return personal_data_erase(user)


__all__ = [
    "ExportAlreadyPending",
    "account_erase",
    "data_export_build",
    "data_export_ready_mail_send",
    "data_export_request",
    "data_exports_delete",
    "data_exports_purge",
]
