"""The town's iCalendar feeds, proven with a test-only calendar source next to the town's office hours."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django_tenants.utils import schema_context
from icalendar import Calendar

from tests.accounts.factories import OrtsgemeindeFactory, UserFactory
from tests.core.calendar_fake import FAKE_KEY, fake_calendar_module, make_fake_source  # noqa: F401
from tests.helpers import TownClient, host_of, logged_in_client
from tests.town.calendar_factories import OfficeHourFactory

SCHEME = settings.SITE_SCHEME


def _parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def _events(calendar: Calendar) -> dict[str, object]:
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def town_a_calendar(town_a, fake_calendar_module):  # noqa: F811
    """Town A with two villages, a resident, the fake source, and one office hour town-wide and one in Nord."""
    with schema_context(town_a.schema_name):
        nord = OrtsgemeindeFactory(name="Nord", slug="nord")
        OrtsgemeindeFactory(name="Süd", slug="sued")
        resident = UserFactory(email="maria@example.org", name="Maria")
        OfficeHourFactory(title="Bürgerbüro", weekday=1)
        OfficeHourFactory(title="Sprechstunde Ortsbürgermeister Nord", weekday=3, ortsgemeinde=nord)
    fake_calendar_module(make_fake_source(village_id=nord.pk, owner_email="maria@example.org"))
    return resident


def test_the_town_feed_merges_every_source_into_valid_icalendar(town_a, town_a_calendar):
    response = TownClient(host_of(town_a)).get("/kalender/ical/")

    calendar = _parse(response)
    assert "public" in response["Cache-Control"] and "max-age" in response["Cache-Control"]
    assert str(calendar["X-WR-CALNAME"]) == "Verbandsgemeinde Altdorf"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    events = _events(calendar)
    assert set(events) == {"Dorffest", "Chorprobe", "Wochenmarkt fällt aus", "Bürgerbüro",
                           "Sprechstunde Ortsbürgermeister Nord"}
    for event in events.values():
        assert event["UID"].endswith(f"@{town_a.schema_name}.dorfkern")
        assert event["DTSTAMP"].dt.tzinfo is not None

    fest = events["Dorffest"]
    assert type(fest["DTSTART"].dt) is datetime.date  # all day: a DATE value
    assert (fest["DTEND"].dt - fest["DTSTART"].dt).days == 2
    assert str(fest["URL"]) == f"{SCHEME}://altdorf.localhost/feste/1/"
    assert str(fest["LOCATION"]) == "Festplatz"

    rehearsal = events["Chorprobe"]
    assert rehearsal["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert rehearsal["DTSTART"].dt.hour == 19 and rehearsal["DTSTART"].dt.minute == 30
    assert rehearsal["RRULE"]["FREQ"] == ["WEEKLY"] and rehearsal["RRULE"]["COUNT"] == [10]
    cancelled = rehearsal["EXDATE"].dts[0].dt
    assert cancelled == rehearsal["DTSTART"].dt + datetime.timedelta(days=7)
    assert str(events["Wochenmarkt fällt aus"]["STATUS"]) == "CANCELLED"

    office = events["Bürgerbüro"]
    assert office["RRULE"]["BYDAY"] == ["TU"] and office["DTSTART"].dt.weekday() == 1
    assert "Sprechzeiten" in [str(c) for c in office["CATEGORIES"].cats]


def test_an_ortsgemeinde_feed_has_that_village_and_the_whole_town_but_no_other_village(town_a, town_a_calendar):
    client = TownClient(host_of(town_a))

    nord = _events(_parse(client.get("/kalender/ical/nord/")))
    sued = _parse(client.get("/kalender/ical/sued/"))

    assert {"Chorprobe", "Sprechstunde Ortsbürgermeister Nord", "Dorffest", "Bürgerbüro"} <= set(nord)
    assert set(_events(sued)) == {"Dorffest", "Wochenmarkt fällt aus", "Bürgerbüro"}
    assert str(sued["X-WR-CALNAME"]) == "Verbandsgemeinde Altdorf – Süd"
    assert client.get("/kalender/ical/gibt-es-nicht/").status_code == 404


def test_a_source_feed_has_only_that_source(town_a, town_a_calendar):
    client = TownClient(host_of(town_a))

    office = _events(_parse(client.get("/kalender/ical/quelle/sprechzeiten/")))
    fake = _events(_parse(client.get(f"/kalender/ical/quelle/{FAKE_KEY}/")))

    assert set(office) == {"Bürgerbüro", "Sprechstunde Ortsbürgermeister Nord"}
    assert set(fake) == {"Dorffest", "Chorprobe", "Wochenmarkt fällt aus"}
    assert client.get("/kalender/ical/quelle/unbekannt/").status_code == 404


def test_anonymous_feeds_never_contain_personal_entries(town_a, town_a_calendar):
    events = _events(_parse(TownClient(host_of(town_a)).get("/kalender/ical/")))

    assert not any(title.startswith("Angemeldet") for title in events)


def _personal_link(client: TownClient) -> str:
    page = client.get("/konto/kalender/").content.decode()
    start = page.index("/kalender/ical/persoenlich/")
    return page[start:page.index('"', start)]


def test_a_resident_subscribes_renews_and_revokes_their_personal_feed(town_a, town_a_calendar):
    resident = town_a_calendar
    client = logged_in_client(town_a, resident)
    assert "/kalender/ical/persoenlich/" not in client.get("/konto/kalender/").content.decode()

    client.post("/konto/kalender/", {"action": "renew"})
    first = _personal_link(client)
    assert _personal_link(client) == first  # the account page shows the same link again
    feed = TownClient(host_of(town_a)).get(first)  # a calendar app: no session, only the link
    events = _events(_parse(feed))
    assert set(events) == {"Angemeldet: Wanderung (Maria)"}
    assert "private" in feed["Cache-Control"]
    assert str(_parse(feed)["X-WR-CALNAME"]) == "Verbandsgemeinde Altdorf – meine Termine"

    client.post("/konto/kalender/", {"action": "renew"})
    second = _personal_link(client)
    assert second != first
    assert TownClient(host_of(town_a)).get(first).status_code == 404
    assert TownClient(host_of(town_a)).get(second).status_code == 200

    client.post("/konto/kalender/", {"action": "revoke"})
    assert TownClient(host_of(town_a)).get(second).status_code == 404
    assert "/kalender/ical/persoenlich/" not in client.get("/konto/kalender/").content.decode()


def test_the_personal_feed_shows_only_its_owners_entries(town_a, town_a_calendar):
    with schema_context(town_a.schema_name):
        neighbour = UserFactory(email="nachbar@example.org", name="Nachbar")
    client = logged_in_client(town_a, neighbour)
    client.post("/konto/kalender/", {"action": "renew"})

    events = _events(_parse(TownClient(host_of(town_a)).get(_personal_link(client))))

    assert events == {}


def test_only_a_hash_of_the_token_is_stored(town_a, town_a_calendar):
    from town.models import CalendarSubscription

    client = logged_in_client(town_a, town_a_calendar)
    client.post("/konto/kalender/", {"action": "renew"})
    token = _personal_link(client).rstrip("/").rsplit("/", 1)[1]

    with schema_context(town_a.schema_name):
        row = CalendarSubscription.objects.get(user=town_a_calendar)
    assert token not in (row.salt, row.token_hash)


def test_town_b_shows_none_of_town_as_entries_and_refuses_its_token(town_a, town_b, town_a_calendar):
    client_a = logged_in_client(town_a, town_a_calendar)
    client_a.post("/konto/kalender/", {"action": "renew"})
    link = _personal_link(client_a)
    client_b = TownClient(host_of(town_b))

    b_feed = _events(_parse(client_b.get("/kalender/ical/")))
    office_b = _events(_parse(client_b.get("/kalender/ical/quelle/sprechzeiten/")))

    assert "Bürgerbüro" not in b_feed and office_b == {}
    assert client_b.get(link).status_code == 404
    assert client_b.get("/kalender/ical/nord/").status_code == 404
    assert TownClient(host_of(town_a)).get(link).status_code == 200


def test_a_source_of_a_module_the_town_switched_off_is_not_in_its_feeds(town_a, town_a_calendar, monkeypatch):
    import core.modules

    enabled = core.modules.enabled_module_keys
    monkeypatch.setattr(core.modules, "enabled_module_keys",
                        lambda *, fresh=False: enabled(fresh=fresh) - {FAKE_KEY})
    client = TownClient(host_of(town_a))

    assert "Dorffest" not in _events(_parse(client.get("/kalender/ical/")))
    assert client.get(f"/kalender/ical/quelle/{FAKE_KEY}/").status_code == 404


def test_the_account_page_offers_the_town_and_village_feeds(town_a, town_a_calendar):
    from town.models import Ortsgemeinde, ResidentProfile

    with schema_context(town_a.schema_name):
        ResidentProfile.objects.create(user=town_a_calendar, ortsgemeinde=Ortsgemeinde.objects.get(slug="nord"))
    page = logged_in_client(town_a, town_a_calendar).get("/konto/kalender/").content.decode()

    assert f"{SCHEME}://altdorf.localhost/kalender/ical/" in page
    assert f"{SCHEME}://altdorf.localhost/kalender/ical/nord/" in page
    assert f"{SCHEME}://altdorf.localhost/kalender/ical/quelle/sprechzeiten/" in page
    assert 'href="webcal://altdorf.localhost/kalender/ical/nord/"' in page  # one tap opens the calendar app


def test_the_calendar_links_page_needs_a_sign_in_and_refuses_an_unknown_action(town_a, town_a_calendar):
    anonymous = TownClient(host_of(town_a)).get("/konto/kalender/")
    client = logged_in_client(town_a, town_a_calendar)
    response = client.post("/konto/kalender/", {"action": "delete-everything"}, follow=True)

    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert "Nothing was changed" in response.content.decode() or "Es wurde nichts" in response.content.decode()
    assert "/kalender/ical/persoenlich/" not in response.content.decode()


def test_a_feed_costs_the_same_queries_for_2_and_20_office_hours(town_a, town_a_calendar):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = TownClient(host_of(town_a))
    client.get("/kalender/ical/")  # warm the caches
    with CaptureQueriesContext(connection) as few:
        client.get("/kalender/ical/")
    with schema_context(town_a.schema_name):
        OfficeHourFactory.create_batch(18)
    client.get("/kalender/ical/")  # the new rows dropped the cached profile (it lists office hours)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/kalender/ical/")

    assert len(_events(_parse(response))) == 5 + 18
    assert len(many) == len(few)
