"""The demo town's Branchenbuch: six approved businesses with hours, a holiday and an offer, loaded once."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from demo import data
from modules.directory import demo, selectors
from modules.directory.models import Business, BusinessStatus, OpeningException, OpeningInterval, WeeklyOffer
from tests.accounts.factories import UserFactory
from tests.helpers import logged_in_client
from tests.town.factories import ResidentProfileFactory
from town.models import MembershipRole, OrganisationMembership, Ortsgemeinde

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def demo_people(in_town_a) -> dict[str, User]:
    """The demo's Ortsgemeinden and people in town A, as the demo loader makes them before the modules' demos."""
    villages = {
        slug: Ortsgemeinde.objects.get_or_create(slug=slug, defaults={"name": name, "postal_codes": codes})[0]
        for name, slug, codes in data.ORTSGEMEINDEN
    }
    people = {}
    for local, (name, role, village, _organisations) in data.PEOPLE.items():
        people[local] = UserFactory(email=data.email_of(local), password=data.PASSWORD, name=name, role=role)
        ResidentProfileFactory(user=people[local], ortsgemeinde=villages[village])
    return people


def _at(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BERLIN)


def _names(response) -> list[str]:
    return [business.name for business in response.context["businesses"]]


def test_demo_businesses_are_loaded_once(demo_people):
    first = demo.load()
    rows = (Business.objects.count(), OpeningInterval.objects.count(), OpeningException.objects.count(),
            WeeklyOffer.objects.count())

    second = demo.load()

    assert first == sum(rows) and second == 0
    assert rows == (
        len(demo.BUSINESSES),
        sum(len(item["hours"]) for item in demo.BUSINESSES),
        1,
        1,
    )
    assert (Business.objects.count(), OpeningInterval.objects.count()) == rows[:2]
    # every entry is approved, shown and spread over different villages, each run by its owner
    assert set(Business.objects.values_list("status", flat=True)) == {BusinessStatus.APPROVED}
    assert Business.objects.filter(is_published=True, latitude__isnull=False, categories__isnull=False).distinct() \
        .count() == len(demo.BUSINESSES)
    assert Business.objects.values("ortsgemeinde").distinct().count() == len(demo.BUSINESSES)
    bakery = Business.objects.get(name="Dorfbäckerei Jung")
    assert bakery.ortsgemeinde.slug == "gebhardshain" and bakery.postal_code == "57580"
    assert bakery.delivers and bakery.pickup and "Vorbestellung" in bakery.delivery_notes
    assert OrganisationMembership.objects.filter(
        organisation_id=bakery.organisation_id, user=demo_people["katrin.jung"], role=MembershipRole.MANAGER
    ).exists()
    offer = WeeklyOffer.objects.get()
    assert offer.business == bakery and offer.valid_until > selectors.today_local()
    assert OpeningException.objects.get().start_date > selectors.today_local()


def test_without_the_demo_people_nothing_is_made(in_town_a):
    assert demo.load() == 0
    assert not Business.objects.exists()


def test_the_hours_have_a_lunch_break_a_late_night_and_a_holiday(demo_people):
    demo.load()
    bakery = Business.objects.get(name="Dorfbäckerei Jung").pk
    pub = Business.objects.get(name="Gasthaus Zur Linde").pk
    today = selectors.today_local()
    monday = today + timedelta(days=(-today.weekday()) % 7 or 7)  # next week's, before the bakery's holiday

    assert bakery in selectors.business_ids_open_at(_at(monday, 10))
    assert bakery not in selectors.business_ids_open_at(_at(monday, 13))  # lunch break
    assert bakery not in selectors.business_ids_open_at(_at(monday + timedelta(days=2), 15))  # Wednesday afternoon
    # Friday 17:00–01:00 still counts at half past midnight on Saturday
    assert pub in selectors.business_ids_open_at(_at(monday + timedelta(days=5), 0, 30))
    assert pub not in selectors.business_ids_open_at(_at(monday + timedelta(days=5), 2))
    assert pub not in selectors.business_ids_open_at(_at(monday, 19))  # Ruhetag
    # the holiday closes the bakery on a day it is normally open at 10:00
    holiday = OpeningException.objects.get()
    assert bakery not in selectors.business_ids_open_at(_at(holiday.start_date, 10))
    assert bakery in selectors.business_ids_open_at(_at(holiday.end_date + timedelta(days=1), 10))


def test_the_directory_shows_the_demo_businesses_and_open_now(demo_people, town_a):
    demo.load()
    client = logged_in_client(town_a, demo_people["maria.weber"])

    listed = _names(client.get("/directory/"))
    open_now = _names(client.get("/directory/", {"open_now": "on"}))
    detail = client.get(Business.objects.get(name="Dorfbäckerei Jung").get_absolute_url()).content.decode()

    assert sorted(listed) == sorted(item["name"] for item in demo.BUSINESSES)
    now = timezone.now()
    expected = [b.name for b in Business.objects.order_by("name") if selectors.business_is_open(b, now)]
    assert sorted(open_now) == sorted(expected)
    assert "Westerwälder Bauernbrot, 1 kg" in detail and "3,90 €" in detail
    assert "Hauptstraße 14" in detail and "Betriebsferien" in detail


def test_the_demo_stays_in_its_town(demo_people, town_a, town_b, client_b):
    demo.load()
    bakery_url = Business.objects.get(name="Dorfbäckerei Jung").get_absolute_url()

    page = client_b.get("/directory/").content.decode()

    assert "Dorfbäckerei Jung" not in page
    assert client_b.get(bakery_url).status_code == 404
    with schema_context(town_b.schema_name):
        assert not Business.objects.exists() and not WeeklyOffer.objects.exists()


def test_the_owners_hear_of_their_approval_and_the_town_of_no_stale_application(
    demo_people, celery_eager, no_quiet_hours, django_capture_on_commit_callbacks
):
    from modules.notifications.models import Notification

    no_quiet_hours(*demo_people.values())

    with django_capture_on_commit_callbacks(execute=True):
        demo.load()

    approved = Notification.objects.filter(event="directory.approved")
    assert approved.filter(user=demo_people["katrin.jung"]).count() == 1
    assert approved.count() == len(demo.BUSINESSES)
    # the applications were decided before the notices went out: nothing waits in the review queue
    assert not Notification.objects.filter(event="directory.application").exists()
