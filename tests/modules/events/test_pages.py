"""The public pages: list with filters, event page with JSON-LD and iCal, registering and cancelling."""

from __future__ import annotations

import datetime
import json
import re

import icalendar
import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import ngettext

from core.calendar import TOWN_TZ
from modules.events import selectors, services
from modules.events.models import Registration, RegistrationStatus
from tests.helpers import logged_in_client
from tests.modules.events.factories import EventFactory, VenueFactory, at

pytestmark = pytest.mark.django_db


def _next_saturday() -> datetime.date:
    today = datetime.datetime.now(TOWN_TZ).date()
    friday, _sunday = selectors.weekend_of(today)
    return max(friday + datetime.timedelta(days=1), today)


def test_this_weekend_shows_the_weekends_events_and_not_next_weeks(in_town_a, client_a):
    saturday = _next_saturday()
    EventFactory(title="Sommerfest", starts_at=at(saturday, 14), ends_at=at(saturday, 22))
    EventFactory(title="Herbstmarkt", starts_at=at(saturday + datetime.timedelta(days=7), 10),
                 ends_at=at(saturday + datetime.timedelta(days=7), 16))
    page = client_a.get("/events/?when=weekend").content.decode()
    assert "Sommerfest" in page and "Herbstmarkt" not in page
    assert "Herbstmarkt" in client_a.get("/events/").content.decode()


def test_the_list_filters_by_ortsgemeinde_and_keeps_town_wide_events(in_town_a, client_a, villages):
    EventFactory(title="Kirmes in Xanten", ortsgemeinde=villages["x"])
    EventFactory(title="Kirmes in Ypsdorf", ortsgemeinde=villages["y"])
    EventFactory(title="Rathausfest")
    page = client_a.get("/events/?ortsgemeinde=xanten-au").content.decode()
    assert "Kirmes in Xanten" in page and "Rathausfest" in page and "Kirmes in Ypsdorf" not in page


def test_the_event_page_carries_schema_org_event_data(in_town_a, client_a):
    venue = VenueFactory()
    event = EventFactory(title="Kirchenkonzert </script>", venue=venue, is_free=False, price="10 €",
                         description="<p>Orgel</p><script>alert(1)</script>")
    page = client_a.get(event.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert block is not None
    data = json.loads(block.group(1))
    # schema.org Event: required name, startDate, location; recommended endDate, eventStatus, organizer,
    # description, image (when there is one), offers, eventAttendanceMode.
    assert data["@type"] == "Event" and data["name"] == "Kirchenkonzert </script>"
    assert data["startDate"].startswith(event.starts_at.astimezone(TOWN_TZ).date().isoformat())
    assert data["location"]["address"]["streetAddress"] == "Hauptstraße 1"
    assert data["location"]["geo"]["latitude"] == pytest.approx(50.7354)
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert {"endDate", "organizer", "description", "offers", "eventAttendanceMode"} <= set(data)
    assert "<script>alert" not in page
    services.event_cancel(event=event, acting_user=event.created_by)
    page = client_a.get(event.get_absolute_url()).content.decode()
    assert "https://schema.org/EventCancelled" in page


def test_add_to_calendar_gives_an_ics_file_of_the_event(in_town_a, client_a):
    event = EventFactory(title="Dorffest")
    response = client_a.get(f"/events/{event.slug}/ical/")
    assert response["Content-Type"].startswith("text/calendar")
    parsed = icalendar.Calendar.from_ical(response.content)
    summaries = [str(component.get("summary")) for component in parsed.walk("VEVENT")]
    assert summaries == ["Dorffest"]


def test_a_resident_registers_three_places_and_cancels_with_the_mail_link(in_town_a, resident,
                                                                          django_capture_on_commit_callbacks):
    event = EventFactory(title="Sommerfest", registration_enabled=True, capacity=50)
    client = logged_in_client(in_town_a, resident)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/events/{event.slug}/register/", {"places": 3})
    assert response.status_code == 302
    registration = Registration.objects.get(event=event, user=resident)
    assert (registration.places, registration.status) == (3, RegistrationStatus.CONFIRMED)
    page = client.get(event.get_absolute_url()).content.decode()
    assert ngettext("You are registered for %(counter)s place.", "You are registered for %(counter)s places.", 3) % {
        "counter": 3} in page
    assert ngettext("%(counter)s place left.", "%(counter)s places left.", 47) % {"counter": 47} in page
    link = re.search(r"/events/anmeldung/[^/\s]+/abmelden/", mail.outbox[-1].body).group(0)
    assert client.get(link).status_code == 200  # a mail scanner following the link changes nothing
    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.CONFIRMED
    client.post(link, {"confirm": "yes"})
    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.CANCELLED


def test_a_resident_registers_for_one_date_of_a_weekly_course_on_its_page(in_town_a, resident):
    start = at(datetime.datetime.now(TOWN_TZ).date() + datetime.timedelta(days=2), 10)
    event = EventFactory(title="Sitzgymnastik", starts_at=start, ends_at=start + datetime.timedelta(hours=1),
                         rrule="FREQ=WEEKLY", registration_enabled=True, capacity=12, max_places_per_registration=2)
    second = services.first_day(event) + datetime.timedelta(days=7)
    client = logged_in_client(in_town_a, resident)
    page = client.get(event.get_absolute_url()).content.decode()
    assert 'name="day"' in page and f'value="{second:%Y-%m-%d}"' in page
    response = client.post(f"/events/{event.slug}/register/", {"day": second.isoformat(), "places": 2})
    assert response.status_code == 302
    registration = Registration.objects.get(event=event, user=resident)
    assert (registration.occurrence_date, registration.places) == (second, 2)
    page = client.get(event.get_absolute_url()).content.decode()
    assert ngettext("%(counter)s place left", "%(counter)s places left", 10) % {"counter": 10} in page
    # A date that isn't offered: a clear message on the form, nothing stored.
    bad = client.post(f"/events/{event.slug}/register/", {"day": "2001-01-01", "places": 1})
    assert bad.status_code == 400 and Registration.objects.filter(event=event).count() == 1
    client.post(f"/events/{event.slug}/unregister/", {"datum": second.isoformat()})
    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.CANCELLED


def test_an_invented_cancel_link_is_not_found(in_town_a, client_a):
    assert client_a.get("/events/anmeldung/erfunden/abmelden/").status_code == 404


def test_drafts_are_hidden_from_the_public(in_town_a, client_a):
    event = EventFactory(title="Geheimes Fest", publish=False)
    assert client_a.get(event.get_absolute_url()).status_code == 404
    assert "Geheimes Fest" not in client_a.get("/events/").content.decode()


def test_the_list_costs_the_same_queries_for_3_and_30_events(in_town_a, client_a, pages_rendered):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client_a.get("/events/").status_code == 200
        return len(queries)

    for n in range(3):
        EventFactory(title=f"Fest {n}")
    count()  # caches warm (town profile, module settings)
    small = count()
    start = at(datetime.date.today(), 19)
    for n in range(27):
        EventFactory(title=f"Training {n}", starts_at=start, ends_at=start + datetime.timedelta(hours=1),
                     rrule="FREQ=WEEKLY")
    count()  # the first visit after new events refills the cached organiser filter
    assert count() == small


def test_an_organisations_calendar_feed_holds_its_events_only(in_town_a, client_a, tus):
    EventFactory(title="TuS-Sportfest", organisation=tus)
    EventFactory(title="Rathausfest")
    response = client_a.get(f"/events/feed/verein/{tus.slug}/ical/")
    summaries = [str(c.get("summary")) for c in icalendar.Calendar.from_ical(response.content).walk("VEVENT")]
    assert summaries == ["TuS-Sportfest"]
    assert client_a.get("/events/feed/verein/gibt-es-nicht/ical/").status_code == 404


def test_a_change_to_an_event_its_venue_or_organisation_shows_on_the_next_visit_of_the_list_and_api(
        in_town_a, client_a, tus):
    # given: the list and the API were visited (their dates are cached per town)
    venue = VenueFactory(name="Bürgerhaus", street="Hauptstraße 1")
    event = EventFactory(title="Sommerfest", venue=venue, organisation=tus)
    assert "Sommerfest" in client_a.get("/events/").content.decode()
    assert client_a.get("/api/v1/events/occurrences/").json()["results"][0]["event"]["title"] == "Sommerfest"

    # when: the organiser renames it, the town moves the venue and renames the club
    event.title = "Sommerfest am See"
    event.save()
    venue.street = "Seeweg 5"
    venue.save()
    tus.name = "TuS Altdorf 1920"
    tus.save()

    # then: both show the change at once
    page = client_a.get("/events/").content.decode()
    assert "Sommerfest am See" in page and "Seeweg 5" in page and "TuS Altdorf 1920" in page
    found = client_a.get("/api/v1/events/occurrences/").json()["results"][0]["event"]
    assert (found["title"], found["organisation"]["name"]) == ("Sommerfest am See", "TuS Altdorf 1920")
    assert "Seeweg 5" in found["place"]

    # and: hidden by the moderators (an update without a save signal), it leaves both
    services.event_set_hidden(event_id=event.pk, hidden=True)
    assert "Sommerfest" not in client_a.get("/events/").content.decode()
    assert client_a.get("/api/v1/events/occurrences/").json()["count"] == 0
