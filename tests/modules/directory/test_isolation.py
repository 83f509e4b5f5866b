"""A business of town A cannot appear or act in town B (the isolation suite covers every route as well)."""

from __future__ import annotations

from django.db import connection

from modules.directory import facade
from modules.directory.models import Business, BusinessStatus
from tests.accounts.factories import UserFactory
from tests.helpers import admin_of, logged_in_client
from tests.modules.directory.factories import BusinessFactory


def test_a_business_of_town_a_is_nowhere_in_town_b(town_a, town_b, client_b, admin_client_b):
    # given: the same name and slug would fit in B, yet B has no such business
    connection.set_tenant(town_a)
    owner = UserFactory(email="baeckerin@example.org")
    business = BusinessFactory(name="Bäckerei Grenzenlos", owner=owner)
    pending = BusinessFactory(name="Wartet in A", approve=False)
    connection.set_schema_to_public()
    # then: pages, vCard, API and back office of B know nothing of it
    for url in (f"/directory/{business.slug}/", f"/directory/{business.slug}/vcard/",
                f"/api/v1/directory/businesses/{business.slug}/", f"/directory/manage/{business.slug}/"):
        assert client_b.get(url).status_code in (404, 302), url
        assert admin_client_b.get(url).status_code == 404, url
    assert "Bäckerei Grenzenlos" not in client_b.get("/directory/").content.decode()
    assert client_b.get("/api/v1/directory/businesses/").json()["results"] == []
    assert "Wartet in A" not in admin_client_b.get("/directory/manage/applications/").content.decode()
    # B's admin cannot approve A's pending business
    assert admin_client_b.post(f"/directory/manage/applications/{pending.slug}/approve/").status_code == 404
    # the owner's session of A is not valid on B's host
    owner_on_b = logged_in_client(town_a, owner)
    owner_on_b.defaults["HTTP_HOST"] = client_b.host
    assert owner_on_b.post(f"/directory/manage/{business.slug}/", {"name": "Gekapert"}).status_code in (302, 404)
    # the facade of B (what errands uses) does not return it
    connection.set_tenant(town_b)
    try:
        assert not Business.objects.exists()  # B has no businesses at all, whatever the ids
        assert facade.business_get(business.pk) is None
        assert all(summary.name != business.name for summary in facade.business_choices())
    finally:
        connection.set_schema_to_public()
    connection.set_tenant(town_a)
    try:
        assert Business.objects.get(pk=pending.pk).status == BusinessStatus.PENDING
        assert Business.objects.get(pk=business.pk).name == "Bäckerei Grenzenlos"
    finally:
        connection.set_schema_to_public()
    assert admin_of(town_b).email  # B's admin exists and was the one refused
