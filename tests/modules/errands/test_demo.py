"""The demo town's Mitbringdienst: an open request for the demo bakery's bread, an accepted one and a trip."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from demo import data
from modules.directory import demo as directory_demo
from modules.directory.models import Business
from modules.errands import demo
from modules.errands.models import ErrandComment, ErrandEvent, ErrandRequest, ErrandStatus, Trip
from tests.accounts.factories import UserFactory
from tests.helpers import logged_in_client
from tests.town.factories import ResidentProfileFactory
from town.models import Ortsgemeinde

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


def test_demo_errands_are_loaded_once(demo_people):
    directory_demo.load()  # the loader runs the modules' demos alphabetically: the directory first

    first = demo.load()
    second = demo.load()

    assert first == ErrandRequest.objects.count() + ErrandComment.objects.count() + Trip.objects.count() == 4
    assert second == 0
    tomorrow = timezone.localtime().date() + timedelta(days=1)
    bread = ErrandRequest.objects.get(status=ErrandStatus.OPEN)
    assert bread.requester == demo_people["gisela.hoffmann"] and bread.helper is None
    assert bread.business_id == Business.objects.get(name=demo.BAKERY).pk and bread.shop_name == demo.BAKERY
    assert timezone.localtime(bread.window_start).date() == tomorrow and bread.window_end > bread.window_start
    assert bread.ortsgemeinde.slug == "fensdorf"
    drinks = ErrandRequest.objects.get(status=ErrandStatus.ACCEPTED)
    assert drinks.requester == demo_people["hannah.klein"] and drinks.helper == demo_people["maria.weber"]
    assert list(drinks.events.values_list("kind", flat=True)) == ["created", "accepted"]
    assert drinks.comments.get().author == demo_people["maria.weber"]
    trip = Trip.objects.get()
    departure = timezone.localtime(trip.departure_at)
    assert trip.destination == "Betzdorf" and departure.weekday() == 3 and departure.time() == time(10)
    assert timezone.now() < trip.departure_at <= timezone.now() + timedelta(days=7)
    assert trip.capacity == 2 and not trip.requests.exists()  # room for two shopping lists
    assert set(trip.ortsgemeinden.values_list("slug", flat=True)) == set(demo.TRIP["ortsgemeinden"])
    assert ErrandEvent.objects.count() == 3


def test_without_the_directory_the_bakery_is_free_text(demo_people):
    demo.load()

    bread = ErrandRequest.objects.get(status=ErrandStatus.OPEN)
    assert bread.business_id is None and bread.shop_name == f"{demo.BAKERY}, Gebhardshain"


def test_without_the_demo_people_nothing_is_made(in_town_a):
    assert demo.load() == 0
    assert not ErrandRequest.objects.exists() and not Trip.objects.exists()


@pytest.mark.parametrize(("now", "expected"), [
    (datetime(2026, 12, 3, 9, 0, tzinfo=BERLIN), datetime(2026, 12, 3, 10, 0, tzinfo=BERLIN)),  # Thursday morning
    (datetime(2026, 12, 3, 10, 0, tzinfo=BERLIN), datetime(2026, 12, 10, 10, 0, tzinfo=BERLIN)),  # just gone
    (datetime(2026, 12, 6, 18, 0, tzinfo=BERLIN), datetime(2026, 12, 10, 10, 0, tzinfo=BERLIN)),  # Sunday
    (datetime(2027, 3, 25, 11, 0, tzinfo=BERLIN), datetime(2027, 4, 1, 10, 0, tzinfo=BERLIN)),  # over the DST change
])
def test_the_trip_leaves_on_the_next_thursday_at_ten(now, expected):
    moment = demo.next_weekday_at(3, time(10), now=now)

    assert moment == expected and moment - now <= timedelta(days=7)


def test_the_pages_show_the_demo(demo_people, town_a):
    directory_demo.load()
    demo.load()
    client = logged_in_client(town_a, demo_people["thomas.mueller"])

    requests = client.get("/errands/").content.decode()
    trips = client.get("/errands/trips/").content.decode()
    trip = client.get(Trip.objects.get().get_absolute_url()).content.decode()

    assert demo.BAKERY in requests and "Westerwälder Bauernbrot" in requests
    assert "Getränkemarkt Gebhardshain" not in requests  # accepted: no longer waiting for a helper
    assert "Betzdorf" in trips and "Wochenmarkt" in trips
    assert "Kombi" in trip


def test_the_demo_stays_in_its_town(demo_people, town_a, town_b):
    demo.load()
    trip_url = Trip.objects.get().get_absolute_url()
    with schema_context(town_b.schema_name):
        stranger = UserFactory(email="fremd@example.org", name="Fremd")
    client_b = logged_in_client(town_b, stranger)

    page = client_b.get("/errands/").content.decode()

    assert "Westerwälder Bauernbrot" not in page
    assert client_b.get(trip_url).status_code == 404
    with schema_context(town_b.schema_name):
        assert not ErrandRequest.objects.exists() and not Trip.objects.exists()


def test_hannah_hears_that_maria_accepted_and_wrote(
    demo_people, celery_eager, no_quiet_hours, django_capture_on_commit_callbacks
):
    from modules.notifications.models import Notification

    no_quiet_hours(*demo_people.values())

    with django_capture_on_commit_callbacks(execute=True):
        demo.load()

    events = set(Notification.objects.filter(user=demo_people["hannah.klein"]).values_list("event", flat=True))
    assert events == {"errands.accepted", "errands.comment"}
    assert not Notification.objects.exclude(user=demo_people["hannah.klein"]).exists()
