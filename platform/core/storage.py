"""Removing uploaded files together with the rows that point to them."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.files.storage import Storage
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


__all__ = ["delete_files_after_commit"]
