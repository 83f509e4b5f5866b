"""A town that left comes back from its export under its own address (issue 18 §5).

The town kept the archive it was handed when it left; after the grace period everything of it was
deleted. Restored without a new slug, it answers on its old subdomain again: residents sign in with
their old passwords and find the news. Its own domain (digital.vg-musterhausen.de) comes back as a
claim that has to be proven again: the old proof is at least a grace period old, the address may
have moved on meanwhile, and only proven addresses are routed (T11). The token is the old one, so a
TXT record that is still there proves it with one check. Town B is untouched throughout.
"""

from __future__ import annotations

import datetime
import shutil

import pytest
from django_tenants.utils import schema_context, schema_exists

from tenants import tasks
from tenants.lifecycle import (
    export_archive_path,
    schema_table_digests,
    town_export,
    town_leave,
    town_media_dirs,
    town_restore,
    towns_leaving_purge,
)
from tenants.models import CustomDomain, Domain, Municipality
from tests.accounts.factories import PASSWORD, UserFactory
from tests.helpers import TownClient, admin_of
from tests.modules.news.factories import ArticleFactory
from tests.tenants.test_custom_domains import OWN, PAGE, _ask, _check, _verified, dns  # noqa: F401

SLUG = "bergdorf-kehrt-zurueck"
HOST = f"{SLUG}.localhost"


@pytest.fixture
def returning_town(town_b, tmp_path):
    """A town of its own (a copy of town B), so town B itself stays; its folders go afterwards."""
    archive = town_export(tenant=town_b, path=tmp_path / "b.tar.gz").path
    town = town_restore(archive_path=archive, slug=SLUG).town
    yield town
    for folder in town_media_dirs(town.schema_name).values():
        shutil.rmtree(folder, ignore_errors=True)


def _admin_client(town, host: str) -> TownClient:
    client = TownClient(host)
    with schema_context(town.schema_name):
        client.force_login(admin_of(town))
    return client


def test_a_deleted_town_restored_from_its_export_serves_its_content_under_its_own_address(
        returning_town, town_b, client_b, dns, tmp_path):  # noqa: F811
    town = returning_town
    # given: a resident, the town's news, and its own domain proven and made the main address
    with schema_context(town.schema_name):
        UserFactory(email="rita@example.org", name="Rita Rückkehr")
        ArticleFactory(title="Wir machen eine Pause", body="<p>Bis bald im Bergdorf.</p>")
    admin = _admin_client(town, HOST)
    claim = _verified(town, dns, admin)
    assert admin.post(f"{PAGE}hauptadresse/", {"domain": OWN}).status_code == 302
    assert TownClient(OWN).get("/").status_code == 200
    town_b_before = schema_table_digests(town_b.schema_name)

    # when: the town leaves, takes its export home, and is deleted after the grace period
    left = town_leave(tenant=town)
    tasks.town_export(town.pk)
    town.refresh_from_db()
    handed_over = tmp_path / "bergdorf-zu-hause.tar.gz"
    shutil.copyfile(export_archive_path(town), handed_over)
    assert towns_leaving_purge(now=left.delete_after + datetime.timedelta(minutes=1)) == [SLUG]
    assert not schema_exists(town.schema_name) and not Municipality.objects.filter(slug=SLUG).exists()
    assert TownClient(HOST).get("/").status_code == 404 and TownClient(OWN).get("/").status_code == 404

    # and comes back: its archive restored under its original address
    back = town_restore(archive_path=handed_over).town

    # then: the old subdomain serves the town again, its main address for now
    assert (back.slug, back.schema_name, back.is_active) == (SLUG, town.schema_name, True)
    visitor = TownClient(HOST)
    home = visitor.get("/")
    assert home.status_code == 200 and f'content="http://{HOST}/' in home.content.decode()
    news = visitor.get("/news/")
    assert news.status_code == 200 and "Wir machen eine Pause" in news.content.decode()
    # a resident signs in with her old password and reads the news
    login = visitor.post("/accounts/login/", {"login": "rita@example.org", "password": PASSWORD})
    assert login.status_code == 302
    assert "Rita Rückkehr" in visitor.get("/konto/").content.decode()
    assert "Wir machen eine Pause" in visitor.get("/news/").content.decode()
    # its own domain is not routed on the old proof: a claim to prove again, with the same token
    assert TownClient(OWN).get("/").status_code == 404 and _ask(OWN) == 404
    with schema_context("public"):
        again = CustomDomain.objects.get(tenant=back, domain=OWN)
        assert again.verified_at is None and again.token == claim.token
        assert list(Domain.objects.filter(tenant=back).values_list("domain", "is_primary")) == [(HOST, True)]
    # the TXT record is still there: one check and the address serves the town again
    admin = _admin_client(back, HOST)
    assert "gehört zu Ihrer Gemeinde" in _check(admin, again).content.decode()
    page = TownClient(OWN).get("/news/")
    assert page.status_code == 200 and "Wir machen eine Pause" in page.content.decode()
    # town B is untouched
    assert schema_table_digests(town_b.schema_name) == town_b_before
    assert client_b.get("/").status_code == 200
