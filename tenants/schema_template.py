"""The template schema new towns are cloned from.

Migrating a new town's schema from scratch replays every migration of every town app (Django renders
the migration state for each one: seconds per town, growing with each module). A schema migrated once
holds no town content (only Django's bookkeeping, checked by a test), so its copy is the same schema:
:func:`_schema_copy` copies tables, indexes, constraints, sequences, triggers, functions and rows (the
``django_migrations`` records and content types included) in well under a second.

Why not django-tenants' ``CloneSchema``: measured on this schema, its copy differed from the
migrated one: every named UNIQUE constraint came out renamed (``groups_one_membership_per_user``
became ``groups_membership_group_id_user_id_key``, so a later ``RemoveConstraint`` would fail on
every cloned town) and integer identity sequences became bigint. Here PostgreSQL itself deparses each
object (``pg_get_constraintdef``, ``pg_get_indexdef`` …) with the template alone on the search path,
so the definitions come out unqualified and are replayed, names and all, inside the new schema.
tests/tenants/test_schema_template.py compares the two catalogue by catalogue.

The template is an ordinary PostgreSQL schema that no ``Municipality`` row names, so nothing routes to
it and no fan-out reaches it. Its name can't collide with a town's (those all start with ``t_``).

A copy is only as good as the template: a template that is missing migrations would hand new towns
an old schema with new migrations marked as applied. So cloning happens only after
:func:`template_schema_ensure_current` has compared the template's applied migrations with the code's
(under an advisory lock, so two provisionings don't migrate it at once); the deploy step migrates it
together with the towns (``manage.py town_template``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.migrations.executor import MigrationExecutor
from django_tenants.utils import schema_context, schema_exists

from core.tenancy import connection

logger = logging.getLogger(__name__)

# pg_advisory_lock key: "dorfkern template" in the first 8 bytes; any constant shared by all processes.
_LOCK_KEY = 0x646F_726B_7470_6C00


def template_schema_name() -> str:
    return settings.TOWN_TEMPLATE_SCHEMA


def template_schema_pending_migrations() -> list[str]:
    """Migrations the template lacks, as ``app.name``; every migration if the template doesn't exist."""
    name = template_schema_name()
    with schema_context(name):
        executor = MigrationExecutor(connection)
        if not schema_exists(name):
            return [f"{app}.{migration}" for app, migration in executor.loader.graph.leaf_nodes()]
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


@contextmanager
def _template_locked() -> Iterator[None]:
    """One process at a time migrates or copies the template (a copy must not see half a migration)."""
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [_LOCK_KEY])
    try:
        yield
    finally:
        connection.set_schema_to_public()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_LOCK_KEY])


def _migrate_template_if_behind() -> bool:
    pending = template_schema_pending_migrations()
    if not pending:
        return False
    name = template_schema_name()
    started = time.perf_counter()
    connection.set_schema_to_public()
    if not schema_exists(name):
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{name}"')
    call_command("migrate_schemas", tenant=True, schema_name=name, interactive=False, verbosity=0)
    logger.info("town template %s migrated (%d migrations) in %.1f s",
                name, len(pending), time.perf_counter() - started)
    return True


def template_schema_ensure_current() -> bool:
    """Create or migrate the template if it lacks any migration; True if it had to.

    Safe to call from several processes at once: the second waits for the first and then finds the
    template current.
    """
    with _template_locked():
        return _migrate_template_if_behind()


def template_schema_clone(schema_name: str) -> None:
    """Create ``schema_name`` as a copy of the template, brought up to date first if it is behind."""
    with _template_locked():
        _migrate_template_if_behind()
        _schema_copy(template_schema_name(), schema_name)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _schema_copy(source: str, target: str) -> None:
    """Create schema ``target`` with the structure and rows of ``source``, in one transaction."""
    script = [f"CREATE SCHEMA {_quote(target)}", f"SET LOCAL search_path TO {_quote(target)}"]
    src = _quote(source)
    with transaction.atomic(), connection.cursor() as cursor:
        # Deparsed with only the template on the search path, so references to its own tables come out
        # unqualified. Index and trigger definitions name their table qualified all the same (unless
        # deparsed "pretty", which also rewrites a partial index's WHERE into a different but
        # equivalent tree): that one prefix is cut off below.
        cursor.execute("SELECT current_setting('search_path'), quote_ident(%s) || '.',"
                       " set_config('search_path', %s, true)", [source, src])
        search_path, qualified, _ = cursor.fetchone()
        cursor.execute(
            "SELECT c.oid, c.relname FROM pg_class c WHERE c.relnamespace = %s::regnamespace"
            " AND c.relkind IN ('r', 'p') ORDER BY c.relname", [src])
        tables = cursor.fetchall()
        for _oid, table in tables:
            script.append(
                f"CREATE TABLE {_quote(table)} (LIKE {src}.{_quote(table)} INCLUDING DEFAULTS"
                " INCLUDING IDENTITY INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION)"
            )
        cursor.execute(
            "SELECT pg_get_functiondef(p.oid) FROM pg_proc p WHERE p.pronamespace = %s::regnamespace"
            " ORDER BY p.proname", [src])
        for (definition,) in cursor.fetchall():
            # The one name pg_get_functiondef always qualifies is the function's own.
            script.append(definition.replace(f"FUNCTION {src}.", f"FUNCTION {_quote(target)}.", 1)
                          .replace(f"FUNCTION {source}.", f"FUNCTION {_quote(target)}.", 1))

        # Rows (migration records, content types, permissions) before any foreign key exists.
        with_rows: list[int] = []
        if tables:
            cursor.execute(" UNION ALL ".join(
                f"(SELECT {oid}::oid FROM {src}.{_quote(table)} LIMIT 1)" for oid, table in tables))
            with_rows = [row[0] for row in cursor.fetchall()]
        if with_rows:
            cursor.execute(
                "SELECT attrelid, string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute"
                " WHERE attrelid = ANY(%s) AND attnum > 0 AND NOT attisdropped AND attgenerated = ''"
                " GROUP BY attrelid", [with_rows])
            for oid, columns in cursor.fetchall():
                table = _quote(next(name for table_oid, name in tables if table_oid == oid))
                script.append(f"INSERT INTO {table} ({columns}) OVERRIDING SYSTEM VALUE"
                              f" SELECT {columns} FROM {src}.{table}")
        cursor.execute("SELECT sequencename, data_type::text, last_value FROM pg_sequences WHERE schemaname = %s",
                       [source])
        sequences = cursor.fetchall()
        # Citus refuses ALTER SEQUENCE on a distributed table's sequence: there an integer identity
        # column keeps the bigint sequence LIKE gave it (it still stops at the column's own limit).
        cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus')")
        citus = cursor.fetchone()[0]
        for sequence, data_type, last_value in sequences:
            if data_type != "bigint" and not citus:  # LIKE … INCLUDING IDENTITY makes every identity sequence bigint
                script.append(f"ALTER SEQUENCE {_quote(sequence)} AS {data_type}")
            if last_value is not None:
                script.append(f"SELECT setval('{_quote(sequence)}', {int(last_value)}, true)")

        # Keys and unique constraints first: foreign keys need the index they point at.
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE connamespace = %s::regnamespace AND contype IN ('p', 'u', 'x', 'c', 'f')"
            " ORDER BY CASE contype WHEN 'f' THEN 2 WHEN 'c' THEN 1 ELSE 0 END, conname", [src])
        for table, name, definition in cursor.fetchall():
            script.append(f"ALTER TABLE {table} ADD CONSTRAINT {_quote(name)} {definition}")
        cursor.execute(
            "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
            " WHERE c.relnamespace = %s::regnamespace AND NOT EXISTS (SELECT 1 FROM pg_constraint k"
            "   WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))"
            " ORDER BY c.relname", [src])
        script.extend(definition.replace(f" ON {qualified}", " ON ", 1) for (definition,) in cursor.fetchall())
        cursor.execute(
            "SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE c.relnamespace = %s::regnamespace AND NOT t.tgisinternal ORDER BY t.tgname", [src])
        script.extend(definition.replace(f" ON {qualified}", " ON ", 1) for (definition,) in cursor.fetchall())

        # Back to the connection's own search path: inside an outer transaction a SET LOCAL would
        # otherwise outlive this block.
        script.append(f"SELECT set_config('search_path', '{search_path.replace(chr(39), chr(39) * 2)}', true)")
        if citus:
            # Citus forwards each DDL to the worker holding the new schema and refuses a string of several.
            for statement in script:
                cursor.execute(statement)
        else:
            cursor.execute(";\n".join(script))
