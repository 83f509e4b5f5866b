"""Setting up a Citus cluster for Dorfkern: one database on every node, schema-based sharding on.

With schema-based sharding every schema created on the coordinator becomes a *distributed schema*: its
tables live together on one worker and move together (``citus_schema_move``). A town is a schema, so a
town is the unit Citus places, moves and rebalances; the public schema (towns, domains, billing, staff)
stays on the coordinator. The application needs no change for that, as long as docs/scale-out.md's rules
hold (tests/tenants/test_town_foreign_keys.py keeps the one about foreign keys).

What can go wrong is the setup, and it goes wrong quietly: a database created on the coordinator alone,
or created before the extension, runs unsharded and nobody notices until the coordinator is full. So
:func:`citus_cluster_setup` checks every node first and changes nothing until all of them can take part
(reachable, Citus preloaded, the same Citus version); every step after that is idempotent, so running it
again on a configured cluster only confirms it.

Connections here are plain psycopg2 ones with the credentials of ``DATABASE_URL`` (a superuser: creating
the extension and registering nodes need one), not Django's: they go to other servers and other databases.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

# The database every PostgreSQL server has: where CREATE DATABASE is sent from.
MAINTENANCE_DATABASE = "postgres"
SHARDING_SETTING = "citus.enable_schema_based_sharding"
# Defaults of the database, so every connection has them (a session setting would cover only this one):
# towns become distributed schemas, and the append-only guard triggers of the audit logs (core/audit.py)
# may exist on distributed tables. Citus calls any trigger there "unsafe" because one that reads other
# tables would run on the worker without them; ours only refuse UPDATE and DELETE of their own row.
DATABASE_SETTINGS = (SHARDING_SETTING, "citus.enable_unsafe_triggers")
CONNECT_TIMEOUT_SECONDS = 5


class CitusSetupError(Exception):
    """The cluster can't be set up as it is; the message says what to fix (nothing was changed by then)."""


@dataclass(frozen=True)
class Node:
    host: str
    port: int

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str
    database: str


@dataclass
class SetupReport:
    """What :func:`citus_cluster_setup` did, for the operator (``created`` empty: it was all there)."""

    created: list[str]
    confirmed: list[str]


def node_parse(text: str, default_port: int = 5432) -> Node:
    """``host`` or ``host:port`` (as in ``CITUS_WORKERS``) as a :class:`Node`."""
    host, _, port = text.strip().rpartition(":") if ":" in text else (text.strip(), "", "")
    if not host:
        raise CitusSetupError(f"{text!r} is not host:port")
    try:
        return Node(host, int(port) if port else default_port)
    except ValueError:
        raise CitusSetupError(f"{text!r} is not host:port (the port must be a number)") from None


@contextmanager
def _connected(node: Node, credentials: Credentials, database: str) -> Iterator[Any]:
    import psycopg2  # type: ignore[import-untyped]

    conn = psycopg2.connect(
        host=node.host, port=node.port, user=credentials.user or None, password=credentials.password or None,
        dbname=database, connect_timeout=CONNECT_TIMEOUT_SECONDS, application_name="dorfkern citus_setup",
    )
    try:
        conn.autocommit = True  # CREATE DATABASE and the citus_* functions run outside a transaction
        with conn.cursor() as cursor:
            yield cursor
    finally:
        conn.close()


def _one(cursor: Any, sql: str, params: list[Any] | None = None) -> Any:
    cursor.execute(sql, params or [])
    row = cursor.fetchone()
    return row[0] if row else None


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _node_check(node: Node, credentials: Credentials) -> tuple[str | None, str | None]:
    """(problem, Citus version available) of one node, through its maintenance database."""
    import psycopg2

    try:
        with _connected(node, credentials, MAINTENANCE_DATABASE) as cursor:
            preload = _one(cursor, "SELECT current_setting('shared_preload_libraries')") or ""
            version = _one(cursor, "SELECT default_version FROM pg_available_extensions WHERE name = 'citus'")
            superuser = _one(cursor, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    except psycopg2.OperationalError as error:
        return f"unreachable ({str(error).strip().splitlines()[0]})", None
    if version is None:
        return "has no citus extension installed", None
    if "citus" not in [name.strip() for name in preload.split(",")]:
        return "doesn't load citus (add it to shared_preload_libraries and restart)", version
    if not superuser:
        return f"role {credentials.user!r} is not a superuser there", version
    return None, version


def cluster_problems(coordinator: Node, workers: list[Node], credentials: Credentials) -> list[str]:
    """Everything that keeps the nodes from forming one cluster; empty when setup may go ahead."""
    problems: list[str] = []
    versions: dict[str, str] = {}
    if not workers:
        problems.append("no workers given (CITUS_WORKERS=host:port,host:port)")
    if coordinator in workers:
        problems.append(f"{coordinator} is the coordinator and can't be a worker too")
    for role, node in [("coordinator", coordinator), *[("worker", worker) for worker in workers]]:
        problem, version = _node_check(node, credentials)
        if problem:
            problems.append(f"{role} {node} {problem}")
        if version:
            versions[str(node)] = version
    if not problems:
        problems += _registry_problems(coordinator, workers, credentials)
    if len(set(versions.values())) > 1:
        listed = ", ".join(f"{node} {version}" for node, version in versions.items())
        problems.append(f"the nodes offer different Citus versions ({listed}); install the same one everywhere")
    return problems


def _registry_problems(coordinator: Node, workers: list[Node], credentials: Credentials) -> list[str]:
    """Registered workers whose database lost Citus: adding the extension again would not bring back
    the metadata and the town schemas they held, so that is for the operator to sort out."""
    database = credentials.database
    with _connected(coordinator, credentials, MAINTENANCE_DATABASE) as cursor:
        if _one(cursor, "SELECT 1 FROM pg_database WHERE datname = %s", [database]) is None:
            return []
    with _connected(coordinator, credentials, database) as cursor:
        if _one(cursor, "SELECT 1 FROM pg_extension WHERE extname = 'citus'") is None:
            return []
        registered = _registered_workers(cursor)
    problems = []
    for node in workers:
        if node not in registered:
            continue
        with _connected(node, credentials, MAINTENANCE_DATABASE) as cursor:
            exists = _one(cursor, "SELECT 1 FROM pg_database WHERE datname = %s", [database])
        if exists:
            with _connected(node, credentials, database) as cursor:
                exists = _one(cursor, "SELECT 1 FROM pg_extension WHERE extname = 'citus'")
        if not exists:
            problems.append(
                f"worker {node} is registered in the cluster but its database {database} "
                "has no citus extension (restore the node, or citus_remove_node it and run this again)"
            )
    return problems


def _database_with_extension(node: Node, credentials: Credentials, report: SetupReport) -> None:
    database = credentials.database
    with _connected(node, credentials, MAINTENANCE_DATABASE) as cursor:
        if _one(cursor, "SELECT 1 FROM pg_database WHERE datname = %s", [database]) is None:
            cursor.execute(f"CREATE DATABASE {_quote(database)}")
            report.created.append(f"database {database} on {node}")
    with _connected(node, credentials, database) as cursor:
        if _one(cursor, "SELECT extversion FROM pg_extension WHERE extname = 'citus'") is None:
            cursor.execute("CREATE EXTENSION citus")
            report.created.append(f"extension citus in {database} on {node}")
        else:
            report.confirmed.append(f"extension citus in {database} on {node}")


def _registered_workers(cursor: Any) -> dict[Node, tuple[bool, str]]:
    cursor.execute("SELECT nodename, nodeport, isactive, noderole::text FROM pg_dist_node WHERE groupid <> 0")
    return {Node(name, port): (active, role) for name, port, active, role in cursor.fetchall()}


def _node_authentication(cursor: Any, credentials: Credentials, report: SetupReport) -> None:
    # The nodes connect to each other as the same role. With password authentication (the official
    # image's default) they need the password: pg_dist_authinfo (nodeid 0: towards every node) holds
    # it, readable by superusers only, and Citus copies it to the workers with the rest of its metadata.
    if not credentials.password:
        return
    authinfo = f"password={credentials.password}"
    current = _one(cursor, "SELECT authinfo FROM pg_dist_authinfo WHERE nodeid = 0 AND rolename = %s",
                   [credentials.user])
    if current == authinfo:
        report.confirmed.append("password for connections between nodes")
        return
    cursor.execute("DELETE FROM pg_dist_authinfo WHERE nodeid = 0 AND rolename = %s", [credentials.user])
    cursor.execute("INSERT INTO pg_dist_authinfo (nodeid, rolename, authinfo) VALUES (0, %s, %s)",
                   [credentials.user, authinfo])
    report.created.append("password for connections between nodes (pg_dist_authinfo)")


def citus_cluster_setup(
    coordinator: Node,
    credentials: Credentials,
    workers: list[Node],
    coordinator_host: Node | None = None,
    say: Callable[[str], None] = logger.info,
) -> SetupReport:
    """Create the database and extension on every node, register the workers, turn schema sharding on.

    ``coordinator_host`` is how the workers reach the coordinator, when that differs from ``coordinator``
    (the platform's own address for it: a unix socket, a load balancer, another network). Raises
    :class:`CitusSetupError` before changing anything when a node is unreachable or can't run Citus,
    and afterwards when the cluster's own registry disagrees with ``workers`` (a worker registered but
    inactive).
    """
    problems = cluster_problems(coordinator, workers, credentials)
    if coordinator_host is None and coordinator.host.startswith("/"):
        problems.append(f"the workers can't reach the coordinator through the socket {coordinator.host}: "
                        "set CITUS_COORDINATOR=host:port")
    if problems:
        raise CitusSetupError("Not setting up a half-configured cluster:\n  - " + "\n  - ".join(problems))
    report = SetupReport(created=[], confirmed=[])
    # Workers first: citus_add_node expects the extension in place on the node it registers.
    for node in [*workers, coordinator]:
        say(f"database and extension on {node}")
        _database_with_extension(node, credentials, report)

    database = credentials.database
    with _connected(coordinator, credentials, database) as cursor:
        _node_authentication(cursor, credentials, report)
        reached_as = coordinator_host or coordinator
        current = _one(cursor, "SELECT nodename || ':' || nodeport FROM pg_dist_node WHERE groupid = 0")
        if current != str(reached_as):
            cursor.execute("SELECT citus_set_coordinator_host(%s, %s)", [reached_as.host, reached_as.port])
            report.created.append(f"coordinator registered as {reached_as}")
        else:
            report.confirmed.append(f"coordinator registered as {reached_as}")

        registered = _registered_workers(cursor)
        inactive = [str(node) for node, (active, _role) in registered.items() if node in workers and not active]
        if inactive:
            raise CitusSetupError(
                f"workers {', '.join(inactive)} are registered but inactive: activate them "
                "(SELECT citus_activate_node(host, port)) or remove them (citus_remove_node) first"
            )
        for node in workers:
            if node in registered:
                report.confirmed.append(f"worker {node} registered")
                continue
            say(f"registering worker {node}")
            cursor.execute("SELECT citus_add_node(%s, %s)", [node.host, node.port])
            report.created.append(f"worker {node} registered")
        for node in set(registered) - set(workers):
            # Not an error: an operator may add a node by hand before updating CITUS_WORKERS. It holds towns.
            say(f"note: worker {node} is registered but not in CITUS_WORKERS")

        for name in DATABASE_SETTINGS:
            setting = _one(
                cursor,
                "SELECT 1 FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase "
                "WHERE d.datname = %s AND s.setrole = 0 AND %s = ANY(s.setconfig)",
                [database, f"{name}=on"],
            )
            if setting is None:
                cursor.execute(f"ALTER DATABASE {_quote(database)} SET {name} TO on")
                report.created.append(f"{name} on for database {database}")
            else:
                report.confirmed.append(f"{name} on for database {database}")

        # Towns created before sharding was on are ordinary schemas on the coordinator: distribute them.
        # Spare copies of the template too: provisioning renames one into a town, which would otherwise
        # stay on the coordinator, unsharded, for good.
        cursor.execute(
            "SELECT nspname FROM pg_namespace n WHERE (nspname LIKE 't\\_%%' OR nspname = %s"
            " OR starts_with(nspname, %s))"
            " AND NOT EXISTS (SELECT 1 FROM pg_dist_schema d WHERE d.schemaid = n.oid) ORDER BY nspname",
            [_template_schema_name(), _spare_prefix()],
        )
        for (schema,) in cursor.fetchall():
            say(f"distributing existing schema {schema}")
            cursor.execute("SELECT citus_schema_distribute(%s)", [schema])
            report.created.append(f"schema {schema} distributed")

    with _connected(coordinator, credentials, database) as cursor:
        # A new connection sees the database defaults: proof that web and migrations will too.
        for name in DATABASE_SETTINGS:
            if _one(cursor, f"SHOW {name}") != "on":
                raise CitusSetupError(f"{name} is still off for new connections to {database}")
    return report


def _template_schema_name() -> str:
    from django.conf import settings

    return str(getattr(settings, "TOWN_TEMPLATE_SCHEMA", "town_template"))


def _spare_prefix() -> str:
    from tenants.schema_template import SPARE_PREFIX  # imports this module

    return SPARE_PREFIX


def server_runs_citus(cursor: Any) -> bool:
    """Whether the server behind ``cursor`` preloads Citus (a coordinator or worker)."""
    preload = _one(cursor, "SELECT current_setting('shared_preload_libraries')") or ""
    return "citus" in [name.strip() for name in preload.split(",")]


_database_has_citus: bool | None = None


def database_has_citus(cursor: Any) -> bool:
    """Whether the platform's database has the citus extension (asked once per process: an extension
    isn't added mid-run). Then DDL on a town's tables is forwarded to a worker, one statement per string."""
    global _database_has_citus
    if _database_has_citus is None:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus')")
        _database_has_citus = bool(cursor.fetchone()[0])
    return _database_has_citus
