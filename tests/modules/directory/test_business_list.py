"""The public list: search, filters, sponsored cards, the start-page box and what they cost in queries."""

from __future__ import annotations

from datetime import time

import pytest
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from core import opening_hours
from modules.directory import selectors, services
from modules.directory.models import Business, BusinessStatus, OpeningInterval
from tenants.services import tenant_module_disable, tenant_module_enable
from tests.accounts.factories import UserFactory, town_admin
from tests.billing.factories import PromotionFactory
from tests.helpers import logged_in_client, sql_statements
from tests.modules.directory.factories import BusinessCategoryFactory, BusinessFactory
from tests.modules.directory.helpers import ALWAYS
from town.models import Organisation, OrganisationKind


def _names(response) -> list[str]:
    return [b.name for b in response.context["businesses"]]


def test_search_uses_german_stemming(in_town_a, client_a):
    BusinessFactory(name="Holzofenbäckerei Berg", description="Frische Brötchen und Kuchen jeden Morgen.")
    BusinessFactory(name="Schreinerei Tal", description="Möbel nach Maß.")
    assert _names(client_a.get("/directory/", {"q": "Brötchen"})) == ["Holzofenbäckerei Berg"]
    assert _names(client_a.get("/directory/", {"q": "Schreinereien"})) == ["Schreinerei Tal"]


def test_search_finds_category_and_place(in_town_a, village, client_a):
    BusinessFactory(name="Hof Sonnenschein", categories=("hofladen",), ortsgemeinde=village)
    BusinessFactory(name="Friseur Kamm", categories=("dienstleistungen",))
    assert _names(client_a.get("/directory/", {"q": "Hofladen"})) == ["Hof Sonnenschein"]
    assert _names(client_a.get("/directory/", {"q": "Oberdorf"})) == ["Hof Sonnenschein"]


def test_filters_category_village_delivery_and_open_now(in_town_a, village, other_village, client_a):
    # given
    BusinessFactory(name="Bäcker Oben", categories=("baeckerei",), ortsgemeinde=village, delivers=True, hours=ALWAYS)
    BusinessFactory(name="Bäcker Unten", categories=("baeckerei",), ortsgemeinde=other_village, hours=[])
    holiday = BusinessFactory(name="Bäcker Urlaub", categories=("baeckerei",), ortsgemeinde=village, hours=ALWAYS)
    services.opening_exception_add(business=holiday, acting_user=town_admin(), start_date=selectors.today_local())
    BusinessFactory(name="Metzger Oben", categories=("metzgerei",), ortsgemeinde=village, hours=ALWAYS)
    BusinessFactory(name="Wartet noch", categories=("baeckerei",), ortsgemeinde=village, approve=False, hours=ALWAYS)
    # then
    assert _names(client_a.get("/directory/", {"category": "baeckerei"})) == [
        "Bäcker Oben", "Bäcker Unten", "Bäcker Urlaub"
    ]
    assert _names(client_a.get("/directory/", {"ortsgemeinde": "unterdorf"})) == ["Bäcker Unten"]
    assert _names(client_a.get("/directory/", {"delivers": "on"})) == ["Bäcker Oben"]
    assert _names(client_a.get("/directory/", {"open_now": "on"})) == ["Bäcker Oben", "Metzger Oben"]
    assert _names(client_a.get("/directory/", {"open_now": "on", "category": "baeckerei"})) == ["Bäcker Oben"]
    # an unknown filter value is ignored instead of an error page
    assert client_a.get("/directory/", {"category": "gibt-es-nicht", "page": "x"}).status_code == 200


def test_the_residents_own_village_comes_first(in_town_a, village, other_village):
    BusinessFactory(name="A im Unterdorf", ortsgemeinde=other_village)
    BusinessFactory(name="Z im Oberdorf", ortsgemeinde=village)
    resident = UserFactory(email="oben@example.org", ortsgemeinde=village)
    response = logged_in_client(in_town_a, resident).get("/directory/")
    assert _names(response) == ["Z im Oberdorf", "A im Unterdorf"]


def test_open_now_is_shown_on_the_cards(in_town_a, client_a):
    BusinessFactory(name="Immer offen", hours=ALWAYS)
    BusinessFactory(name="Nie offen", hours=[])
    page = client_a.get("/directory/").content.decode()
    assert _("Closed now") in page
    assert "00:00" in page  # "open until 00:00"


def _promote(town, *, slot_key: str, name: str, target_id: int | None = None, text: str = "") -> None:

    with schema_context("public"):
        PromotionFactory(
            tenant=town, slot_key=slot_key, target_id=target_id, sponsor_organisation_id=1, sponsor_name=name,
            link_url="/directory/", text=text,
        )


def test_a_sponsored_entry_is_the_first_card_of_its_category_and_labelled(in_town_a, client_a, town_b):
    # given
    BusinessFactory(name="Bäcker Normal", categories=("baeckerei",))
    bakery = BusinessCategoryFactory(slug="baeckerei")
    _promote(in_town_a, slot_key="directory.category-top", name="Bäckerei Gold", target_id=bakery.pk)
    _promote(in_town_a, slot_key="directory.category-top", name="Zweiter Sponsor", target_id=bakery.pk)
    _promote(town_b, slot_key="directory.category-top", name="Sponsor aus B", target_id=bakery.pk)
    # when
    page = client_a.get("/directory/", {"category": "baeckerei"}).content.decode()
    other = client_a.get("/directory/", {"category": "metzgerei"}).content.decode()
    # then
    assert page.index("Bäckerei Gold") < page.index("Bäcker Normal")
    assert _("Sponsored") in page
    assert "Zweiter Sponsor" not in page  # the slot holds one entry
    assert "Sponsor aus B" not in page
    assert "Bäckerei Gold" not in other
    # the same for a signed-in resident: no personalisation
    resident_page = logged_in_client(in_town_a, UserFactory(email="r@example.org")).get(
        "/directory/", {"category": "baeckerei"}).content.decode()
    assert "Bäckerei Gold" in resident_page


def test_with_nothing_sold_there_is_no_sponsored_card(in_town_a, client_a):
    BusinessFactory(name="Bäcker Normal", categories=("baeckerei",))
    assert _("Sponsored") not in client_a.get("/directory/", {"category": "baeckerei"}).content.decode()


def test_home_widget_shows_open_businesses_nearby_and_sponsored_cards(in_town_a, village, other_village):
    # given
    BusinessFactory(name="Offen Unten", ortsgemeinde=other_village, hours=ALWAYS)
    BusinessFactory(name="Offen Oben", ortsgemeinde=village, hours=ALWAYS)
    BusinessFactory(name="Zu Oben", ortsgemeinde=village, hours=[])
    _promote(in_town_a, slot_key="directory.home", name="Hofladen Sponsor", text="Frische Eier")
    resident = UserFactory(email="heim@example.org", ortsgemeinde=village)
    # when
    page = logged_in_client(in_town_a, resident).get("/").content.decode()
    # then
    widget = page[page.index('id="directory-widget-heading"'):]
    assert widget.index("Offen Oben") < widget.index("Offen Unten")
    assert "Zu Oben" not in widget
    assert "Hofladen Sponsor" in widget and "Frische Eier" in widget and _("Sponsored") in widget


def _bulk_businesses(count: int) -> None:
    """`count` approved businesses with two intervals a day, made in bulk (the services are too slow for 1,000)."""
    bakery = BusinessCategoryFactory(slug="baeckerei")
    start = Organisation.objects.count()
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Betrieb {start + i}", slug=f"betrieb-{start + i}", kind=OrganisationKind.BUSINESS)
        for i in range(count)
    )
    businesses = Business.objects.bulk_create(
        Business(organisation=o, name=o.name, slug=o.slug, status=BusinessStatus.APPROVED, description="Text")
        for o in organisations
    )
    Business.categories.through.objects.bulk_create(
        Business.categories.through(business_id=b.pk, businesscategory_id=bakery.pk) for b in businesses
    )
    OpeningInterval.objects.bulk_create(
        OpeningInterval(business=b, weekday=day, opens=opens, closes=closes)
        for b in businesses for day in range(7) for opens, closes in ((time(0), time(12)), (time(12), time(23, 59)))
    )
    Business.objects.filter(pk__in=[b.pk for b in businesses]).update(
        search_vector=SearchVector("name", config="german") + SearchVector("description", config="german")
    )
    selectors.hours_changed()  # as the services do after every change of hours


def _queries(client, url: str, params: dict, *, cold_open_state: bool = False) -> int:
    """SQL statements of one request (django-tenants' "SET search_path" before each not counted).

    `cold_open_state`: as the first request of a minute, when 'open now' is computed afresh.
    """
    client.get(url, params)  # warm the per-town caches (host, modules, profile), as in production
    if cold_open_state:
        selectors.hours_changed()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    if "businesses" in (response.context or {}):
        assert response.context["businesses"]  # the page really lists something
    return len(sql_statements(captured))


@pytest.mark.parametrize("cold", [False, True], ids=["open-now-cached", "open-now-computed"])
@pytest.mark.parametrize("params", [{}, {"open_now": "on"}, {"category": "baeckerei", "q": "Betrieb"}])
def test_the_list_costs_the_same_queries_for_10_and_1000_businesses(in_town_a, client_a, params, cold,
                                                                     record_property, steady_minute, pages_rendered):
    # steady_minute: "open now" is cached per minute; a minute change between the two counts refills it (+2).
    _bulk_businesses(10)
    with_10 = _queries(client_a, "/directory/", params, cold_open_state=cold)
    _bulk_businesses(990)
    with_1000 = _queries(client_a, "/directory/", params, cold_open_state=cold)
    label = f"{params} ({'first request of the minute' if cold else 'open now cached'})"
    record_property("directory_list_queries", f"{label}: 10 → {with_10}, 1000 → {with_1000}")
    print(f"directory list {label}: 10 businesses → {with_10} queries, 1000 → {with_1000}")
    assert with_10 == with_1000
    assert with_1000 <= (8 if cold else 6)


def test_the_home_widget_costs_no_query_while_cached(in_town_a, client_a, pages_rendered):
    _bulk_businesses(2)
    few = _queries(client_a, "/", {})
    _bulk_businesses(48)
    many = _queries(client_a, "/", {})
    assert few == many
    tenant_module_disable(tenant=in_town_a, key="directory")
    try:
        without = _queries(client_a, "/", {})
    finally:
        tenant_module_enable(tenant=in_town_a, key="directory")
    # The widget's HTML comes from the town's page cache (core.page_cache) until directory data changes.
    assert many == without


def test_open_now_filter_helper_matches_the_pure_function(in_town_a):
    open_one = BusinessFactory(name="Offen", hours=ALWAYS)
    BusinessFactory(name="Zu", hours=[opening_hours.Interval(0, time(0), time(0, 1))])
    moment = timezone.now()
    expected = {b.pk for b in selectors.business_list_visible(with_hours=True) if selectors.business_is_open(b, moment)}
    assert set(selectors.business_ids_open_at(moment)) == expected
    assert open_one.pk in expected


def test_open_now_follows_an_edit_at_once(in_town_a, client_a):
    # given: 'open now' is cached for the minute
    business = BusinessFactory(name="Gleich zu", hours=ALWAYS)
    assert _names(client_a.get("/directory/", {"open_now": "on"})) == ["Gleich zu"]
    # when: the owner closes for today
    services.opening_exception_add(business=business, acting_user=town_admin(), start_date=selectors.today_local())
    # then
    assert _names(client_a.get("/directory/", {"open_now": "on"})) == []
