"""Offices' closed days in the town's calendar feed; the read API (services A–Z, offices with hours)."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.calendar import TOWN_TZ
from modules.services import selectors, services
from tests.accounts.factories import town_admin
from tests.modules.services.factories import PDF, OfficeFactory, ServiceFactory

FIRST = datetime.date.today() + datetime.timedelta(days=10)
LAST = FIRST + datetime.timedelta(days=7)


@pytest.fixture
def office(in_town_a):
    office = OfficeFactory(name="Standesamt", hours=[(0, "08:30", "12:00")])
    services.office_day_add(office=office, acting_user=town_admin(), start_date=FIRST, end_date=LAST,
                            note="Weihnachten")
    return office


def test_closed_days_are_all_day_entries_and_weekly_hours_stay_with_the_towns_source(office):
    start = datetime.datetime.combine(FIRST - datetime.timedelta(days=20), datetime.time(), tzinfo=TOWN_TZ)
    [entry] = selectors.calendar_entries(start, start + datetime.timedelta(days=60))
    assert "Standesamt" in entry.title
    assert entry.start == FIRST and entry.end == LAST + datetime.timedelta(days=1)
    assert entry.path == office.get_absolute_url()


def test_the_towns_feed_carries_the_closed_days(office, client_a):
    feed = client_a.get("/kalender/ical/quelle/aemter/").content.decode()
    assert "BEGIN:VEVENT" in feed and f"DTSTART;VALUE=DATE:{FIRST:%Y%m%d}" in feed
    # the weekly hours are in the town's office-hours source, once
    assert "Standesamt" in client_a.get("/kalender/ical/quelle/sprechzeiten/").content.decode()


def test_api_lists_services_a_to_z_and_offices_with_hours(office, client_a):
    service = ServiceFactory(title="Eheschließung anmelden", office=office, documents="Ausweis\nGeburtsurkunde",
                             appointment_required=True)
    ServiceFactory(title="Entwurf", is_published=False)
    body = client_a.get("/api/v1/services/services/").json()
    assert [row["title"] for row in body["results"]] == ["Eheschließung anmelden"]
    assert body["results"][0]["documents"] == ["Ausweis", "Geburtsurkunde"]
    assert body["results"][0]["office"] == office.slug
    services.service_form_add(service=service, acting_user=town_admin(), title="Antrag",
                              upload=SimpleUploadedFile("a.pdf", PDF))
    detail = client_a.get(f"/api/v1/services/services/{service.slug}/").json()
    assert detail["forms"][0]["title"] == "Antrag" and detail["forms"][0]["url"].endswith(".pdf")
    [row] = client_a.get("/api/v1/services/offices/").json()
    assert row["hours"] == [{"weekday": 0, "opens": "08:30", "closes": "12:00"}]
    assert row["special_days"][0]["note"] == "Weihnachten"
    assert client_a.get("/api/v1/services/services/entwurf/").status_code == 404
    service.forms.get().file.delete(save=False)


def test_the_api_is_described_in_the_openapi_schema(client_a):
    schema = client_a.get("/api/schema/").content.decode()
    for path in ("/api/v1/services/services/", "/api/v1/services/services/{slug}/", "/api/v1/services/offices/"):
        assert path in schema
