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
(under an exclusive advisory lock, so two provisionings don't migrate it at once); the deploy step
migrates it together with the towns (``manage.py town_template``, whose ``--check`` fails when the
template is missing or behind).

Per town, only what can have changed is looked at again (issue 20 §C): building Django's migration
graph to compare costs more than a tenth of a second, and deparsing the template's ~1,000 objects a
handful of catalogue queries. Both depend only on the code (fixed for a process) and on the template's
migration records, so a process remembers the template's *state* (its schema's oid and the count and
highest id of its ``django_migrations`` rows, one cheap query) once it has found the template current,
and the copy script it deparsed for that state. Copies hold the advisory lock shared (several towns are
copied at once; a migration of the template waits for them and they for it), so the state read under
it can't change before the copy ends. A template migrated by another process has another state: the
next copy compares the migrations again and deparses afresh.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.backends.utils import CursorWrapper
from django.db.migrations.executor import MigrationExecutor
from django_tenants.utils import schema_context, schema_exists

from core.tenancy import connection
from tenants.citus import database_has_citus

logger = logging.getLogger(__name__)

# pg_advisory_lock key: "dorfkern template" in the first 8 bytes; any constant shared by all processes.
_LOCK_KEY = 0x646F_726B_7470_6C00
# Copies of the template made ahead of time, renamed into a town when one is provisioned. Not towns:
# no Municipality row names them, and their names can't collide with a town's (``t_…``).
SPARE_PREFIX = "town_spare_"


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
def _template_locked(*, shared: bool = False) -> Iterator[None]:
    """Exclusive to migrate the template, shared to copy it: a copy must not see half a migration."""
    suffix = "_shared" if shared else ""
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_advisory_lock{suffix}(%s)", [_LOCK_KEY])
    try:
        yield
    finally:
        connection.set_schema_to_public()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT pg_advisory_unlock{suffix}(%s)", [_LOCK_KEY])


TemplateState = tuple[str, int, int, int]

# What this process found (see the module docstring): the template state last found current, and the
# copy script deparsed for it. The code's migrations can't change while a process runs; the template's can.
_current_state: TemplateState | None = None
_script: tuple[TemplateState, list[str]] | None = None
# Stands for the new schema's name in a cached script; a quoted identifier no deparsed definition contains.
_TARGET = '"__dorfkern_copy_target__"'
# Where the script keeps the search path it began with (a custom setting, local to the transaction).
_SAVED_PATH = "dorfkern.copy_search_path"


def _template_state() -> TemplateState | None:
    """The template's schema oid and migration records, in one query; None if it has no records table."""
    name = template_schema_name()
    with connection.cursor() as cursor:
        cursor.execute("SELECT n.oid::bigint, to_regclass(quote_ident(%s) || '.django_migrations') IS NOT NULL"
                       " FROM pg_namespace n WHERE n.nspname = %s", [name, name])
        row = cursor.fetchone()
        if row is None or not row[1]:
            return None
        cursor.execute(f"SELECT count(*), coalesce(max(id), 0) FROM {_quote(name)}.django_migrations")
        count, highest = cursor.fetchone()
    return (name, row[0], count, highest)


def _migrate_template_if_behind() -> bool:
    global _current_state
    pending = template_schema_pending_migrations()
    if not pending:
        connection.set_schema_to_public()
        _current_state = _template_state()
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
    connection.set_schema_to_public()
    _current_state = _template_state() if not template_schema_pending_migrations() else None
    return True


def template_schema_ensure_current() -> bool:
    """Create or migrate the template if it lacks any migration; True if it had to.

    Safe to call from several processes at once: the second waits for the first and then finds the
    template current.
    """
    with _template_locked():
        return _migrate_template_if_behind()


def template_schema_clone(schema_name: str) -> bool:
    """Create ``schema_name`` as a copy of the template, brought up to date first if it is behind.

    Takes a spare copy made ahead for the template as it is now (:func:`template_spares_top_up`) if
    there is one: True then.
    """
    for _attempt in range(3):
        with _template_locked(shared=True):
            state = _template_state()
            if state is not None and state == _current_state:
                if _spare_claim(state, schema_name):
                    return True
                _schema_copy(template_schema_name(), schema_name, state=state)
                return False
        # Not known to be current (a new process, or another one migrated it meanwhile): compare the
        # migrations, and migrate if any is missing, alone.
        with _template_locked():
            _migrate_template_if_behind()
    raise RuntimeError(f"the town template {template_schema_name()} keeps changing; no town was copied")


def _spare_prefix(state: TemplateState) -> str:
    """Spares are named for the template state they were copied from; any other state's are stale."""
    digest = hashlib.sha256(repr(state).encode()).hexdigest()[:12]
    return f"{SPARE_PREFIX}{digest}_"


def _spares(prefix: str = SPARE_PREFIX) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE starts_with(nspname, %s) ORDER BY nspname", [prefix])
        return [row[0] for row in cursor.fetchall()]


def _spare_claim(state: TemplateState, schema_name: str) -> bool:
    """Rename a spare of the template's current state to ``schema_name``; False if there is none.

    A spare is claimed under a transaction-scoped advisory lock on its name and renamed in the same
    transaction, so two provisionings never take the same one; a name another one renamed meanwhile
    is gone when looked up again and skipped.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        for spare in _spares(_spare_prefix(state)):
            cursor.execute("SELECT pg_try_advisory_xact_lock(hashtext(%s))"
                           " AND EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = %s)", [spare, spare])
            if cursor.fetchone()[0]:
                cursor.execute(f"ALTER SCHEMA {_quote(spare)} RENAME TO {_quote(schema_name)}")
                return True
    return False


def template_spares_top_up(count: int | None = None) -> int:
    """Copy the template ahead of time until ``count`` spares of its current state exist; returns how
    many were made. Spares of an older state (the template was migrated since) are dropped.

    Provisioning renames a spare instead of copying (issue 20 §C): a rename is one catalogue row, while
    a copy builds ~700 indexes, and PostgreSQL 16 fsyncs every index it builds (``smgrimmedsync`` at
    the end of a btree build), seconds on a busy disk. Nothing waits for this: the deploy step
    (``manage.py town_template``) and the periodic provisioning sweep call it. A template that is
    behind is left alone here (provisioning or the deploy step migrates it).
    """
    global _current_state
    count = getattr(settings, "TOWN_SPARE_SCHEMAS", 2) if count is None else count
    made = 0
    with _template_locked(shared=True):
        state = _template_state()
        if state is None:
            return 0
        if state != _current_state:
            if template_schema_pending_migrations():
                logger.warning("town template %s is behind: no spares made", template_schema_name())
                return 0
            connection.set_schema_to_public()
            _current_state = state
        prefix = _spare_prefix(state)
        stale = [name for name in _spares() if not name.startswith(prefix)]
        if stale:
            with connection.cursor() as cursor:
                cursor.execute("DROP SCHEMA " + ", ".join(_quote(name) for name in stale) + " CASCADE")
        for _ in range(count - len(_spares(prefix))):
            _schema_copy(template_schema_name(), f"{prefix}{secrets.token_hex(6)}", state=state)
            made += 1
    return made


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _schema_copy(source: str, target: str, *, state: TemplateState | None = None) -> None:
    """Create schema ``target`` with the structure and rows of ``source``, in one transaction.

    With ``state`` (the source's, read under the shared lock), the script deparsed for that state
    earlier in this process is replayed without asking the catalogue again.
    """
    global _script
    with transaction.atomic(), connection.cursor() as cursor:
        if state is None or _script is None or _script[0] != state:
            script = _copy_script(cursor, source)
            if state is not None:
                _script = (state, script)
        else:
            script = _script[1]
        statements = [statement.replace(_TARGET, _quote(target)) for statement in script]
        if database_has_citus(cursor):
            # Citus forwards each DDL to the worker holding the new schema and refuses a string of several.
            for statement in statements:
                cursor.execute(statement)
        else:
            cursor.execute(";\n".join(statements))


def _copy_script(cursor: CursorWrapper, source: str) -> list[str]:
    """The SQL that makes a copy of ``source``, with :data:`_TARGET` for the copy's name."""
    target = _TARGET
    script = [f"SELECT set_config('{_SAVED_PATH}', current_setting('search_path'), true)",
              f"CREATE SCHEMA {target}", f"SET LOCAL search_path TO {target}"]
    src = _quote(source)
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
        script.append(definition.replace(f"FUNCTION {src}.", f"FUNCTION {target}.", 1)
                      .replace(f"FUNCTION {source}.", f"FUNCTION {target}.", 1))

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
    citus = database_has_citus(cursor)
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

    # Back to the connection's own search path (the deparsing changed it for this transaction), and,
    # at the script's end, to the one it had when the script began: inside an outer transaction a
    # SET LOCAL would otherwise outlive the copy.
    cursor.execute("SELECT set_config('search_path', %s, true)", [search_path])
    script.append(f"SELECT set_config('search_path', current_setting('{_SAVED_PATH}'), true)")
    return script
