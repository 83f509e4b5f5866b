"""The nightly backup and its restore drill, against the embedded PostgreSQL 16 (issue 18 §6).

An operator's view: `manage.py backup_create` writes a folder with the dump, the media and a manifest;
`manage.py backup_restore_drill` restores it into a scratch database, finds every town, table and
row and each town's news, says how long it took, and leaves no scratch database behind. A damaged
backup fails the drill with a message that says so.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django_tenants.utils import schema_context

from tests.helpers import ADMIN_PASSWORD

SLUG = "sicherheim"
TITLES = ["Sperrmüll am Montag", "Neue Öffnungszeiten im Rathaus", "Dorffest 2027"]


@pytest.fixture
def town_with_news(tmp_path, settings, transactional_db, drop_towns):
    """A freshly provisioned town with three published articles and one uploaded file, committed: pg_dump
    reads through its own connection. drop_towns removes it again, schema and all."""
    from tenants.services import tenant_module_disable, town_create
    from tests.modules.news.factories import ArticleFactory

    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.BACKUP_ROOT = str(tmp_path / "backups")
    drop_towns.append(SLUG)
    town = town_create(name="Ortsgemeinde Sicherheim", kind="gemeinde", slug=SLUG, admin_name="Berta Backup",
                       admin_email="berta@example.org", admin_password=ADMIN_PASSWORD)
    # Publishing announces an article; nobody here to tell, and no task may outlive the test.
    tenant_module_disable(tenant=town, key="notifications")
    with schema_context(town.schema_name):
        for title in TITLES:
            ArticleFactory(title=title)
    upload = Path(settings.MEDIA_ROOT) / town.schema_name / "news" / "plakat.jpg"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"\xff\xd8\xff\xe0 not really a JPEG, but bytes to keep")
    connection.set_schema_to_public()
    return town


def _scratch_databases() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE 'drill\\_%%'")
        return {name for (name,) in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_nightly_backup_restores_with_every_town_table_row_and_news(town_with_news, settings):
    before = _scratch_databases()

    # when
    created, drilled = StringIO(), StringIO()
    call_command("backup_create", stdout=created)
    call_command("backup_restore_drill", stdout=drilled)

    # then: the backup folder holds what the runbook says, readable by its owner only
    root = Path(settings.BACKUP_ROOT)
    name = (root / "LATEST").read_text().strip()
    backup = root / name
    assert sorted(path.name for path in backup.iterdir()) == ["database.dump", "manifest.json", "media.tar"]
    assert backup.stat().st_mode & 0o077 == 0
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["server_version"].startswith("16") and "(PostgreSQL) 16" in manifest["pg_dump_version"]
    schema = town_with_news.schema_name
    assert manifest["schemas"][schema]["news_article"] == len(TITLES)
    assert {"public", schema}.issubset(manifest["schemas"])
    assert {"slug": SLUG, "schema": schema, "active": True, "domain": town_with_news.get_primary_domain().domain} \
        in manifest["towns"]
    assert manifest["media"]["files"] == 1
    assert f"backup {backup}" in created.getvalue()

    # then: the drill found everything and said how long it took
    report = drilled.getvalue()
    assert "FAILED" not in report
    assert f"town {SLUG} ({town_with_news.get_primary_domain().domain}): 3 news articles readable, 3 published" \
        in report
    tables = sum(len(counts) for counts in manifest["schemas"].values())
    assert f"{len(manifest['schemas'])} schemas, {tables} tables" in report
    assert "media.tar: 1 files readable" in report
    assert f"ok: {len(manifest['sequences'])} ID sequences as at backup" in report
    assert manifest["sequences"][f"{schema}.news_article_id_seq"] >= len(TITLES)
    assert "restore " in report and " s, drill " in report
    assert _scratch_databases() == before, "the drill must drop its scratch database"

    # then: a damaged dump is refused before anything is restored, with a message that says so
    dump = backup / "database.dump"
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="problem"):
        call_command("backup_restore_drill", stdout=(damaged := StringIO()))
    assert "FAILED: database.dump is damaged: its size or SHA-256 checksum differs" in damaged.getvalue()

    # then: a dump cut short while it was written (its checksum taken afterwards) fails in pg_restore, clearly
    dump.write_bytes(bytes(data[:4096]))
    from tenants.backups import _sha256

    manifest["files"]["database.dump"] = {"bytes": dump.stat().st_size, "sha256": _sha256(dump)}
    (backup / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="problem"):
        call_command("backup_restore_drill", stdout=(cut := StringIO()))
    assert "FAILED: pg_restore failed" in cut.getvalue()

    assert _scratch_databases() == before


def test_backups_past_their_days_are_removed_but_never_the_newest(tmp_path, settings):
    from datetime import UTC, datetime, timedelta

    from tenants.backups import backups_list, backups_prune

    now = datetime(2026, 12, 6, 2, 15, tzinfo=UTC)
    for age in (20, 15, 3, 0):
        (tmp_path / (now - timedelta(days=age)).strftime("%Y%m%dT%H%M%SZ")).mkdir()

    removed = backups_prune(root=tmp_path, keep_days=14, now=now)

    assert [path.name for path in removed] == ["20261116T021500Z", "20261121T021500Z"]
    assert [path.name for path in backups_list(tmp_path)] == ["20261203T021500Z", "20261206T021500Z"]
    # A long outage of the backup job must not leave the operator with nothing.
    assert [path.name for path in backups_prune(root=tmp_path, keep_days=0, now=now + timedelta(days=30))] \
        == ["20261203T021500Z"]
    assert [path.name for path in backups_list(tmp_path)] == ["20261206T021500Z"]

