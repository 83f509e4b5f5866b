"""Removing uploaded files together with the rows that point to them."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.db import transaction
from django_tenants.utils import schema_context

from core.tenancy import connection


def delete_files_after_commit(storage: Storage, names: Iterable[str]) -> None:
    """Delete these files from `storage` once the current transaction commits.

    Not before: a rollback would otherwise keep the row and lose its file. The media folder
    follows the schema (TenantFileSystemStorage), so the deletion runs in the schema that is
    active now, even when the commit happens outside it. Empty names are skipped.
    """
    names = [name for name in names if name]
    if not names:
        return
    schema = connection.schema_name

    def delete() -> None:
        with schema_context(schema):
            for name in names:
                storage.delete(name)

    transaction.on_commit(delete)


def private_storage() -> FileSystemStorage:
    """The current town's private files (data exports): PRIVATE_MEDIA_ROOT/<schema>/, no URL.

    Nothing here is served by /media/ or the web server; a view that checks who asks hands a file
    out (ISOLATION T7, T22). Each town has its own folder, like its public uploads.
    """
    if connection.schema_name == "public":
        raise RuntimeError("Private files belong to a town; activate the town first.")
    return FileSystemStorage(location=Path(settings.PRIVATE_MEDIA_ROOT) / connection.schema_name,
                             base_url=None, file_permissions_mode=0o600, directory_permissions_mode=0o700)


__all__ = ["delete_files_after_commit", "private_storage"]
