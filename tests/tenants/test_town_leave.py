"""A town leaves (issue 18 §5, ISOLATION T19): export handed over, off at once, then nothing of it is left."""

from __future__ import annotations

import datetime
import json
import shutil
import tarfile
from io import BytesIO

import pytest
from django.core.cache import cache
from django.utils import timezone
from django_tenants.utils import schema_context, schema_exists

from billing import gateway
from billing.models import StripeCustomer, Subscription
from core.models import OutboxMessage, PlatformAuditEntry
from tenants import tasks
from tenants.lifecycle import (
    export_archive_path,
    schema_table_digests,
    town_export,
    town_media_dirs,
    town_restore,
    towns_leaving_purge,
)
from tenants.models import Domain, Municipality, TenantModule
from tests.billing.conftest import catalogue, localstripe  # noqa: F401 - the billing suite's fixtures
from tests.billing.helpers import customer_with_method
from tests.helpers import TownClient, image_upload
from tests.modules.news.factories import ArticleFactory


@pytest.fixture
def leaving_town(town_b, tmp_path):
    """A town of its own (a copy of town B), with an uploaded photo, so town B itself stays."""
    archive = town_export(tenant=town_b, path=tmp_path / "b.tar.gz").path
    town = town_restore(archive_path=archive, slug="bergdorf-geht").town
    with schema_context(town.schema_name):
        ArticleFactory(title="Abschied", image=image_upload(), image_alt="Ein Foto")
    yield town
    for folder in town_media_dirs(town.schema_name).values():
        shutil.rmtree(folder, ignore_errors=True)


def test_t19_a_leaving_town_is_handed_its_export_and_then_nothing_of_it_is_left(
        leaving_town, town_b, client_b, staff_client, catalogue, localstripe,  # noqa: F811
        django_capture_on_commit_callbacks):
    town = leaving_town
    host = "bergdorf-geht.localhost"
    # given: the town is in use: its pages cached, a plan paid at Stripe, work queued, files stored
    visitor = TownClient(host)
    assert visitor.get("/").status_code == 200
    with schema_context(town.schema_name):
        cache.set("zaehler", 1)
    customer = customer_with_method(town, organisation_id=None)
    from billing.services import platform_plan_start

    with schema_context("public"):
        subscription = platform_plan_start(tenant=town, customer=customer, product=catalogue["plan-dorf"])
    OutboxMessage.objects.create(task_name="town.some_mail", args=[1], schema_name=town.schema_name)
    town_b_before = schema_table_digests(town_b.schema_name)

    # when: staff let the town leave
    refused = staff_client.post(f"/staff/gemeinden/{town.pk}/austritt/", {"confirm": "falsch"})
    assert refused.status_code == 302 and Municipality.objects.get(pk=town.pk).is_active
    left = staff_client.post(f"/staff/gemeinden/{town.pk}/austritt/", {"confirm": town.slug})

    # then: off at once, deletion scheduled after the grace period, its export queued for hand-over
    assert left.status_code == 302
    assert visitor.get("/").status_code == 404
    town.refresh_from_db()
    assert not town.is_active
    assert town.delete_after - timezone.now() > datetime.timedelta(days=29)
    assert OutboxMessage.objects.filter(task_name="tenants.town_export", args=[town.pk]).exists()
    tasks.town_export(town.pk)  # what the worker does with it
    town.refresh_from_db()
    page = staff_client.get("/staff/").content.decode()
    assert f"/staff/gemeinden/{town.pk}/export/herunterladen/" in page
    download = staff_client.get(f"/staff/gemeinden/{town.pk}/export/herunterladen/")
    assert download.status_code == 200
    with tarfile.open(fileobj=BytesIO(b"".join(download.streaming_content))) as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
        public_rows = [json.loads(line) for line in archive.extractfile("public.jsonl")]
    # T19: the export holds only this town's public rows
    assert manifest["town"]["slug"] == "bergdorf-geht"
    assert all(row["fields"].get("tenant", town.pk) == town.pk for row in public_rows)
    assert [row["pk"] for row in public_rows if row["model"] == "tenants.municipality"] == [town.pk]
    assert {"tenants.domain", "billing.subscription", "billing.stripecustomer"} <= {r["model"] for r in public_rows}
    archive_path = export_archive_path(town)
    assert archive_path is not None

    # when: the grace period is over
    assert towns_leaving_purge(now=town.delete_after - datetime.timedelta(minutes=1)) == []
    with django_capture_on_commit_callbacks(execute=True):  # Stripe is told after the deletion commits
        assert towns_leaving_purge(now=town.delete_after + datetime.timedelta(minutes=1)) == ["bergdorf-geht"]

    # then: nothing of the town is left anywhere
    assert not schema_exists(town.schema_name)
    assert not any(folder.exists() for folder in town_media_dirs(town.schema_name).values())
    assert not archive_path.exists()
    client = cache._cache.get_client(write=True)
    assert list(client.scan_iter(match=f"{town.schema_name}:*")) == []
    assert not OutboxMessage.objects.filter(schema_name=town.schema_name).exists()
    assert not Municipality.objects.filter(pk=town.pk).exists()
    assert not Domain.objects.filter(domain=host).exists() and not TenantModule.objects.filter(tenant_id=town.pk)
    assert not StripeCustomer.objects.filter(tenant_id=town.pk) and not Subscription.objects.filter(tenant_id=town.pk)
    assert gateway.subscription_retrieve(subscription.stripe_id)["status"] == "canceled"
    assert visitor.get("/").status_code == 404
    assert "town.leave" in PlatformAuditEntry.objects.values_list("action", flat=True)
    assert "town.deleted" in PlatformAuditEntry.objects.values_list("action", flat=True)
    # and town B is untouched
    assert schema_table_digests(town_b.schema_name) == town_b_before
    assert client_b.get("/").status_code == 200


def test_staff_take_a_leaving_back_and_the_town_stays(staff_client, town_b, client_b):
    town = town_b  # the test's transaction rolls the leaving back afterwards
    staff_client.post(f"/staff/gemeinden/{town.pk}/austritt/", {"confirm": town.slug})
    assert client_b.get("/").status_code == 404

    response = staff_client.post(f"/staff/gemeinden/{town.pk}/austritt/zuruecknehmen/")

    town.refresh_from_db()
    assert response.status_code == 302 and town.is_active and town.delete_after is None
    assert towns_leaving_purge(now=timezone.now() + datetime.timedelta(days=365)) == []
    assert client_b.get("/").status_code == 200
    assert {"town.leave", "town.leave_cancel"} <= set(PlatformAuditEntry.objects.values_list("action", flat=True))


def test_only_staff_download_a_towns_export(public_client, town_b, client_b):
    from tests.tenants.helpers import make_staff

    Municipality.objects.filter(pk=town_b.pk).update(export_archive="bergdorf-fehlt.tar.gz")
    public_client.force_login(make_staff("someone@example.org", is_staff=False))
    assert public_client.get(f"/staff/gemeinden/{town_b.pk}/export/herunterladen/").status_code == 403
    assert public_client.post(f"/staff/gemeinden/{town_b.pk}/austritt/", {"confirm": "bergdorf"}).status_code == 403
    # on a town's host the staff pages don't exist
    assert client_b.get(f"/staff/gemeinden/{town_b.pk}/export/herunterladen/").status_code == 404
