"""Platform-wide migrations: every town's schema brought to the code's migrations (``manage.py migrate_towns``).

django-tenants' ``migrate_schemas`` runs Django's whole ``migrate`` once per town: it loads the
schema's records, renders the migration state, introspects the catalogue and runs the post-migrate
signal for every app. 160–340 ms per town and growing with the catalogue (issue 20 §D), which at
1,000 towns is a quarter of an hour of deploy. Here:

1. **Skip what is current.** A public table (:class:`~tenants.models.SchemaMigrationState`) records
   per schema the hash of the migration set it was last brought completely up to. One query finds
   the towns whose row doesn't name the code's set; the others aren't touched at all.
2. **Plan once per starting point.** The towns that are behind are grouped by the migrations they
   have (after a deploy: all of them alike). For each group the plan is made once, and if every
   operation in it only changes the schema (:data:`FAST_OPERATIONS`: no Python, no new or renamed
   model, whose content types and permissions the post-migrate signal would have to make), its SQL
   is collected once with Django's own schema editor, as ``sqlmigrate`` does.
3. **Replay per town.** Each town runs that SQL, its ``django_migrations`` records and its
   state row in *one* transaction, with its schema on the search path: a town has the whole
   migration or none of it, so a run that dies half-way is simply run again and continues with the
   towns that are still behind. Bounded worker threads replay towns side by side (the work is in
   PostgreSQL, not in Python).

Everything else (a Python or non-atomic migration, a squashed one, a town whose records changed
meanwhile, SQL that came out differently for two towns of a group because Django read the catalogue
while generating it) goes through ``migrate_schemas`` for that town, as before. The template schema
new towns are copied from is always migrated that normal way first (tenants/schema_template.py), so
a town copied during the run is already current.
"""

from __future__ import annotations

import hashlib
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.management import call_command
from django.db import connections, transaction
from django.db.migrations import operations as ops
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.migration import Migration
from django.db.migrations.operations.base import Operation
from django_tenants.utils import get_public_schema_name

from core.tenancy import connection
from tenants.citus import database_has_citus
from tenants.models import Municipality
from tenants.schema_template import template_schema_ensure_current, template_schema_name

logger = logging.getLogger(__name__)

MigrationKey = tuple[str, str]

# Operations whose whole effect on a town is the SQL the schema editor writes for them. Exact types:
# a subclass may do more (postgres' AddIndexConcurrently can't run in a transaction). Not here:
# RunPython (Python), CreateModel/DeleteModel/RenameModel/AlterModelOptions/AlterModelTable (content
# types and permissions follow models: Django makes them in the post-migrate signal, which this path
# doesn't send).
FAST_OPERATIONS: frozenset[type[Operation]] = frozenset({
    ops.AddField, ops.RemoveField, ops.AlterField, ops.RenameField,
    ops.AddIndex, ops.RemoveIndex, ops.RenameIndex, ops.AddConstraint, ops.RemoveConstraint,
    ops.AlterUniqueTogether, ops.AlterIndexTogether, ops.AlterOrderWithRespectTo,
    ops.AlterModelTableComment, ops.AlterModelManagers, ops.RunSQL, ops.SeparateDatabaseAndState,
})

# pg_advisory_lock key, "dorfkern migrate" in 8 bytes: one platform-wide migration at a time.
_RUN_LOCK_KEY = 0x646F_726B_6D69_6772
_STATE_TABLE = '"public"."tenants_schemamigrationstate"'
_RECORDS_PER_QUERY = 200


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def migrations_hash(keys: Iterable[MigrationKey]) -> str:
    """The fingerprint of a set of migrations: changes when a migration is added, removed or renamed."""
    return hashlib.sha256("\n".join(sorted(f"{app}.{name}" for app, name in keys)).encode()).hexdigest()


def code_migrations_hash() -> str:
    """The hash of every migration file the code has (the target of every schema)."""
    return migrations_hash(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def _operations_fast(operations: Iterable[Operation]) -> bool:
    for operation in operations:
        if type(operation) not in FAST_OPERATIONS:
            return False
        if isinstance(operation, ops.SeparateDatabaseAndState) and not (
            _operations_fast(operation.database_operations) and _operations_fast(operation.state_operations)
        ):
            return False
        if isinstance(operation, ops.RunSQL) and not _operations_fast(operation.state_operations):
            return False
    return True


def plan_replayable(plan: list[tuple[Migration, bool]]) -> bool:
    """True if the plan's effect on a town is its collected SQL plus its records."""
    return all(
        not backwards and migration.atomic and not migration.replaces and _operations_fast(migration.operations)
        for migration, backwards in plan
    )


def _plan_sql(loader: MigrationLoader, plan: list[tuple[Migration, bool]]) -> list[str]:
    """The plan's SQL as Django's schema editor writes it for the connection's current schema.

    The state before the plan is made from the migrations the plan builds on (not only the first
    one's, as ``sqlmigrate`` does), so a plan spanning several apps renders what each one needs.
    """
    state = loader.graph.make_state(
        nodes=[(m.app_label, m.name) for m, _ in plan], at_end=False, real_apps=loader.unmigrated_apps)
    statements: list[str] = []
    for migration, _backwards in plan:
        with connection.schema_editor(collect_sql=True, atomic=migration.atomic) as editor:
            state = migration.apply(state, editor, collect_sql=True)
        statements.extend(sql for sql in editor.collected_sql if not sql.lstrip().startswith("--"))
    return statements


def _records(plan: list[tuple[Migration, bool]]) -> list[MigrationKey]:
    return [(migration.app_label, migration.name) for migration, _ in plan]


@dataclass
class RunReport:
    """What one platform-wide migration did; the command prints it."""

    current: list[str] = field(default_factory=list)  # skipped: their state row names the code's set
    recorded: list[str] = field(default_factory=list)  # had everything already; state row written
    replayed: list[str] = field(default_factory=list)  # migrated by replaying collected SQL
    migrated: list[str] = field(default_factory=list)  # migrated by migrate_schemas
    # A town row without its schema: a signup still being copied from the (migrated) template, or a
    # broken town for an operator; nothing to migrate either way.
    without_schema: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    template_migrated: bool = False
    seconds: float = 0.0


@contextmanager
def _run_locked() -> Iterator[None]:
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_RUN_LOCK_KEY])
        (locked,) = cursor.fetchone()
    if not locked:
        raise RuntimeError("Another platform-wide migration is running.")
    try:
        yield
    finally:
        connection.set_schema_to_public()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_RUN_LOCK_KEY])


def schema_state_forget(schema_name: str) -> None:
    """Drop the state row of ``schema_name``: the next run looks at its records again."""
    if schema_name == get_public_schema_name():
        return
    with connection.cursor() as cursor:
        # Absent while the public schema is being migrated from scratch (this runs before every migrate).
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [_STATE_TABLE])
        if cursor.fetchone()[0]:
            cursor.execute(f"DELETE FROM {_STATE_TABLE} WHERE schema_name = %s", [schema_name])


def _state_write(cursor: object, schema_name: str, target_hash: str) -> None:
    cursor.execute(  # type: ignore[attr-defined]
        f"INSERT INTO {_STATE_TABLE} (schema_name, schema_oid, migrations_hash, migrated_at)"
        " SELECT %s, oid, %s, now() FROM pg_namespace WHERE nspname = %s"
        " ON CONFLICT (schema_name) DO UPDATE SET schema_oid = EXCLUDED.schema_oid,"
        " migrations_hash = EXCLUDED.migrations_hash, migrated_at = EXCLUDED.migrated_at",
        [schema_name, target_hash, schema_name],
    )


def _schemas_behind(schemas: list[str], target_hash: str) -> list[str]:
    """The schemas whose state row is missing, names another migration set or another schema."""
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.name FROM unnest(%s::text[]) WITH ORDINALITY AS s(name, position)"
            " LEFT JOIN pg_namespace n ON n.nspname = s.name"
            f" LEFT JOIN {_STATE_TABLE} m ON m.schema_name = s.name"
            " WHERE m.migrations_hash IS DISTINCT FROM %s OR m.schema_oid IS DISTINCT FROM n.oid"
            " ORDER BY s.position",
            [schemas, target_hash],
        )
        return [name for (name,) in cursor.fetchall()]


def _schemas_existing(schemas: list[str]) -> set[str]:
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s)", [schemas])
        return {name for (name,) in cursor.fetchall()}


def _applied_records(schemas: list[str]) -> dict[str, frozenset[MigrationKey] | None]:
    """Each schema's ``django_migrations`` records; None where the schema or its table is missing."""
    connection.set_schema_to_public()
    found: dict[str, frozenset[MigrationKey] | None] = dict.fromkeys(schemas)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_namespace n JOIN pg_class c ON c.relnamespace = n.oid"
            " WHERE n.nspname = ANY(%s) AND c.relname = 'django_migrations' AND c.relkind = 'r'", [schemas])
        with_table = [name for (name,) in cursor.fetchall()]
        records: dict[str, set[MigrationKey]] = {name: set() for name in with_table}
        for start in range(0, len(with_table), _RECORDS_PER_QUERY):
            chunk = with_table[start:start + _RECORDS_PER_QUERY]
            cursor.execute(" UNION ALL ".join(
                f"SELECT %s, app, name FROM {_quote(name)}.django_migrations" for name in chunk), chunk)
            for schema, app, name in cursor.fetchall():
                records[schema].add((app, name))
    found.update({name: frozenset(keys) for name, keys in records.items()})
    return found


@dataclass
class _Group:
    """Towns with the same migration records: one plan, one SQL script."""

    applied: frozenset[MigrationKey]
    schemas: list[str]
    plan: list[tuple[Migration, bool]] = field(default_factory=list)
    statements: list[str] | None = None  # None: not replayable, each town through migrate_schemas


def _group_prepare(group: _Group) -> None:
    connection.set_schema(group.schemas[0])
    try:
        executor = MigrationExecutor(connection)
        group.plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if not group.plan or not plan_replayable(group.plan):
            return
        statements = _plan_sql(executor.loader, group.plan)
        if len(group.schemas) > 1:
            # The schema editor reads the catalogue for some operations (the name of a constraint to
            # drop, say). If a second town of the group yields other SQL, each town goes the long way.
            connection.set_schema(group.schemas[-1])
            if _plan_sql(executor.loader, group.plan) != statements:
                logger.warning("migration SQL differs between %s and %s: migrating each town normally",
                               group.schemas[0], group.schemas[-1])
                return
        group.statements = statements
    finally:
        connection.set_schema_to_public()


class _RecordsChanged(Exception):
    """The town's records are no longer what its group's plan was made for."""


def town_replay(schema_name: str, *, applied: frozenset[MigrationKey], statements: list[str],
                records: list[MigrationKey], target_hash: str) -> None:
    """Apply collected SQL and its records to one town in one transaction: all of it or nothing."""
    connection.set_schema(schema_name)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            table = f"{_quote(schema_name)}.django_migrations"
            # Another migrate of this town (migrate_schemas by hand, say) waits for this one, or this
            # one sees what it did.
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
            cursor.execute(f"SELECT app, name FROM {table}")
            if frozenset(cursor.fetchall()) != applied:
                raise _RecordsChanged(schema_name)
            if database_has_citus(cursor):
                # Citus forwards each DDL on a town's table to the worker holding the town, and refuses
                # a string of several ("cannot insert multiple commands into a prepared statement").
                for statement in statements:
                    cursor.execute(statement)
            elif statements:
                cursor.execute("\n".join(statements))
            cursor.execute(
                f"INSERT INTO {table} (app, name, applied) SELECT app, name, now()"
                " FROM unnest(%s::text[], %s::text[]) AS r(app, name)",
                [[app for app, _ in records], [name for _, name in records]],
            )
            _state_write(cursor, schema_name, target_hash)
    finally:
        connection.set_schema_to_public()


def _state_record(schema_name: str, target_hash: str) -> None:
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        _state_write(cursor, schema_name, target_hash)


def _town_migrate_normally(schema_name: str, target_hash: str) -> None:
    call_command("migrate_schemas", tenant=True, schema_name=schema_name, interactive=False, verbosity=0)
    connection.set_schema(schema_name)
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    finally:
        connection.set_schema_to_public()
    if pending:
        raise RuntimeError(f"{len(pending)} migrations still pending after migrate_schemas")
    _state_record(schema_name, target_hash)


def _in_workers(items: list[str], work: Callable[[str], None], workers: int,
                on_error: Callable[[str, Exception], None]) -> list[str]:
    """``work`` for each item on at most ``workers`` threads, each with its own database connection.

    Returns the items whose records changed meanwhile. With one worker everything runs in the calling
    thread, on its connection (and inside its transaction, in tests).
    """
    changed: list[str] = []

    def run(item: str) -> None:
        try:
            work(item)
        except _RecordsChanged:
            changed.append(item)
        except Exception as error:  # one town's failure doesn't stop the others; the run reports it
            logger.exception("migrating %s failed", item)
            on_error(item, error)

    if workers <= 1 or len(items) <= 1:
        for item in items:
            run(item)
        return changed
    pending: queue.SimpleQueue[str] = queue.SimpleQueue()
    for item in items:
        pending.put(item)
    crashed: list[BaseException] = []

    def worker() -> None:
        try:
            while not crashed:
                try:
                    item = pending.get_nowait()
                except queue.Empty:
                    return
                run(item)
        except BaseException as error:  # handed to the calling thread below
            crashed.append(error)
        finally:
            connections.close_all()  # this thread's connections only

    threads = [threading.Thread(target=worker, name=f"migrate-towns-{n}") for n in range(min(workers, len(items)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if crashed:
        raise crashed[0]
    return changed


def towns_migrate(*, schemas: list[str] | None = None, workers: int = 4, verify: bool = False,
                  template: bool = True, say: Callable[[str], None] = logger.info) -> RunReport:
    """Bring the template and every town (or only ``schemas``) to the code's migrations.

    ``verify`` ignores the state rows and reads every town's records (after someone changed a
    schema by hand, say). Failed towns are listed in the report; the others are done regardless.
    """
    started = time.perf_counter()
    report = RunReport()
    target_hash = code_migrations_hash()
    with _run_locked():
        if template:
            name = template_schema_name()
            if verify or _schemas_behind([name], target_hash):
                report.template_migrated = template_schema_ensure_current()
                _state_record(name, target_hash)
        if schemas is None:
            schemas = list(Municipality.objects.exclude(schema_name=get_public_schema_name())
                           .order_by("pk").values_list("schema_name", flat=True))
        behind = schemas if verify else _schemas_behind(schemas, target_hash)
        behind_set = set(behind)
        report.current = [name for name in schemas if name not in behind_set]
        say(f"{len(schemas)} towns, {len(behind)} to look at")

        groups: dict[frozenset[MigrationKey], _Group] = {}
        normal: list[str] = []
        existing = _schemas_existing(behind)
        report.without_schema = [name for name in behind if name not in existing]
        for name, applied in _applied_records([name for name in behind if name in existing]).items():
            if applied is None:
                normal.append(name)  # migrate_schemas makes the records table, or says what's missing
            else:
                groups.setdefault(applied, _Group(applied, [])).schemas.append(name)

        def failed(name: str, error: Exception) -> None:
            report.failed[name] = str(error)

        for group in groups.values():
            try:
                _group_prepare(group)
            except Exception:  # Django couldn't plan or write SQL for these: migrate_schemas will say why
                logger.exception("no replayable plan for %d towns starting at %s", len(group.schemas),
                                 group.schemas[0])
                normal.extend(group.schemas)
                continue
            if not group.plan:
                for name in group.schemas:
                    _state_record(name, target_hash)
                report.recorded.extend(group.schemas)
                continue
            if group.statements is None:
                normal.extend(group.schemas)
                continue
            say(f"{len(group.schemas)} towns: {len(group.plan)} migrations, {len(group.statements)}"
                f" statements replayed on {workers} workers")
            done: set[str] = set()

            def replay(name: str, group: _Group = group, done: set[str] = done) -> None:
                town_replay(name, applied=group.applied, statements=group.statements or [],
                            records=_records(group.plan), target_hash=target_hash)
                done.add(name)

            # A town whose records changed since they were read goes the long way.
            normal.extend(_in_workers(group.schemas, replay, workers, failed))
            report.replayed.extend(name for name in group.schemas if name in done)

        for name in normal:
            say(f"{name}: migrate_schemas")
            try:
                _town_migrate_normally(name, target_hash)
                report.migrated.append(name)
            except Exception as error:  # reported with the others; the remaining towns still migrate
                logger.exception("migrating %s failed", name)
                failed(name, error)
    report.seconds = time.perf_counter() - started
    return report


def schema_states(schemas: list[str]) -> dict[str, str | None]:
    """Each schema's recorded migration hash, None without a row."""
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT schema_name, migrations_hash FROM {_STATE_TABLE} WHERE schema_name = ANY(%s)",
                       [schemas])
        found = dict(cursor.fetchall())
    return {name: found.get(name) for name in schemas}
