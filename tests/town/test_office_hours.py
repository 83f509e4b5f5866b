"""Office hours: the town admin enters them, every page shows them, the calendar carries them weekly."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context
from icalendar import Calendar

from tests.accounts.factories import OrtsgemeindeFactory, UserFactory
from tests.helpers import TownClient, host_of, logged_in_client
from tests.town.calendar_factories import OfficeHourFactory
from town.models import OfficeHour, TownProfile

NEW_HOUR = {"weekday": "3", "starts_at": "14:00", "ends_at": "18:00", "title": "Bürgerbüro",
            "place": "Rathaus, Zimmer 12", "ortsgemeinde": ""}


def _count(town) -> int:
    with schema_context(town.schema_name):
        return OfficeHour.objects.count()


def test_an_admin_adds_office_hours_that_every_page_and_the_calendar_show(admin_client_a, town_a):
    with schema_context(town_a.schema_name):
        TownProfile.objects.update(contact_name="Sabine Krämer", contact_hours="und nach Vereinbarung")

    response = admin_client_a.post("/backoffice/sprechzeiten/", NEW_HOUR, follow=True)

    assert response.status_code == 200 and "Bürgerbüro" in response.content.decode()
    page = TownClient(host_of(town_a)).get("/impressum/").content.decode()
    assert "Donnerstag 14:00–18:00" in page and "Rathaus, Zimmer 12" in page
    assert "und nach Vereinbarung" in page  # the free text stays next to the structured hours
    start_page = TownClient(host_of(town_a)).get("/").content.decode()
    assert "Donnerstag 14:00–18:00" in start_page
    feed = Calendar.from_ical(TownClient(host_of(town_a)).get("/kalender/ical/quelle/sprechzeiten/").content)
    [event] = feed.walk("VEVENT")
    assert event["RRULE"]["BYDAY"] == ["TH"] and event["DTSTART"].dt.hour == 14
    assert str(event["LOCATION"]) == "Rathaus, Zimmer 12"


@pytest.mark.parametrize("change", [
    {"ends_at": "13:00"},  # before the start
    {"ends_at": "14:00"},  # no time at all
    {"title": ""},
    {"weekday": "9"},
    {"starts_at": "25:00"},
])
def test_bad_office_hours_are_refused_with_a_message_and_nothing_saved(admin_client_a, town_a, change):
    response = admin_client_a.post("/backoffice/sprechzeiten/", {**NEW_HOUR, **change})

    assert response.status_code == 400
    assert 'class="field has-error"' in response.content.decode()
    assert _count(town_a) == 0


def test_an_admin_removes_office_hours_and_the_footer_no_longer_shows_them(admin_client_a, town_a):
    with schema_context(town_a.schema_name):
        TownProfile.objects.update(contact_name="Sabine Krämer")
        hour = OfficeHourFactory(title="Sprechstunde Bürgermeisterin", weekday=0)
    assert "Sprechstunde Bürgermeisterin" in TownClient(host_of(town_a)).get("/impressum/").content.decode()

    admin_client_a.post(f"/backoffice/sprechzeiten/{hour.pk}/delete/")

    assert _count(town_a) == 0
    assert "Sprechstunde Bürgermeisterin" not in TownClient(host_of(town_a)).get("/impressum/").content.decode()


def test_a_village_sprechstunde_is_in_the_calendar_but_not_in_the_town_wide_contact_card(admin_client_a, town_a):
    with schema_context(town_a.schema_name):
        TownProfile.objects.update(contact_name="Sabine Krämer")
        OfficeHourFactory(title="Sprechstunde Ortsbürgermeister", ortsgemeinde=OrtsgemeindeFactory(slug="nord"))

    page = TownClient(host_of(town_a)).get("/impressum/").content.decode()
    feed = TownClient(host_of(town_a)).get("/kalender/ical/nord/").content.decode()

    assert "Sprechstunde Ortsbürgermeister" not in page
    assert "Sprechstunde Ortsbürgermeister" in feed


def test_residents_cannot_manage_office_hours(town_a):
    with schema_context(town_a.schema_name):
        resident = UserFactory()
        hour = OfficeHourFactory()
    client = logged_in_client(town_a, resident)

    assert client.get("/backoffice/sprechzeiten/").status_code == 403
    assert client.post("/backoffice/sprechzeiten/", NEW_HOUR).status_code == 403
    assert client.post(f"/backoffice/sprechzeiten/{hour.pk}/delete/").status_code == 403
    assert _count(town_a) == 1


def test_the_back_office_menu_links_to_the_office_hours(admin_client_a):
    assert "/backoffice/sprechzeiten/" in admin_client_a.get("/backoffice/").content.decode()
