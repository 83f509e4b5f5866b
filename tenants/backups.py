"""Nightly backup of the whole database and the media, and the drill that proves a backup restores (issue 18 §6).

One backup is one folder under BACKUP_ROOT named by its UTC time (``20261206T021500Z``):

    database.dump   pg_dump --format=custom of the whole database (every town's schema, public, the template)
    media.tar       MEDIA_ROOT as it was (uploads of every town, under media/<schema>/...)
    manifest.json   versions, checksums (SHA-256) of both files, the row count of every table and the
                    value of every ID sequence

The folder is written as ``.<name>.partial`` and renamed when complete, so a folder with a plain name is
always a whole backup; ``LATEST`` names the newest one (the compose healthcheck watches its age).

Why pg_dump and not WAL archiving (point-in-time recovery): see docs/operations.md "Backups". In short, a
logical dump is one file that any PostgreSQL of the same or a newer major version restores, that needs no
archive_command on the server, and that the drill can check table by table; the price is that a night's
changes since the last dump are lost in a disaster.

Row counts and dump agree exactly: the counts are taken in a REPEATABLE READ transaction whose snapshot
pg_dump is told to use (``--snapshot``), so a write during the backup is either in both or in neither.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg2  # type: ignore[import-untyped]  # no stubs pinned; used through a few calls only
from django.conf import settings
from django.db import connection
from psycopg2 import sql
from psycopg2.extensions import ISOLATION_LEVEL_REPEATABLE_READ  # type: ignore[import-untyped]

from tenants.models import Domain, Municipality

MANIFEST_VERSION = 1
DUMP_NAME = "database.dump"
MEDIA_NAME = "media.tar"
MANIFEST_NAME = "manifest.json"
LATEST_NAME = "LATEST"
STAMP_FORMAT = "%Y%m%dT%H%M%SZ"
_STAMP_RE = re.compile(r"^\d{8}T\d{6}Z$")
# A .partial folder this old belongs to no running backup (a night's run takes minutes): it goes.
_PARTIAL_STALE = timedelta(hours=12)


class BackupError(Exception):
    """The backup could not be made or read; the message says what to do."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    seconds: float
    dump_bytes: int
    media_bytes: int
    media_files: int
    tables: int
    rows: int
    removed: list[Path]


@dataclass
class DrillReport:
    backup: Path
    scratch_database: str
    passed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    restore_seconds: float = 0.0
    total_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems


# --- PostgreSQL tools of the server's major version -------------------------------------------


def pg_tool(name: str) -> str:
    """Path of pg_dump/pg_restore: POSTGRES_BIN_DIR, else the embedded server's (pgserver), else PATH."""
    configured: str = settings.POSTGRES_BIN_DIR
    if configured:
        return str(Path(configured) / name)
    try:
        from pgserver import _commands  # the embedded PostgreSQL 16 of `dorfkern.py run` and the tests
    except ImportError:
        pass
    else:
        return str(Path(_commands.POSTGRES_BIN_PATH) / name)
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} not found: install the PostgreSQL client tools or set POSTGRES_BIN_DIR.")
    return found


def tool_version(tool: str) -> tuple[str, int]:
    """("pg_dump (PostgreSQL) 16.4", 16)."""
    try:
        shown = subprocess.run([tool, "--version"], capture_output=True, text=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError) as error:
        raise BackupError(
            f"{tool} does not run ({error}); set POSTGRES_BIN_DIR to the server's client tools."
        ) from error
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", shown)
    if match is None:
        raise BackupError(f"{tool} --version printed {shown.strip()!r}, not a PostgreSQL version.")
    return shown.strip(), int(match.group(1))


def _connection_settings(database: str | None = None) -> dict[str, Any]:
    """libpq parameters of the database the app itself uses (under pytest: the test database)."""
    params = {
        key: value for key, value in connection.get_connection_params().items()
        if key not in {"cursor_factory", "client_encoding", "options", "connect_timeout"} and value not in (None, "")
    }
    if database:
        params["dbname"] = database
    return params


_LIBPQ_ENV = {"dbname": "PGDATABASE", "user": "PGUSER", "password": "PGPASSWORD", "host": "PGHOST", "port": "PGPORT",
              "sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT"}


def _libpq_env(database: str | None = None) -> dict[str, str]:
    """Environment for pg_dump/pg_restore: the password never appears on a command line (ps shows those)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    env.update({_LIBPQ_ENV[key]: str(value) for key, value in _connection_settings(database).items()
                if key in _LIBPQ_ENV})
    env["PGCONNECT_TIMEOUT"] = str(settings.DATABASE_CONNECT_TIMEOUT_SECONDS)
    return env


@contextmanager
def _connect(database: str | None = None, *, autocommit: bool = False) -> Iterator[Any]:
    # A connection of its own without the app's 30 s statement_timeout: counting a big table may take longer.
    conn = psycopg2.connect(
        **_connection_settings(database), connect_timeout=settings.DATABASE_CONNECT_TIMEOUT_SECONDS,
        options="-c statement_timeout=0",
    )
    conn.autocommit = autocommit
    try:
        yield conn
    finally:
        conn.close()


def _table_counts(cursor: Any) -> dict[str, dict[str, int]]:
    """{schema: {table: rows}} of every ordinary table outside PostgreSQL's own schemas."""
    cursor.execute(
        "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind = 'r' AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%' "
        "ORDER BY 1, 2"
    )
    counts: dict[str, dict[str, int]] = {}
    for schema, table in cursor.fetchall():
        cursor.execute(sql.SQL("SELECT count(*) FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(table)))
        counts.setdefault(schema, {})[table] = cursor.fetchone()[0]
    return counts


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_tar(media_root: Path, target: Path) -> int:
    """Write MEDIA_ROOT into `target` (uncompressed: uploads are images, already compressed); returns the file count."""
    files = 0
    with tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as archive:
        if media_root.is_dir():  # a new installation has no uploads yet: an empty archive then
            archive.add(str(media_root), arcname="media", recursive=False)
            for path in sorted(media_root.rglob("*")):
                if path.is_symlink() or not (path.is_file() or path.is_dir()):
                    continue  # a symlink could point outside MEDIA_ROOT; nothing the platform writes is one
                archive.add(str(path), arcname=f"media/{path.relative_to(media_root)}", recursive=False)
                files += path.is_file()
    return files


# --- backup -------------------------------------------------------------------------------------


def backup_create(*, root: Path | None = None, keep_days: int | None = None,
                  now: datetime | None = None) -> BackupResult:
    """Dump the whole database and tar the media into a new folder under `root`; drop folders past `keep_days`."""
    started = time.monotonic()
    root = Path(root or settings.BACKUP_ROOT)
    keep_days = settings.BACKUP_KEEP_DAYS if keep_days is None else keep_days
    now = now or datetime.now(UTC)
    name = now.strftime(STAMP_FORMAT)
    final = root / name
    if final.exists():
        raise BackupError(f"A backup named {name} exists already in {root}.")
    root.mkdir(parents=True, exist_ok=True)
    work = root / f".{name}.partial"
    shutil.rmtree(work, ignore_errors=True)
    # Backups hold every resident's personal data: only the owner may read them.
    work.mkdir(mode=0o700)
    try:
        manifest = _dump_into(work, started_at=now)
        media_files = _media_tar(Path(settings.MEDIA_ROOT), work / MEDIA_NAME)
        manifest["media"] = {"files": media_files, "root": str(settings.MEDIA_ROOT)}
        for file_name in (DUMP_NAME, MEDIA_NAME):
            path = work / file_name
            path.chmod(0o600)
            manifest["files"][file_name] = {"bytes": path.stat().st_size, "sha256": _sha256(path)}
        manifest["seconds"] = round(time.monotonic() - started, 2)
        (work / MANIFEST_NAME).write_text(json.dumps(manifest, indent=1, sort_keys=True))
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    (root / LATEST_NAME).write_text(name + "\n")
    removed = backups_prune(root=root, keep_days=keep_days, now=now)
    tables = sum(len(counts) for counts in manifest["schemas"].values())
    rows = sum(sum(counts.values()) for counts in manifest["schemas"].values())
    return BackupResult(
        path=final, seconds=time.monotonic() - started, dump_bytes=manifest["files"][DUMP_NAME]["bytes"],
        media_bytes=manifest["files"][MEDIA_NAME]["bytes"], media_files=media_files, tables=tables, rows=rows,
        removed=removed,
    )


def _dump_into(work: Path, *, started_at: datetime) -> dict[str, Any]:
    pg_dump = pg_tool("pg_dump")
    dump_version, dump_major = tool_version(pg_dump)
    with _connect() as conn:
        conn.set_session(isolation_level=ISOLATION_LEVEL_REPEATABLE_READ, readonly=True)
        server_major = conn.server_version // 10000
        # pg_dump refuses a newer server, and an older pg_dump's archive may lack what the server has:
        # the tools must be the server's own major version (compose: postgres:16 and postgresql-client-16).
        if dump_major != server_major:
            raise BackupError(
                f"{pg_dump} is PostgreSQL {dump_major}, the server is PostgreSQL {server_major}: "
                f"install the client tools of version {server_major} and set POSTGRES_BIN_DIR."
            )
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version'), current_database()")
            snapshot, server_version, database = cursor.fetchone()
            result = subprocess.run(
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", "--no-password",
                 f"--file={work / DUMP_NAME}"],
                env=_libpq_env(), capture_output=True, text=True,
            )
            if result.returncode != 0:
                raise BackupError(f"pg_dump failed ({result.returncode}): {result.stderr.strip()[-2000:]}")
            schemas = _table_counts(cursor)
            sequences = _sequences(cursor)
            cursor.execute(
                sql.SQL("SELECT t.slug, t.schema_name, t.is_active, d.domain FROM {} t LEFT JOIN {} d "
                        "ON d.tenant_id = t.id AND d.is_primary ORDER BY t.slug").format(
                    sql.Identifier(Municipality._meta.db_table), sql.Identifier(Domain._meta.db_table))
            )
            towns = [{"slug": slug, "schema": schema, "active": active, "domain": domain}
                     for slug, schema, active, domain in cursor.fetchall()]
        conn.rollback()
    return {
        "version": MANIFEST_VERSION,
        "created_at": started_at.isoformat(),
        "database": database,
        "server_version": server_version,
        "pg_dump_version": dump_version,
        "towns": towns,
        "schemas": schemas,
        "sequences": sequences,
        "files": {},
    }


def backups_list(root: Path | None = None) -> list[Path]:
    """Complete backups under `root`, oldest first."""
    root = Path(root or settings.BACKUP_ROOT)
    if not root.is_dir():
        return []
    return sorted(path for path in root.iterdir() if path.is_dir() and _STAMP_RE.match(path.name))


def backups_prune(*, root: Path, keep_days: int, now: datetime) -> list[Path]:
    """Remove backups older than `keep_days` (never the newest) and abandoned .partial folders."""
    removed: list[Path] = []
    complete = backups_list(root)
    cutoff = now - timedelta(days=keep_days)
    for path in complete[:-1]:
        if datetime.strptime(path.name, STAMP_FORMAT).replace(tzinfo=UTC) < cutoff:
            shutil.rmtree(path)
            removed.append(path)
    for path in root.glob(".*.partial"):
        if datetime.fromtimestamp(path.stat().st_mtime, UTC) < now - _PARTIAL_STALE:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


# --- restore drill --------------------------------------------------------------------------------


def restore_drill(*, backup: Path | None = None, root: Path | None = None, towns: list[str] | None = None,
                  keep_database: bool = False) -> DrillReport:
    """Restore `backup` (default: the newest) into a scratch database on the same server and check it.

    Checks: the files' checksums; every schema and table of the manifest is there with the same row count;
    each town (all, or `towns` by slug) has its public rows and its news can be read; the media archive
    is readable with the manifest's file count. The scratch database is dropped afterwards (unless
    `keep_database`). Problems are collected in the report, not raised, so an operator sees all of them.
    """
    started = time.monotonic()
    if backup is None:
        found = backups_list(root)
        if not found:
            raise BackupError(f"No backup in {Path(root or settings.BACKUP_ROOT)}: run `manage.py backup_create`.")
        backup = found[-1]
    scratch = f"drill_{backup.name.lower()}_{os.getpid()}"
    report = DrillReport(backup=backup, scratch_database=scratch)
    manifest = _manifest_read(backup, report)
    if manifest is None or not _files_intact(backup, manifest, report):
        report.total_seconds = time.monotonic() - started
        return report
    pg_restore = pg_tool("pg_restore")
    _, restore_major = tool_version(pg_restore)
    dump_major = int(re.search(r"\(PostgreSQL\)\s+(\d+)", manifest["pg_dump_version"]).group(1))  # type: ignore[union-attr]
    if restore_major < dump_major:
        report.problems.append(f"{pg_restore} is PostgreSQL {restore_major}; the dump was made by {dump_major}.")
        report.total_seconds = time.monotonic() - started
        return report
    with _connect("postgres", autocommit=True) as admin:
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(scratch)))
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch)))
        try:
            restore_started = time.monotonic()
            # One transaction, no waiting for each commit's flush: hundreds of tables per town restore in
            # seconds instead of a minute, and a failed restore leaves nothing half-made. Fine for a scratch
            # database; a real restore (docs/operations.md) may run with --jobs instead.
            result = subprocess.run(
                [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                 "--no-password", f"--dbname={scratch}", str(backup / DUMP_NAME)],
                env={**_libpq_env(scratch), "PGOPTIONS": "-c synchronous_commit=off"}, capture_output=True,
                text=True,
            )
            report.restore_seconds = time.monotonic() - restore_started
            if result.returncode != 0:
                report.problems.append(
                    f"pg_restore failed ({result.returncode}): {result.stderr.strip()[-1500:]}")
            else:
                report.passed.append(f"pg_restore into {scratch} in {report.restore_seconds:.1f} s")
                _check_restored(scratch, manifest, towns, report)
            _check_media(backup, manifest, report)
        finally:
            if not keep_database:
                with admin.cursor() as cursor:
                    cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(scratch)))

    report.total_seconds = time.monotonic() - started
    return report


def _manifest_read(backup: Path, report: DrillReport) -> dict[str, Any] | None:
    try:
        manifest: dict[str, Any] = json.loads((backup / MANIFEST_NAME).read_text())
    except (OSError, ValueError) as error:
        report.problems.append(f"{backup / MANIFEST_NAME} can't be read ({error}): the backup is incomplete.")
        return None
    if manifest.get("version") != MANIFEST_VERSION:
        report.problems.append(f"Manifest version {manifest.get('version')!r}, this drill reads {MANIFEST_VERSION}.")
        return None
    return manifest


def _files_intact(backup: Path, manifest: dict[str, Any], report: DrillReport) -> bool:
    intact = True
    for file_name, expected in manifest["files"].items():
        path = backup / file_name
        if not path.is_file():
            report.problems.append(f"{file_name} is missing from {backup}.")
            intact = False
        elif path.stat().st_size != expected["bytes"] or _sha256(path) != expected["sha256"]:
            report.problems.append(
                f"{file_name} is damaged: its size or SHA-256 checksum differs from the manifest "
                f"({path.stat().st_size} bytes, {expected['bytes']} expected). Use an older backup."
            )
            intact = False
    if intact:
        report.passed.append(f"checksums of {', '.join(sorted(manifest['files']))} match")
    return intact


def _check_restored(scratch: str, manifest: dict[str, Any], towns: list[str] | None, report: DrillReport) -> None:
    with _connect(scratch) as conn, conn.cursor() as cursor:
        restored = _table_counts(cursor)
        tables = rows = 0
        for schema, counts in manifest["schemas"].items():
            if schema not in restored:
                report.problems.append(f"schema {schema} is missing after the restore")
                continue
            for table, expected in counts.items():
                got = restored[schema].get(table)
                if got != expected:
                    report.problems.append(f"{schema}.{table}: {got} rows restored, {expected} in the backup")
                tables += 1
                rows += expected
        report.passed.append(f"{len(manifest['schemas'])} schemas, {tables} tables, {rows} rows as counted at backup")
        _check_sequences(cursor, manifest["sequences"], report)
        by_slug = {town["slug"]: town for town in manifest["towns"]}
        for slug in towns if towns is not None else sorted(by_slug):
            town = by_slug.get(slug)
            if town is None:
                report.problems.append(f"town {slug} is not in this backup")
                continue
            _check_town(cursor, town, manifest["schemas"].get(town["schema"], {}), report)


def _sequences(cursor: Any) -> dict[str, int | None]:
    """{"schema.sequence": last value (None: never used)} of every sequence (the ID counters)."""
    cursor.execute("SELECT schemaname, sequencename, last_value FROM pg_sequences ORDER BY 1, 2")
    return {f"{schema}.{name}": last_value for schema, name, last_value in cursor.fetchall()}


def _check_sequences(cursor: Any, expected: dict[str, int | None], report: DrillReport) -> None:
    """Every ID counter is where it was at backup, so the next insert (a signup, a post) can't collide."""
    restored = _sequences(cursor)
    wrong = [f"{name} ({restored.get(name, 'missing')}, {value} at backup)" for name, value in expected.items()
             if restored.get(name, "missing") != value]
    if wrong:
        report.problems.append(f"{len(wrong)} ID sequences differ from the backup: {', '.join(wrong[:10])}")
    else:
        report.passed.append(f"{len(expected)} ID sequences as at backup")


def _check_town(cursor: Any, town: dict[str, Any], counts: dict[str, int], report: DrillReport) -> None:
    """The town's public row and domain are there and its news can be read, as the news page reads them."""
    cursor.execute(
        sql.SQL("SELECT t.is_active, d.domain FROM {} t LEFT JOIN {} d ON d.tenant_id = t.id AND d.is_primary "
                "WHERE t.slug = %s").format(
            sql.Identifier(Municipality._meta.db_table), sql.Identifier(Domain._meta.db_table)),
        [town["slug"]],
    )
    row = cursor.fetchone()
    if row is None or row[1] != town["domain"]:
        report.problems.append(f"town {town['slug']}: its row or domain in the public schema is missing")
        return
    if "news_article" not in counts:
        report.passed.append(f"town {town['slug']} ({town['domain']}): public rows present, no news module")
        return
    # Every column of every article, the body (TOAST) included: a damaged value fails here, not on the page.
    cursor.execute(
        sql.SQL("SELECT id, title, body, status FROM {}.news_article ORDER BY publish_at DESC NULLS LAST, id DESC")
        .format(sql.Identifier(town["schema"]))
    )
    articles = cursor.fetchall()
    if len(articles) != counts["news_article"]:
        report.problems.append(f"town {town['slug']}: {len(articles)} news articles read, "
                               f"{counts['news_article']} in the backup")
        return
    published = [title for _, title, _, status in articles if status == "published"]
    newest = f", newest: {published[0]!r}" if published else ""
    report.passed.append(f"town {town['slug']} ({town['domain']}): {len(articles)} news articles readable, "
                         f"{len(published)} published{newest}")


def _check_media(backup: Path, manifest: dict[str, Any], report: DrillReport) -> None:
    try:
        with tarfile.open(backup / MEDIA_NAME) as archive:
            files = sum(1 for member in archive if member.isfile())
    except (OSError, tarfile.TarError) as error:
        report.problems.append(f"{MEDIA_NAME} can't be read: {error}")
        return
    if files != manifest["media"]["files"]:
        report.problems.append(f"{MEDIA_NAME}: {files} files, {manifest['media']['files']} in the manifest")
    else:
        report.passed.append(f"{MEDIA_NAME}: {files} files readable")
