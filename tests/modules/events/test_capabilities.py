"""What events give the rest of the platform: API, personal data, site search, personal calendar, map."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from core.calendar import personal_entries
from core.personal_data import personal_data_erase, personal_data_export
from modules.events import services
from modules.events.models import Event, Registration, RegistrationStatus
from modules.notifications.models import Notification
from tests.accounts.factories import UserFactory
from tests.helpers import logged_in_client
from tests.modules.events.factories import EventFactory, VenueFactory, in_days

pytestmark = pytest.mark.django_db


def test_the_api_lists_the_dates_of_a_series_and_refuses_an_endless_window(in_town_a, client_a):
    start = in_days(1, 19)
    EventFactory(title="Training", starts_at=start, ends_at=start + datetime.timedelta(hours=1),
                 rrule="FREQ=WEEKLY;COUNT=3")
    data = client_a.get("/api/v1/events/occurrences/").json()
    assert [item["event"]["title"] for item in data["results"]] == ["Training"] * 3
    too_long = client_a.get("/api/v1/events/occurrences/?start=2026-01-01&end=2030-01-01")
    assert too_long.status_code == 400


def test_an_editor_creates_an_event_through_the_api_and_end_before_start_is_refused(in_town_a, tus, tus_editor):
    client = logged_in_client(in_town_a, tus_editor)
    start = in_days(3, 10)
    ok = client.post("/api/v1/events/events/create/", {
        "title": "Jugendturnier", "starts_at": start.isoformat(), "organisation": tus.slug,
        "ends_at": (start + datetime.timedelta(hours=5)).isoformat()}, content_type="application/json")
    assert ok.status_code == 201 and ok.json()["organisation"]["slug"] == tus.slug
    bad = client.post("/api/v1/events/events/create/", {
        "title": "Rückwärts", "starts_at": start.isoformat(), "organisation": tus.slug,
        "ends_at": (start - datetime.timedelta(hours=5)).isoformat()}, content_type="application/json")
    assert bad.status_code == 400 and "ends_at" in bad.json()
    assert Event.objects.filter(title="Rückwärts").count() == 0


def test_a_persons_registrations_are_in_their_export_and_their_calendar_and_erased_with_them(
        in_town_a, celery_eager, django_capture_on_commit_callbacks, daytime):
    event = EventFactory(title="Sommerfest", registration_enabled=True, capacity=2)
    anna = UserFactory(email="anna@example.org", name="Anna")
    bernd = UserFactory(email="bernd@example.org", name="Bernd")
    services.registration_create(event=event, acting_user=anna, places=2)
    services.registration_create(event=event, acting_user=bernd, places=1)
    now = event.starts_at - datetime.timedelta(days=1)
    mine = personal_entries(anna, now, now + datetime.timedelta(days=30))
    assert [item.entry.title for item in mine] == ["Angemeldet: Sommerfest"]
    assert personal_entries(UserFactory(email="x@example.org"), now, now + datetime.timedelta(days=30)) == []
    import json
    import zipfile

    archive = zipfile.ZipFile(personal_data_export(anna))
    exported = json.loads(archive.read("data.json"))
    assert "Sommerfest" in json.dumps(exported, ensure_ascii=False) and "bernd@" not in json.dumps(exported)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        personal_data_erase(anna)
    assert not Registration.objects.filter(user=anna).exists()
    assert Registration.objects.get(user=bernd).status == RegistrationStatus.CONFIRMED  # moved up
    # Told in the notification centre (which e-mails him as he chose), not by a second mail of the module.
    assert Notification.objects.filter(user=bernd, event="events.promoted").count() == 1
    assert [m.to for m in mail.outbox] == [["bernd@example.org"]]


def test_site_search_finds_public_events_only(in_town_a, client_a):
    EventFactory(title="Kirchenkonzert mit Orgel")
    EventFactory(title="Kirchenkonzert im Entwurf", publish=False)
    page = client_a.get("/suche/?q=Kirchenkonzert").content.decode()
    assert "mit Orgel" in page and "im Entwurf" not in page


def test_events_at_a_venue_appear_on_the_map(in_town_a, client_a):
    EventFactory(title="Feuerwehrfest", venue=VenueFactory(name="Feuerwehrhaus"))
    assert "Feuerwehrfest" in client_a.get("/karte/").content.decode()
