"""/api/v1/directory/: read-only, only approved businesses, filters, ETag."""

from __future__ import annotations

from modules.directory import selectors, services
from tests.accounts.factories import town_admin
from tests.modules.directory.factories import BusinessFactory
from tests.modules.directory.helpers import ALWAYS


def test_list_and_detail(in_town_a, village, client_a):
    # given
    business = BusinessFactory(
        name="Hofladen API",
        categories=("hofladen",),
        ortsgemeinde=village,
        delivers=True,
        phone="0123",
        hours=ALWAYS,
    )
    BusinessFactory(name="Noch geheim", approve=False)
    # when
    listing = client_a.get("/api/v1/directory/businesses/").json()
    detail = client_a.get(f"/api/v1/directory/businesses/{business.slug}/").json()
    # then
    assert [item["slug"] for item in listing["results"]] == [business.slug]
    assert detail["name"] == "Hofladen API"
    assert detail["categories"] == [{"name": "Hofladen", "slug": "hofladen"}]
    assert detail["ortsgemeinde"] == {"name": "Oberdorf", "slug": "oberdorf"}
    assert detail["is_open_now"] is True
    assert detail["opening_hours"][0] == {"weekday": 0, "opens": "00:00", "closes": "00:00", "closes_next_day": True}
    assert detail["url"].startswith("http") and detail["url"].endswith(f"/directory/{business.slug}/")


def test_filters(in_town_a, village, other_village, client_a):
    BusinessFactory(name="Offen Oben", ortsgemeinde=village, hours=ALWAYS, categories=("baeckerei",))
    closed = BusinessFactory(name="Zu Unten", ortsgemeinde=other_village, hours=ALWAYS, delivers=True)
    services.opening_exception_add(business=closed, acting_user=town_admin(), start_date=selectors.today_local())

    def names(**params):
        return [item["name"] for item in client_a.get("/api/v1/directory/businesses/", params).json()["results"]]

    assert names(open_now="true") == ["Offen Oben"]
    assert names(delivers="true") == ["Zu Unten"]
    assert names(ortsgemeinde="unterdorf") == ["Zu Unten"]
    assert names(category="baeckerei") == ["Offen Oben"]
    assert client_a.get("/api/v1/directory/businesses/", {"ortsgemeinde": "nirgendwo"}).status_code == 400


def test_pending_and_unknown_businesses_are_404(in_town_a, client_a):
    pending = BusinessFactory(name="Wartet", approve=False)
    assert client_a.get(f"/api/v1/directory/businesses/{pending.slug}/").status_code == 404
    assert client_a.get("/api/v1/directory/businesses/gibt-es-nicht/").status_code == 404


def test_etag_answers_304_until_the_entry_changes(in_town_a, client_a):
    business = BusinessFactory(name="Mit ETag")
    url = f"/api/v1/directory/businesses/{business.slug}/"
    etag = client_a.get(url)["ETag"]
    assert client_a.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    services.business_update(business=business, acting_user=town_admin(), data={"phone": "0999"})
    assert client_a.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200
    list_etag = client_a.get("/api/v1/directory/businesses/")["ETag"]
    assert client_a.get("/api/v1/directory/businesses/", HTTP_IF_NONE_MATCH=list_etag).status_code == 304


def test_the_api_is_read_only(in_town_a, admin_client_a):
    business = BusinessFactory(name="Nur lesen")
    assert admin_client_a.post("/api/v1/directory/businesses/", {"name": "x"}).status_code == 405
    assert admin_client_a.post(f"/api/v1/directory/businesses/{business.slug}/").status_code == 405
