"""Django's PostgreSQL backend, with one change to how a new column gets its CHECK constraint.

Django adds a checked column (a ``PositiveIntegerField``, say) in one statement:
``ALTER TABLE … ADD COLUMN "n" integer CHECK ("n" >= 0)``. PostgreSQL names the constraint itself;
Citus refuses the statement on a distributed table ("all constraints in Citus must have explicit
names"), so that migration would stop at the first town. Here the column comes first and the check
follows as ``ADD CONSTRAINT <name> CHECK (…)``, named the way Django names the checks it adds when
altering a field. On plain PostgreSQL the result is the same column and the same check; only the
name differs, and Django finds column checks by introspection, never by name.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.postgresql import base as postgresql_base
from django.db.backends.postgresql.schema import DatabaseSchemaEditor as PostgresSchemaEditor


class DatabaseSchemaEditor(PostgresSchemaEditor):
    def add_field(self, model: Any, field: Any) -> None:
        check = field.db_parameters(connection=self.connection)["check"]
        if not check or field.many_to_many:
            super().add_field(model, field)
            return
        # Django appends `sql_check_constraint % db_params` to the column's definition: blank it for
        # this one statement, then add the check under a name.
        self.sql_check_constraint = ""
        try:
            super().add_field(model, field)
        finally:
            del self.sql_check_constraint  # back to the class's "CHECK (%(check)s)"
        # Private helpers of Django's schema editor (alter_field names its checks with them); the stubs omit them.
        name = self._create_index_name(model._meta.db_table, [field.column], suffix="_check")  # type: ignore[attr-defined]
        self.execute(self._create_check_sql(model, name, check))  # type: ignore[attr-defined]


class DatabaseWrapper(postgresql_base.DatabaseWrapper):
    SchemaEditorClass = DatabaseSchemaEditor
