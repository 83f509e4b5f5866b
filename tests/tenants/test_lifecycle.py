"""A town's export and restore: the restored town is the same town and works (issue 18 §5).

Compared after a restore as a new town beside the original:
- every table of the town's schema: row count and an order-independent hash of all columns
  (nothing in a town's schema legitimately differs: ids, content types and file names are copied);
- public rows: everything but what makes the copy another town (its id, schema name, subdomain,
  created rows' ids) is the same;
- files: the same relative paths with the same bytes, under the new town's folder.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

from core.models import PlatformAuditEntry
from tenants.lifecycle import ArchiveRefused, schema_table_digests, town_export, town_media_dirs, town_restore
from tenants.models import Domain, Municipality, TenantModule
from tests.accounts.factories import UserFactory, town_admin
from tests.helpers import ADMIN_EMAIL, ADMIN_PASSWORD, TownClient, image_upload
from tests.modules.board.factories import PostFactory
from tests.modules.events.factories import EventFactory
from tests.modules.news.factories import ArticleFactory
from tests.town.factories import OrtsgemeindeFactory


@pytest.fixture
def town_folders():
    """Schema names whose media folders the test made; removed afterwards (rows roll back, files don't)."""
    schemas: list[str] = []
    yield schemas
    for schema in schemas:
        for folder in town_media_dirs(schema).values():
            shutil.rmtree(folder, ignore_errors=True)


def _files(schema: str) -> dict[str, str]:
    found = {}
    for prefix, folder in town_media_dirs(schema).items():
        for path in folder.rglob("*") if folder.is_dir() else ():
            if path.is_file():
                found[f"{prefix}/{path.relative_to(folder).as_posix()}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _repack(archive: Path, target: Path, change) -> Path:
    """The archive unpacked, changed by `change(folder)` and packed again (what an attacker or a bad disk does)."""
    folder = target.with_suffix(".d")
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    change(folder)
    with tarfile.open(target, "w:gz") as tar:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                tar.add(path, arcname=path.relative_to(folder).as_posix())
    return target


def test_a_town_restored_as_a_new_town_is_identical_and_works(town_a, tmp_path, town_folders):
    # given: demo-like content in town A, an uploaded photo among it
    connection.set_tenant(town_a)
    village = OrtsgemeindeFactory(name="Xanten-Au", slug="xanten-au", postal_codes="57580")
    residents = [UserFactory(email=f"bewohner{n}@example.org", ortsgemeinde=village) for n in range(3)]
    article = ArticleFactory(title="Neues Feuerwehrauto", image=image_upload("auto.jpg"), image_alt="Ein rotes Auto")
    town_folders.append(town_a.schema_name)  # the photo stays in town A's folder otherwise
    PostFactory(author=residents[0], text="Wer leiht mir eine Leiter?")
    PostFactory(author=residents[1], text="Katze zugelaufen", town_wide=True)
    EventFactory(title="Dorffest", acting_user=town_admin())
    connection.set_schema_to_public()

    # when: exported and restored as a new town
    exported = town_export(tenant=town_a, path=tmp_path / "altdorf.tar.gz")
    town_folders.append("t_altdorf_kopie")
    restored = town_restore(archive_path=exported.path, slug="altdorf-kopie")
    copy = restored.town

    # then: the same data, table by table
    assert copy.slug == "altdorf-kopie" and copy.schema_name == "t_altdorf_kopie" and copy.is_active
    assert restored.rows == exported.rows > 0 and restored.tables == exported.tables
    original_tables = schema_table_digests(town_a.schema_name)
    assert schema_table_digests(copy.schema_name) == original_tables
    assert original_tables["news_article"][0] >= 1 and original_tables["board_post"][0] >= 2
    # the same public rows, but for what makes it another town
    assert (copy.name, copy.kind) == (town_a.name, town_a.kind)
    assert list(Domain.objects.filter(tenant=copy).values_list("domain", flat=True)) == ["altdorf-kopie.localhost"]
    def switches(town):
        return list(TenantModule.objects.filter(tenant=town).order_by("key").values("key", "is_enabled", "config"))

    assert switches(copy) == switches(town_a)
    # the same files under the new town's folder
    original_files = _files(town_a.schema_name)
    assert any(name.startswith("media/news/") for name in original_files)
    assert _files(copy.schema_name) == original_files

    # and the restored town works: a resident signs in, reads the news with its photo, posts on the Pinnwand
    client = TownClient("altdorf-kopie.localhost")
    login = client.post("/accounts/login/", {"login": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    assert login.status_code == 302
    news = client.get("/news/")
    assert news.status_code == 200 and "Neues Feuerwehrauto" in news.content.decode()
    photo = client.get(f"/media/{copy.schema_name}/{article.image.name}")
    assert photo.status_code == 200 and b"".join(photo.streaming_content) == (
        town_media_dirs(town_a.schema_name)["media"] / article.image.name).read_bytes()
    with schema_context(copy.schema_name):
        from modules.board.models import Post, Topic

        highest_post = Post.objects.order_by("-pk").values_list("pk", flat=True).first()
        topic = Topic.objects.get(name="Hilfe")
    posted = client.post("/board/new/", {"topic": topic.pk, "text": "Grüße aus der Kopie", "target": "town"})
    assert posted.status_code == 302, posted.content.decode()[:500]
    # the next rows get fresh ids (sequences were set past the restored ones)
    with schema_context(copy.schema_name):
        new_post = Post.objects.get(text="Grüße aus der Kopie")
        newcomer = UserFactory(email="neu@example.org")
    assert new_post.pk > highest_post
    assert newcomer.pk > max(resident.pk for resident in residents)
    # town A is untouched and still answers
    assert schema_table_digests(town_a.schema_name)["board_post"] == original_tables["board_post"]


@pytest.fixture
def archive_b(town_b, tmp_path) -> Path:
    return town_export(tenant=town_b, path=tmp_path / "bergdorf.tar.gz").path


def _nothing_made(slug: str) -> None:
    schema = Municipality.schema_name_for(slug)
    assert not schema_exists(schema)
    assert not Municipality.objects.filter(slug=slug).exists()
    assert not Domain.objects.filter(domain=f"{slug}.localhost").exists()
    assert not any(folder.exists() for folder in town_media_dirs(schema).values())


def test_an_archive_whose_table_was_changed_is_refused_and_nothing_is_made(archive_b, tmp_path):
    def change(folder: Path) -> None:
        table = next(folder.glob("tables/*_accounts_user.csv"))
        table.write_text(table.read_text() + "")  # same text …
        with table.open("a") as handle:  # … and one more line nobody signed
            handle.write("\n")

    bad = _repack(archive_b, tmp_path / "bad.tar.gz", change)

    with pytest.raises(ArchiveRefused, match="Prüfsumme"):
        town_restore(archive_path=bad, slug="bergdorf-falsch")
    _nothing_made("bergdorf-falsch")


def test_an_archive_from_a_newer_version_is_refused(archive_b, tmp_path):
    def change(folder: Path) -> None:
        manifest = json.loads((folder / "manifest.json").read_text())
        manifest["migrations"]["town"]["news"].append("9999_from_the_future")
        (folder / "manifest.json").write_text(json.dumps(manifest))

    newer = _repack(archive_b, tmp_path / "newer.tar.gz", change)

    with pytest.raises(ArchiveRefused, match="neueren Dorfkern-Version"):
        town_restore(archive_path=newer, slug="bergdorf-neu")
    _nothing_made("bergdorf-neu")


def test_an_archive_with_an_unlisted_file_is_refused(archive_b, tmp_path):
    def change(folder: Path) -> None:
        (folder / "media").mkdir(exist_ok=True)
        (folder / "media" / "extra.php").write_text("<?php ?>")

    sneaky = _repack(archive_b, tmp_path / "sneaky.tar.gz", change)

    with pytest.raises(ArchiveRefused, match="nicht im Inhaltsverzeichnis"):
        town_restore(archive_path=sneaky, slug="bergdorf-extra")
    _nothing_made("bergdorf-extra")


def test_restoring_under_a_taken_address_is_refused(archive_b):
    with pytest.raises(ArchiveRefused, match="bereits vergeben"):
        town_restore(archive_path=archive_b)  # bergdorf still exists


def test_the_commands_export_and_restore_and_audit(town_b, tmp_path, town_folders):
    from django.core.management import CommandError, call_command

    path = tmp_path / "b.tar.gz"
    call_command("town_export", "bergdorf", "--output", str(path))
    town_folders.append("t_bergdorf_zwei")
    call_command("town_restore", str(path), "--as", "bergdorf-zwei", "--name", "Bergdorf II")

    assert Municipality.objects.get(slug="bergdorf-zwei").name == "Bergdorf II"
    assert set(PlatformAuditEntry.objects.values_list("action", flat=True)) >= {"town.export", "town.restore"}
    with pytest.raises(CommandError, match="Nothing was restored"):
        call_command("town_restore", str(path), "--as", "bergdorf-zwei")
