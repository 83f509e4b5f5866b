"""A town's export, restore and leaving (issue 18 §5, ISOLATION T19).

One archive (tar.gz) holds everything of one town:

- ``tables/NNN_<table>.csv``: every table of the town's schema, ``COPY … TO STDOUT`` as CSV with a
  header row, in foreign-key order (parents first). Written to disk table by table while hashed:
  a town's data is never held in memory.
- ``public.jsonl``: the town's rows of the public schema, one JSON object a line: its municipality
  row, then every row of a shared app's model that points at it with a foreign key (domains, module
  switches, billing mirrors …), found from the models, so a new shared model is exported without
  editing this file. Rows are serialised by Django (field names, not column positions).
- ``media/…`` and ``private/…``: the town's uploads (MEDIA_ROOT/<schema>/) and private files
  (PRIVATE_MEDIA_ROOT/<schema>/), paths relative to the town's folder, as the rows store them.
- ``manifest.json`` (last): format version, the Dorfkern commit, the applied migrations of the town
  schema and of the public schema, row count and SHA-256 of every table file and of every file.

A restore refuses an archive whose files don't match the manifest, that holds an unlisted file, or
that was made by newer code (a migration this code doesn't know); everything happens in one
database transaction, and files copied before a failure are removed again. An archive made by older
code is restored into a schema migrated to the archive's state, then migrated forward, as a deploy
would have done.

Leaving: the town is deactivated at once (its hosts answer 404), its export is made for hand-over,
and after TOWN_LEAVE_GRACE_DAYS the periodic purge deletes its schema, files, cache keys, billing
links (Stripe subscriptions cancelled), queued work and public rows.
"""

from __future__ import annotations

import datetime
import graphlib
import hashlib
import io
import json
import logging
import shutil
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from core.models import OutboxMessage
from core.modules import all_modules
from core.tenancy import connection
from tenants.models import CustomDomain, Domain, Municipality, TownSignup
from tenants.schema_template import (
    _schema_copy,
    _template_locked,
    template_schema_ensure_current,
    template_schema_name,
)
from tenants.selectors import (
    forget_enabled_modules,
    forget_module_config,
    forget_primary_domain,
    forget_tenant_lookup,
)

logger = logging.getLogger(__name__)

FORMAT = "dorfkern-town-export"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PUBLIC_ROWS = "public.jsonl"
_CHUNK = 1024 * 1024


class ArchiveRefused(Exception):
    """The archive can't be restored; the message says why in plain words. Nothing was changed."""


@dataclass
class ExportResult:
    path: Path
    bytes: int
    seconds: float
    tables: int
    rows: int
    files: int
    public_rows: int


@dataclass
class RestoreResult:
    town: Municipality
    seconds: float
    tables: int
    rows: int
    files: int
    public_rows: int
    skipped_public_rows: dict[str, int] = field(default_factory=dict)
    migrated_forward: bool = False
    # Seconds per step (verify, migrations, schema, tables, sequences, public rows, files), for operators.
    steps: dict[str, float] = field(default_factory=dict)


# --- small helpers -----------------------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class _HashingWriter(io.RawIOBase):
    """A file that hashes and counts what is written to it (COPY writes here)."""

    def __init__(self, target: BinaryIO) -> None:
        self.target, self.sha256, self.size = target, hashlib.sha256(), 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = data.encode() if isinstance(data, str) else bytes(data)
        self.sha256.update(chunk)
        self.size += len(chunk)
        self.target.write(chunk)
        return len(chunk)


class _HashingReader(io.RawIOBase):
    """A file that hashes what tarfile reads from it, so each file is read once."""

    def __init__(self, source: BinaryIO) -> None:
        self.source, self.sha256 = source, hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = self.source.read(size)
        self.sha256.update(chunk)
        return chunk


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def town_media_dirs(schema_name: str) -> dict[str, Path]:
    """The town's file folders by archive prefix: its uploads and its private files."""
    return {
        "media": Path(settings.MEDIA_ROOT) / schema_name,
        "private": Path(settings.PRIVATE_MEDIA_ROOT) / schema_name,
    }


def _dorfkern_commit() -> str:
    if settings.DORFKERN_COMMIT:
        return str(settings.DORFKERN_COMMIT)
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=settings.ROOT_DIR, capture_output=True,
                              text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def schema_tables(schema_name: str) -> list[str]:
    """The schema's tables, parents before the tables that point at them (cycles: by name)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.relname FROM pg_class c WHERE c.relnamespace = %s::regnamespace"
                       " AND c.relkind IN ('r', 'p') ORDER BY c.relname", [_quote(schema_name)])
        names = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT c.relname, p.relname FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid"
            " JOIN pg_class p ON p.oid = k.confrelid WHERE k.contype = 'f' AND k.connamespace = %s::regnamespace"
            " AND p.relnamespace = k.connamespace", [_quote(schema_name)])
        edges = cursor.fetchall()
    sorter: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter({name: set() for name in names})
    for child, parent in edges:
        if child != parent:
            sorter.add(child, parent)
    try:
        return list(sorter.static_order())
    except graphlib.CycleError:
        # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: any order loads in one transaction.
        return names


def _table_columns(schema_name: str, table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0"
            " AND NOT attisdropped AND attgenerated = '' ORDER BY attnum",
            [f"{_quote(schema_name)}.{_quote(table)}"])
        return [row[0] for row in cursor.fetchall()]


def _applied_migrations(schema_name: str) -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT app, name FROM {_quote(schema_name)}.django_migrations ORDER BY app, name")
        rows = cursor.fetchall()
    applied: dict[str, list[str]] = {}
    for app, name in rows:
        applied.setdefault(app, []).append(name)
    return applied


def schema_table_digests(schema_name: str) -> dict[str, tuple[int, str]]:
    """Row count and an order-independent MD5 of every table's rows (to compare a restore with its source)."""
    digests: dict[str, tuple[int, str]] = {}
    with connection.cursor() as cursor:
        for table in schema_tables(schema_name):
            cursor.execute(f"SELECT count(*), coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '')"
                           f" FROM {_quote(schema_name)}.{_quote(table)} t")
            count, digest = cursor.fetchone()
            digests[table] = (count, digest)
    return digests


# --- the town's public rows --------------------------------------------------------------------


def _related(f: Any) -> type[models.Model] | None:
    """The model a relation field points at (None for other fields); typed for mypy."""
    target = f.related_model if f.is_relation else None
    return target if isinstance(target, type) else None


def _public_only_models() -> list[type[models.Model]]:
    shared_only = {app for app in settings.SHARED_APPS if app not in settings.TENANT_APPS}
    return [
        model for config in apps.get_app_configs() if config.name in shared_only
        for model in config.get_models() if model._meta.managed and not model._meta.proxy
    ]


def public_town_models() -> list[type[models.Model]]:
    """Shared-app models whose rows belong to a town: Municipality and every model pointing at it
    (directly or through another such model), parents before the models that point at them."""
    candidates = _public_only_models()

    def parents(model: type[models.Model]) -> set[type[models.Model]]:
        found = {_related(f) for f in model._meta.concrete_fields}
        return {target for target in found if target in candidates and target is not model}

    chosen: set[type[models.Model]] = {Municipality}
    grown = True
    while grown:
        grown = False
        for model in candidates:
            if model not in chosen and parents(model) & chosen:
                chosen.add(model)
                grown = True
    sorter: graphlib.TopologicalSorter[type[models.Model]] = graphlib.TopologicalSorter()
    for model in sorted(chosen, key=lambda m: m._meta.label_lower):
        sorter.add(model, *(parents(model) & chosen))
    return list(sorter.static_order())


def _town_filter(model: type[models.Model], exported: dict[str, set[Any]]) -> models.Q | None:
    """Rows of `model` that belong to the town: through its own foreign key to the town if it has one
    (never through another row, so a row can't be pulled in from a second town), else through rows already
    exported."""
    direct = [f for f in model._meta.concrete_fields if f.is_relation and f.related_model is Municipality]
    if direct:
        query = models.Q()
        for f in direct:
            query |= models.Q(**{f"{f.attname}__in": exported[Municipality._meta.label_lower]})
        return query
    query = models.Q()
    found = False
    for f in model._meta.concrete_fields:
        target = _related(f)
        label = target._meta.label_lower if target is not None else ""
        if label in exported:
            query |= models.Q(**{f"{f.attname}__in": exported[label]})
            found = True
    return query if found else None


def _natural_lookup(model: type[models.Model]) -> str | None:
    """A unique, non-key field to find a catalogue row by in another database (Product.key)."""
    for f in model._meta.concrete_fields:
        if f.unique and not f.primary_key and not f.is_relation:
            return f.name
    return None


def _public_rows(tenant: Municipality) -> Iterator[dict[str, Any]]:
    exported: dict[str, set[Any]] = {}
    chosen = public_town_models()
    chosen_labels = {model._meta.label_lower for model in chosen}
    for model in chosen:
        label = model._meta.label_lower
        if model is Municipality:
            queryset: models.QuerySet[Any] = Municipality.objects.filter(pk=tenant.pk)
        else:
            query = _town_filter(model, exported)
            if query is None:
                continue
            queryset = model._default_manager.filter(query)
        exported[label] = set()
        refs_fields = [(f, target) for f in model._meta.concrete_fields
                       if (target := _related(f)) is not None and target._meta.label_lower not in chosen_labels]
        for obj in queryset.order_by("pk").iterator(chunk_size=500):
            exported[label].add(obj.pk)
            row = serializers.serialize("python", [obj])[0]
            refs: dict[str, dict[str, Any]] = {}
            for f, target in refs_fields:
                target_id = getattr(obj, f.attname)
                lookup = _natural_lookup(target)
                if target_id is not None and lookup:
                    refs[f.name] = {lookup: getattr(getattr(obj, f.name), lookup)}
            if refs:
                row["refs"] = refs
            yield row


# --- export --------------------------------------------------------------------------------------


def town_export(*, tenant: Municipality, path: Path | str) -> ExportResult:
    """Write town `tenant`'s archive to `path` (tar.gz), streamed: tables, public rows, files, manifest last."""
    started = time.perf_counter()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    schema = tenant.schema_name
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "dorfkern_commit": _dorfkern_commit(),
        "town": {"slug": tenant.slug, "name": tenant.name, "kind": tenant.kind, "schema_name": schema},
        "tables": [],
        "files": [],
    }
    connection.set_schema_to_public()
    try:
        with transaction.atomic(), tarfile.open(partial, "w:gz", compresslevel=6) as archive, \
                tempfile.TemporaryDirectory(prefix="town-export-") as scratch:
            if not connection.in_atomic_block or len(connection.atomic_blocks) == 1:
                # One snapshot for every table (the block above is the outermost one: nothing ran yet).
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            manifest["migrations"] = {"town": _applied_migrations(schema),
                                      "public": _applied_migrations(get_public_schema_name())}
            for number, table in enumerate(schema_tables(schema)):
                columns = _table_columns(schema, table)
                name = f"tables/{number:03d}_{table}.csv"
                scratch_file = Path(scratch) / "table.csv"
                with scratch_file.open("wb") as handle, connection.cursor() as cursor:
                    writer = _HashingWriter(handle)
                    column_list = ", ".join(_quote(c) for c in columns)
                    cursor.copy_expert(f"COPY {_quote(schema)}.{_quote(table)} ({column_list})"
                                       " TO STDOUT WITH (FORMAT csv, HEADER true)", writer)
                    rows = cursor.rowcount
                archive.add(scratch_file, arcname=name)
                manifest["tables"].append({"table": table, "file": name, "columns": columns, "rows": rows,
                                           "sha256": writer.sha256.hexdigest(), "bytes": writer.size})
            public_file = Path(scratch) / "public.jsonl"
            counts: dict[str, int] = {}
            with public_file.open("wb") as handle:
                writer = _HashingWriter(handle)
                for row in _public_rows(tenant):
                    counts[row["model"]] = counts.get(row["model"], 0) + 1
                    writer.write(json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False).encode() + b"\n")
            archive.add(public_file, arcname=PUBLIC_ROWS)
            manifest["public_rows"] = {"file": PUBLIC_ROWS, "rows": counts, "sha256": writer.sha256.hexdigest()}
            # Files while the snapshot is open: one uploaded meanwhile is one more file, never a row
            # pointing at a missing one (uploads are written before their row commits).
            for prefix, folder in town_media_dirs(schema).items():
                if not folder.is_dir():
                    continue
                for file_path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()):
                    relative = file_path.relative_to(folder).as_posix()
                    info = archive.gettarinfo(str(file_path), arcname=f"{prefix}/{relative}")
                    with file_path.open("rb") as handle:
                        reader = _HashingReader(handle)
                        archive.addfile(info, fileobj=reader)
                    manifest["files"].append({"path": f"{prefix}/{relative}", "bytes": info.size,
                                              "sha256": reader.sha256.hexdigest()})
            data = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(time.time())
            archive.addfile(info, io.BytesIO(data))
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        connection.set_schema_to_public()
    return ExportResult(
        path=path, bytes=path.stat().st_size, seconds=time.perf_counter() - started,
        tables=len(manifest["tables"]), rows=sum(t["rows"] for t in manifest["tables"]),
        files=len(manifest["files"]), public_rows=sum(manifest["public_rows"]["rows"].values()),
    )


# --- restore -------------------------------------------------------------------------------------


def _extract_and_verify(archive_path: Path, into: Path) -> dict[str, Any]:
    """Unpack the archive into `into` and check it against its manifest; the manifest, or ArchiveRefused."""
    try:
        with tarfile.open(archive_path, "r:*") as archive:
            # "data": no absolute paths, no "..", no links out, no device files.
            archive.extractall(into, filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise ArchiveRefused(_("The file is not a readable town export (%(error)s).") % {"error": exc}) from None
    try:
        manifest: dict[str, Any] = json.loads((into / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        raise ArchiveRefused(_("The export has no readable manifest.")) from None
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise ArchiveRefused(_("The export's format (%(format)s, version %(version)s) is not one this version reads.")
                             % {"format": manifest.get("format"), "version": manifest.get("format_version")})
    listed: dict[str, str] = {t["file"]: t["sha256"] for t in manifest["tables"]}
    listed[manifest["public_rows"]["file"]] = manifest["public_rows"]["sha256"]
    listed.update({f["path"]: f["sha256"] for f in manifest["files"]})
    if any(not f["path"].startswith(("media/", "private/")) for f in manifest["files"]):
        raise ArchiveRefused(_("The export lists files outside a town's folders; it was changed."))
    present = {p.relative_to(into).as_posix() for p in into.rglob("*") if p.is_file()} - {MANIFEST}
    if present - set(listed):
        raise ArchiveRefused(_("The export holds files its manifest doesn't list (%(names)s); it was changed.")
                             % {"names": ", ".join(sorted(present - set(listed))[:3])})
    for name, expected in listed.items():
        if name not in present:
            raise ArchiveRefused(_("The export lacks %(name)s, which its manifest lists.") % {"name": name})
        if _file_sha256(into / name) != expected:
            raise ArchiveRefused(_("The checksum of %(name)s doesn't match the manifest; the export was changed "
                                   "or damaged. Nothing was restored.") % {"name": name})
    return manifest


def _migrations_unknown(archived: dict[str, list[str]], known: set[tuple[str, str]]) -> list[str]:
    return sorted(f"{app}.{name}" for app, names in archived.items() for name in names if (app, name) not in known)


def _disk_migrations() -> set[tuple[str, str]]:
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    return set(loader.disk_migrations) | {key for m in loader.disk_migrations.values() for key in m.replaces}


def _check_migrations(manifest: dict[str, Any]) -> bool:
    """Refuse an archive from newer code; True when the town's schema is older than the code's."""
    known = _disk_migrations()
    newer = _migrations_unknown(manifest["migrations"]["town"], known)
    newer += _migrations_unknown(manifest["migrations"]["public"], known)
    if newer:
        raise ArchiveRefused(
            _("The export was made by a newer version of Dorfkern (it has %(count)d migrations this version "
              "doesn't know, first: %(first)s). Update Dorfkern first, then restore.")
            % {"count": len(newer), "first": newer[0]})
    template_schema_ensure_current()
    current = {(app, name) for app, names in _applied_migrations(template_schema_name()).items() for name in names}
    archived = {(app, name) for app, names in manifest["migrations"]["town"].items() for name in names}
    return bool(current - archived)


def _schema_create_at(schema_name: str, migrations: dict[str, list[str]]) -> None:
    """An empty schema migrated exactly to the archive's (older) state."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {_quote(schema_name)}")
    with schema_context(schema_name):
        executor = MigrationExecutor(connection)
        targets = [(app, name) for app, names in migrations.items() for name in names
                   if (app, name) in executor.loader.graph.nodes]
        executor.migrate(targets)


def _schema_migrate_forward(schema_name: str) -> None:
    with schema_context(schema_name):
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def _load_tables(schema_name: str, manifest: dict[str, Any], root: Path) -> int:
    tables = set(schema_tables(schema_name))
    missing = [t["table"] for t in manifest["tables"] if t["table"] not in tables]
    if missing:
        raise ArchiveRefused(_("The export has tables this version doesn't have (%(names)s).")
                             % {"names": ", ".join(missing[:3])})
    rows = 0
    with connection.cursor() as cursor:
        # What the template or the migrations put there (migration records, content types) is
        # replaced by the archive's own rows, ids and all. DELETE on the few tables with rows, not a
        # TRUNCATE of all: that gives each of ~150 tables and their indexes new files (seconds).
        if tables:
            cursor.execute(" UNION ALL ".join(
                f"(SELECT %s FROM {_quote(schema_name)}.{_quote(t)} LIMIT 1)" for t in sorted(tables)),
                sorted(tables))
            for (table,) in cursor.fetchall():
                cursor.execute(f"DELETE FROM {_quote(schema_name)}.{_quote(table)}")
        for entry in manifest["tables"]:
            column_list = ", ".join(_quote(c) for c in entry["columns"])
            with (root / entry["file"]).open("rb") as handle:
                cursor.copy_expert(f"COPY {_quote(schema_name)}.{_quote(entry['table'])} ({column_list})"
                                   " FROM STDIN WITH (FORMAT csv, HEADER true)", handle)
                if cursor.rowcount != entry["rows"]:
                    raise ArchiveRefused(_("Table %(table)s loaded %(got)d rows, the manifest says %(want)d.")
                                         % {"table": entry["table"], "got": cursor.rowcount, "want": entry["rows"]})
            rows += entry["rows"]
    return rows


def schema_sequences_reset(schema_name: str) -> int:
    """Set every sequence of the schema past the largest id in use, so the next row gets a fresh id."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.relname, t.relname, a.attname FROM pg_class s"
            " JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')"
            " JOIN pg_class t ON t.oid = d.refobjid"
            " JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid"
            " WHERE s.relkind = 'S' AND s.relnamespace = %s::regnamespace", [_quote(schema_name)])
        owned = cursor.fetchall()
        for sequence, table, column in owned:
            qualified = f"{_quote(schema_name)}.{_quote(table)}"
            cursor.execute(
                f"SELECT setval(%s, coalesce((SELECT max({_quote(column)}) FROM {qualified}), 0) + 1, false)",
                [f"{_quote(schema_name)}.{_quote(sequence)}"])
    return len(owned)


def _restore_public_rows(
    *, path: Path, slug: str, schema_name: str, copy: bool
) -> tuple[Municipality, int, dict[str, int]]:
    """Create the town's public rows with new ids; returns the town, rows made, rows skipped by model."""
    exported_labels = {model._meta.label_lower for model in public_town_models()}
    id_maps: dict[str, dict[Any, Any]] = {}
    skipped: dict[str, int] = {}
    made = 0
    town: Municipality | None = None
    subdomain = f"{slug}.{settings.BASE_DOMAIN}"
    with path.open("rb") as handle:
        for line in handle:
            row = json.loads(line)
            label = row["model"]
            model = apps.get_model(label)
            (obj,) = serializers.deserialize("python", [{"model": label, "pk": row["pk"], "fields": row["fields"]}],
                                             ignorenonexistent=True)
            instance: Any = obj.object
            old_pk = instance.pk
            instance.pk = None
            if model is Municipality:
                instance.slug, instance.schema_name = slug, schema_name
                instance.is_active = False  # switched on once everything is in place
                instance.leaving_since = instance.delete_after = instance.export_requested_at = None
                instance.export_archive = ""
            elif model is Domain and (copy or instance.domain != subdomain
                                      or Domain.objects.filter(domain=instance.domain).exists()):
                # A copy answers on its own subdomain only; the original's addresses stay the original's.
                # A town's own domain is routed again only once proven again (below), never on the old proof.
                skipped[label] = skipped.get(label, 0) + 1
                continue
            elif model is CustomDomain:
                if copy:
                    skipped[label] = skipped.get(label, 0) + 1
                    continue
                # The proof is as old as the archive (after leaving, at least a grace period): the address may
                # have moved to someone else since. The claim comes back unproven, with its token, so a DNS
                # record or token file that is still there proves it again with one check (T11).
                instance.verified_at = instance.checked_at = None
                instance.verified_by = ""
            keep = True
            for f in model._meta.concrete_fields:
                if not f.is_relation or f.primary_key or not f.related_model:
                    continue
                old = getattr(instance, f.attname)
                if old is None:
                    continue
                target = f.related_model._meta.label_lower
                if target in exported_labels:
                    new = id_maps.get(target, {}).get(old)
                elif f.name in row.get("refs", {}):
                    found = f.related_model._default_manager.filter(**row["refs"][f.name]).first()
                    if found is None:
                        raise ArchiveRefused(_("The export refers to %(model)s %(what)s, which this platform "
                                               "doesn't have.") % {"model": target, "what": row["refs"][f.name]})
                    new = found.pk
                else:
                    new = old
                if new is None:  # its parent row was skipped
                    if f.null:
                        setattr(instance, f.attname, None)
                        continue
                    keep = False
                    break
                setattr(instance, f.attname, new)
            if keep and model is not Municipality and _unique_taken(instance):
                # A Stripe customer, subscription or event maps to exactly one town (T10): a copy doesn't
                # take over the original's billing links; and a Stripe event recorded here already (kept,
                # town-less, when the town was deleted) is not recorded twice.
                keep = False
            if not keep:
                skipped[label] = skipped.get(label, 0) + 1
                id_maps.setdefault(label, {})[old_pk] = None
                continue
            instance.save_base(raw=True, force_insert=True)
            id_maps.setdefault(label, {})[old_pk] = instance.pk
            made += 1
            if model is Municipality:
                town = instance
    if town is None:
        raise ArchiveRefused(_("The export holds no town row."))
    # The subdomain is the main address (links, mails) until an own domain is proven and chosen again.
    created = Domain.objects.update_or_create(tenant=town, domain=subdomain, defaults={"is_primary": True})[1]
    made += created
    return town, made, skipped


def _unique_taken(instance: models.Model) -> bool:
    for f in instance._meta.concrete_fields:
        value = getattr(instance, f.attname)
        if f.unique and not f.primary_key and value not in (None, ""):
            if type(instance)._default_manager.filter(**{f.attname: value}).exists():
                return True
    return False


def _copy_files(root: Path, manifest: dict[str, Any], schema_name: str, made: list[Path]) -> int:
    folders = town_media_dirs(schema_name)
    for folder in folders.values():
        if folder.exists() and any(folder.iterdir()):
            raise ArchiveRefused(_("The folder %(folder)s already holds files; a town with this address "
                                   "was not removed completely.") % {"folder": folder})
    made.extend(folders.values())  # empty or absent: removed again if the restore fails
    for entry in manifest["files"]:
        prefix, _sep, relative = entry["path"].partition("/")
        target = folders[prefix] / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / entry["path"], target)
    return len(manifest["files"])


def town_caches_forget(*, tenant: Municipality, domains: list[str] | None = None) -> int:
    """Drop every cache entry of the town: its schema's keys and the public lookups naming it."""
    deleted = 0
    for domain in domains if domains is not None else list(
            Domain.objects.filter(tenant_id=tenant.pk).values_list("domain", flat=True)):
        forget_tenant_lookup(domain)
    forget_enabled_modules(tenant.pk)
    forget_primary_domain(tenant.pk)
    for key in all_modules():
        forget_module_config(tenant.pk, key)
    # Keys made in the town's schema all start "<schema>:" (django_tenants.cache.make_key).
    try:
        client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
        batch: list[Any] = []
        for key in client.scan_iter(match=f"{tenant.schema_name}:*", count=1000):
            batch.append(key)
            if len(batch) >= 500:
                deleted += client.delete(*batch)
                batch = []
        if batch:
            deleted += client.delete(*batch)
    except Exception:  # noqa: BLE001 - Redis away: the keys expire on their own (TENANT_LOOKUP_CACHE_SECONDS)
        logger.warning("could not scan the cache for %s's keys", tenant.schema_name, exc_info=True)
    return deleted


def town_restore(*, archive_path: Path | str, slug: str | None = None, name: str | None = None) -> RestoreResult:
    """Restore an archive as town `slug` (default: the archived one; then its address must be free).

    With another slug the archive becomes a new town beside the original (a copy, e.g. for a test or
    a move): new schema, new address, new ids in the public schema; the original's own domains and
    Stripe links are not copied. All in one transaction: on refusal or error nothing is left.
    """
    from tenants.services import subdomain_check_available

    started = time.perf_counter()
    steps: dict[str, float] = {}
    lap = [started]

    def step(name: str) -> None:
        now = time.perf_counter()
        steps[name] = round(now - lap[0], 3)
        lap[0] = now

    archive_path = Path(archive_path)
    connection.set_schema_to_public()
    with tempfile.TemporaryDirectory(prefix="town-restore-") as scratch:
        root = Path(scratch)
        manifest = _extract_and_verify(archive_path, root)
        step("verify")
        slug = slug or manifest["town"]["slug"]
        copy = slug != manifest["town"]["slug"]
        try:
            subdomain_check_available(slug)
        except ValidationError as exc:
            raise ArchiveRefused(" ".join(exc.messages)) from None
        schema_name = Municipality.schema_name_for(slug)
        older = _check_migrations(manifest)
        step("migrations")
        made_dirs: list[Path] = []
        try:
            with transaction.atomic():
                if older:
                    _schema_create_at(schema_name, manifest["migrations"]["town"])
                else:
                    # _check_migrations has just brought the template up to date: copy it as it is
                    # (template_schema_clone would check its migrations once more, seconds per call).
                    with _template_locked():
                        _schema_copy(template_schema_name(), schema_name)
                step("schema")
                rows = _load_tables(schema_name, manifest, root)
                if older:
                    _schema_migrate_forward(schema_name)
                step("tables")
                schema_sequences_reset(schema_name)
                step("sequences")
                connection.set_schema_to_public()
                town, public_rows, skipped = _restore_public_rows(
                    path=root / manifest["public_rows"]["file"], slug=slug, schema_name=schema_name, copy=copy)
                step("public rows")
                if name:
                    town.name = name
                files = _copy_files(root, manifest, schema_name, made_dirs)
                step("files")
                town.is_active = True
                town.save(update_fields=["name", "is_active"])
                domains = list(Domain.objects.filter(tenant=town).values_list("domain", flat=True))
                transaction.on_commit(lambda: town_caches_forget(tenant=town, domains=domains))
        except BaseException:
            for folder in made_dirs:
                shutil.rmtree(folder, ignore_errors=True)
            raise
        finally:
            connection.set_schema_to_public()
    # Also now: a cached "no such host" from before must not hide the town (issue 18 §6).
    town_caches_forget(tenant=town, domains=domains)
    return RestoreResult(town=town, seconds=time.perf_counter() - started, tables=len(manifest["tables"]),
                         rows=rows, files=files, public_rows=public_rows, skipped_public_rows=skipped,
                         migrated_forward=older, steps=steps)


# --- leaving -------------------------------------------------------------------------------------


def export_root() -> Path:
    return Path(settings.TOWN_EXPORT_ROOT)


def export_archive_name(tenant: Municipality) -> str:
    return f"{tenant.slug}-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"


def export_archive_path(tenant: Municipality) -> Path | None:
    """The town's newest archive on disk, or None."""
    if not tenant.export_archive:
        return None
    path = export_root() / tenant.export_archive
    return path if path.is_file() else None


def town_export_to_store(*, tenant: Municipality) -> ExportResult:
    """Export the town into TOWN_EXPORT_ROOT and note the archive on the town (the staff page offers it)."""
    result = town_export(tenant=tenant, path=export_root() / export_archive_name(tenant))
    with schema_context(get_public_schema_name()):
        previous = Municipality.objects.filter(pk=tenant.pk).values_list("export_archive", flat=True).first()
        Municipality.objects.filter(pk=tenant.pk).update(export_archive=result.path.name)
    if previous and previous != result.path.name:
        (export_root() / previous).unlink(missing_ok=True)
    tenant.export_archive = result.path.name
    return result


def town_leave(*, tenant: Municipality, grace_days: int | None = None,
               now: datetime.datetime | None = None) -> Municipality:
    """The town leaves: deactivated now (its hosts answer 404 at once), deleted after the grace period."""
    now = now or timezone.now()
    days = settings.TOWN_LEAVE_GRACE_DAYS if grace_days is None else grace_days
    with schema_context(get_public_schema_name()), transaction.atomic():
        town = Municipality.objects.select_for_update().get(pk=tenant.pk)
        town.is_active = False
        town.leaving_since = town.leaving_since or now
        town.delete_after = now + datetime.timedelta(days=days)
        town.save(update_fields=["is_active", "leaving_since", "delete_after"])  # receivers forget the host lookup
    return town


def town_leave_cancel(*, tenant: Municipality) -> Municipality:
    """Staff take a leaving back during the grace period: the town is active again and stays."""
    with schema_context(get_public_schema_name()), transaction.atomic():
        town = Municipality.objects.select_for_update().get(pk=tenant.pk)
        town.is_active = True
        town.leaving_since = town.delete_after = None
        town.save(update_fields=["is_active", "leaving_since", "delete_after"])
    return town


def town_delete(*, tenant: Municipality, keep_archive: bool = False) -> dict[str, int]:
    """Delete everything of the town: schema, public rows (Stripe subscriptions ended after the commit),
    queued work, files, cache keys and its export archive. For a leaving town after its grace period, or by
    an operator (`manage.py town_leave --delete-now`)."""
    connection.set_schema_to_public()
    town = Municipality.objects.get(pk=tenant.pk)
    if town.schema_name == get_public_schema_name():
        raise ValueError("the public schema is not a town")
    domains = list(Domain.objects.filter(tenant_id=town.pk).values_list("domain", flat=True))
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Checks still deferred from earlier in this transaction would block the DROP (only when the
            # caller's transaction wrote to the town's tables, as a test does).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"DROP SCHEMA IF EXISTS {_quote(town.schema_name)} CASCADE")
        outbox = OutboxMessage.objects.filter(schema_name=town.schema_name).delete()[0]
        TownSignup.objects.filter(models.Q(tenant_id=town.pk) | models.Q(slug=town.slug)).delete()
        # Cascades to domains, module switches and the billing mirrors; billing's pre_delete receiver
        # ends the town's Stripe subscriptions once this commits (billing.services.town_stripe_links_end).
        # A queryset delete, so django-tenants doesn't try to drop the schema a second time.
        Municipality.objects.filter(pk=town.pk).delete()
    for folder in town_media_dirs(town.schema_name).values():
        shutil.rmtree(folder, ignore_errors=True)
    if town.export_archive and not keep_archive:
        (export_root() / town.export_archive).unlink(missing_ok=True)
    keys = town_caches_forget(tenant=town, domains=domains)
    logger.info("town %s deleted: %d queued tasks dropped, %d cache keys", town.slug, outbox, keys)
    return {"outbox_rows": outbox, "cache_keys": keys}


def towns_leaving_purge(*, now: datetime.datetime | None = None) -> list[str]:
    """Delete every leaving town whose grace period is over (beat, public schema); their slugs."""
    from core.audit import AuditTarget, audit_record

    now = now or timezone.now()
    connection.set_schema_to_public()
    done: list[str] = []
    for town in Municipality.objects.filter(is_active=False, delete_after__lte=now).order_by("delete_after"):
        try:
            counts = town_delete(tenant=town)
        except Exception:
            logger.exception("deleting leaving town %s failed; tried again at the next run", town.slug)
            continue
        connection.set_schema_to_public()
        audit_record(None, "town.deleted", AuditTarget("tenants.municipality", str(town.pk), town.name),
                     before={"slug": town.slug, "schema": town.schema_name}, after=counts)
        done.append(town.slug)
    return done
