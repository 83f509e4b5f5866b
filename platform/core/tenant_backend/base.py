"""django-tenants' PostgreSQL backend, remembering which search_path the connection really has.

With TENANT_LIMIT_SET_CALLS django-tenants sends one `SET search_path` and then trusts it, until the
schema is switched: every `set_tenant()` / `schema_context()` forgets it, even when it switches to the
path the connection already has. A town's request reads a few things from the public schema's cache
(the host lookup, the town's modules) under `schema_context("public")` without running a statement
there, and switching back cost one more SET round trip each time: 3 SETs on a resident's page.

Here the path last set on the connection is kept next to django-tenants' own flag and forgotten
exactly where that flag is forgotten for good reason (close, rollback and savepoint rollback, which
undo or lose a SET) and on every new connection; a switch to the path the connection already has
then needs no SET. Only django-tenants may set the path: code that sends `SET search_path` itself must
use `SET LOCAL` / `set_config(…, true)` and restore it, as tenants/schema_template.py does.
"""

from __future__ import annotations

from typing import Any

from django_tenants.postgresql_backend import base as tenants_base
from django_tenants.utils import get_limit_set_calls


class DatabaseWrapper(tenants_base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._path_on_connection: list[str] | None = None
        super().__init__(*args, **kwargs)

    def set_tenant(self, tenant: Any, include_public: bool = True) -> None:
        super().set_tenant(tenant, include_public)
        if get_limit_set_calls() and self._path_on_connection is not None and (
                self._get_cursor_search_paths() == self._path_on_connection):
            self.search_path_set_schemas = self._path_on_connection

    def _handle_search_path(self, cursor: Any = None) -> None:
        super()._handle_search_path(cursor)
        if not self._setting_search_path:
            self._path_on_connection = self.search_path_set_schemas

    def connect(self) -> None:
        # A new database session starts with the server's default path, whatever happened before.
        self._path_on_connection = None
        self.search_path_set_schemas = None
        super().connect()

    def close(self) -> None:
        self._path_on_connection = None
        super().close()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._path_on_connection = None

    def savepoint_rollback(self, sid: Any) -> None:
        # After the rollback, as django-tenants clears its flag: getting the cursor for it may SET the
        # path, which the rollback then undoes.
        try:
            super().savepoint_rollback(sid)
        finally:
            self._path_on_connection = None
