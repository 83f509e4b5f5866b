"""The editors' back office: who may publish for whom, series, cancelling, lists and exports."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _

from modules.events import services
from modules.events.models import Event, EventStatus
from tests.accounts.factories import UserFactory, town_admin
from tests.helpers import image_upload, logged_in_client
from tests.modules.events.factories import EventFactory, in_days

pytestmark = pytest.mark.django_db


def _form(**fields):
    day = (datetime.date.today() + datetime.timedelta(days=10)).isoformat()
    data = {"title": "Sommerfest", "start_date": day, "start_time": "14:00", "end_time": "22:00",
            "is_free": "on", "max_places_per_registration": 4, "description": "Mit Musik"}
    data.update(fields)
    return data


def test_the_tus_editor_publishes_a_weekly_training_for_the_tus(in_town_a, tus, tus_editor):
    client = logged_in_client(in_town_a, tus_editor)
    response = client.post("/events/manage/new/", _form(title="TuS-Training", organisation=tus.pk,
                                                         repeat="weekly", publish="1"))
    assert response.status_code == 302
    event = Event.objects.get(title="TuS-Training")
    assert event.status == EventStatus.PUBLISHED and event.rrule.startswith("FREQ=WEEKLY;BYDAY=")
    assert event.series_ends_at is None


def test_an_editor_cannot_publish_for_another_organisation(in_town_a, tus_editor):
    from tests.town.factories import OrganisationFactory

    other = OrganisationFactory(name="Kirchenchor", slug="kirchenchor")
    client = logged_in_client(in_town_a, tus_editor)
    response = client.post("/events/manage/new/", _form(organisation=other.pk))
    assert response.status_code == 400
    assert not Event.objects.exists()
    theirs = EventFactory(title="Chorkonzert", organisation=other)
    assert client.get(f"/events/manage/{theirs.slug}/edit/").status_code == 403


def test_end_before_start_and_an_image_that_isnt_one_give_clear_messages(in_town_a, tus, tus_editor):
    client = logged_in_client(in_town_a, tus_editor)
    response = client.post("/events/manage/new/", _form(organisation=tus.pk, end_time="10:00"))
    assert _("The event cannot end before it starts.") in response.content.decode()
    fake = SimpleUploadedFile("bild.jpg", b"kein bild", content_type="image/jpeg")
    response = client.post("/events/manage/new/", {**_form(organisation=tus.pk), "image": fake, "image_alt": "x"})
    assert response.status_code == 400
    assert not Event.objects.exists()


def test_an_image_is_stored_re_encoded_with_its_description(in_town_a, tus, tus_editor):
    # Into the test media folder like other uploads: overriding MEDIA_ROOT here outlived the test in the
    # town storage's cached location, and later tests found their files under this test's tmp_path.
    client = logged_in_client(in_town_a, tus_editor)
    client.post("/events/manage/new/", {**_form(organisation=tus.pk), "image": image_upload(),
                                        "image_alt": "Festzelt"})
    event = Event.objects.get()
    assert event.image and event.image_alt == "Festzelt"


def test_the_organiser_sees_the_list_exports_csv_and_prints_the_check_in_list(in_town_a, tus, tus_editor):
    event = EventFactory(title="Sommerfest", organisation=tus, acting_user=tus_editor, registration_enabled=True,
                         capacity=10, questions="Vegetarisch?")
    services.registration_create(event=event, acting_user=UserFactory(name="=Anna", email="anna@example.org"),
                                 places=2, answers={"Vegetarisch?": "ja"})
    client = logged_in_client(in_town_a, tus_editor)
    page = client.get(f"/events/manage/{event.slug}/registrations/").content.decode()
    assert "anna@example.org" in page
    assert _("%(taken)s of %(capacity)s places taken.") % {"taken": 2, "capacity": 10} in page
    csv_text = client.get(f"/events/manage/{event.slug}/registrations.csv").content.decode("utf-8-sig")
    assert f"'=Anna;anna@example.org;2;{_('Confirmed')}" in csv_text and "ja" in csv_text  # no formula injection
    assert "=Anna" in client.get(f"/events/manage/{event.slug}/checkin/").content.decode()
    resident_client = logged_in_client(in_town_a, UserFactory(email="neugierig@example.org"))
    assert resident_client.get(f"/events/manage/{event.slug}/registrations/").status_code == 403


def test_a_resident_suggests_an_event_and_the_town_accepts_it(in_town_a, resident, admin_client_a):
    client = logged_in_client(in_town_a, resident)
    response = client.post("/events/suggest/", _form(title="Flohmarkt im Hof"))
    assert response.status_code == 302
    event = Event.objects.get(title="Flohmarkt im Hof")
    assert event.status == EventStatus.SUGGESTED
    assert "Flohmarkt im Hof" not in client.get("/events/").content.decode()
    admin_client_a.post(f"/events/manage/{event.slug}/review/", {"decision": "accept"})
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED


def test_cancelling_one_date_of_a_series_from_the_back_office(in_town_a, admin_client_a):
    start = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
    event = EventFactory(title="Training", starts_at=start, ends_at=start + datetime.timedelta(hours=1),
                         rrule="FREQ=WEEKLY")
    day = (start + datetime.timedelta(days=7)).astimezone(services.TOWN_TZ).date()
    admin_client_a.post(f"/events/manage/{event.slug}/cancel-date/", {"day": day.isoformat()})
    event.refresh_from_db()
    assert event.cancelled_dates == [day]
    admin_client_a.post(f"/events/manage/{event.slug}/cancel-date/",
                        {"day": (day + datetime.timedelta(days=1)).isoformat()})
    event.refresh_from_db()
    assert event.cancelled_dates == [day]  # not a date of the series: refused


def test_the_tus_editor_edits_the_festival_and_the_form_shows_what_is_stored(in_town_a, tus, tus_editor):
    event = EventFactory(title="Sommerfest", organisation=tus, acting_user=tus_editor, registration_enabled=True,
                         capacity=50)
    client = logged_in_client(in_town_a, tus_editor)
    page = client.get(f"/events/manage/{event.slug}/edit/").content.decode()
    assert 'value="Sommerfest"' in page and 'value="50"' in page
    day = event.starts_at.astimezone(services.TOWN_TZ).date().isoformat()
    response = client.post(f"/events/manage/{event.slug}/edit/", _form(
        title="Großes Sommerfest", organisation=tus.pk, start_date=day, registration_enabled="on", capacity=60))
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.capacity, event.slug) == ("Großes Sommerfest", 60, "sommerfest")


def test_the_town_chooses_who_accepts_suggestions(in_town_a, resident, tus, tus_editor, monkeypatch):
    suggestion = services.event_suggest(acting_user=resident, title="Vereinsgrillen", organisation=tus,
                                        starts_at=in_days(5, 17), ends_at=in_days(5, 22))
    editor = logged_in_client(in_town_a, tus_editor)
    assert "Vereinsgrillen" in editor.get("/events/manage/").content.decode()  # by default the TuS's editors decide
    # The town decides itself: the editor no longer sees or decides it; the town's admin does.
    monkeypatch.setattr("modules.events.conf.suggestions_reviewed_by_town_only", lambda: True)
    monkeypatch.setattr("modules.events.services.suggestions_reviewed_by_town_only", lambda: True)
    assert "Vereinsgrillen" not in editor.get("/events/manage/").content.decode()
    assert editor.post(f"/events/manage/{suggestion.slug}/review/", {"decision": "accept"}).status_code == 403
    suggestion.refresh_from_db()
    assert suggestion.status == EventStatus.SUGGESTED
    assert services.user_can_review(town_admin(), suggestion)
