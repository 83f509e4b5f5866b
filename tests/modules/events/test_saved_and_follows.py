"""Saved dates ("Merken", "Meine Termine") and following an organisation: what a resident sees and is told."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils.translation import gettext as _

from core.calendar import personal_entries
from core.personal_data import personal_data_erase, personal_data_export
from modules.events import services
from modules.events.models import SavedEvent
from modules.notifications.models import Notification, TopicPreference
from tests.accounts.factories import UserFactory
from tests.helpers import logged_in_client
from tests.modules.events.factories import EventFactory, at, in_days
from tests.modules.news.factories import ArticleFactory
from town.models import OrganisationFollow

pytestmark = pytest.mark.django_db


def _weekly(**fields):
    start = in_days(2, 18)
    return EventFactory(title="Lauftreff", starts_at=start, ends_at=start + datetime.timedelta(hours=1),
                        rrule="FREQ=WEEKLY", **fields)


def test_a_resident_saves_a_date_of_a_series_sees_it_under_my_dates_and_removes_it(town_a, resident):
    event = _weekly()
    second = services.first_day(event) + datetime.timedelta(days=7)
    client = logged_in_client(town_a, resident)
    page = client.get(event.get_absolute_url()).content.decode()
    assert _("Save the date") in page and f'value="{second:%Y-%m-%d}"' in page
    save = {"datum": second.isoformat(), "action": "save"}
    assert client.post(f"/events/{event.slug}/merken/", {"datum": second.isoformat()}).status_code == 400  # no button
    assert not SavedEvent.objects.exists()
    response = client.post(f"/events/{event.slug}/merken/", save)
    assert response.status_code == 302
    assert client.post(f"/events/{event.slug}/merken/", save).status_code == 302  # twice
    assert list(SavedEvent.objects.values_list("occurrence_date", flat=True)) == [second]
    mine = client.get("/events/meine-termine/").content.decode()
    assert "Lauftreff" in mine and f"{second:%Y-%m-%d}" in mine
    # A day without a date is refused with a message, nothing saved.
    client.post(f"/events/{event.slug}/merken/", {"datum": (second + datetime.timedelta(days=1)).isoformat(),
                                                  "action": "save"})
    assert SavedEvent.objects.count() == 1
    client.post(f"/events/{event.slug}/merken/", {"datum": second.isoformat(), "action": "remove",
                                                  "next": "meine-termine"})
    assert not SavedEvent.objects.exists()
    assert "Lauftreff" not in client.get("/events/meine-termine/").content.decode()


def test_visitors_are_asked_to_sign_in_and_cannot_save(client_a, in_town_a):
    event = EventFactory(title="Konzert")
    response = client_a.post(f"/events/{event.slug}/merken/", {"action": "save"})
    assert response.status_code in (302, 403) and not SavedEvent.objects.exists()
    assert client_a.get("/events/meine-termine/").status_code in (302, 403)


def test_a_saved_date_is_reminded_the_day_before_once_and_is_in_the_personal_feed(
        in_town_a, resident, celery_eager, django_capture_on_commit_callbacks):
    event = EventFactory(title="Kirchenkonzert", starts_at=in_days(3, 19), ends_at=in_days(3, 21))
    day = services.first_day(event)
    services.event_save(event=event, acting_user=resident)
    services.event_save(event=event, acting_user=resident)  # once only
    window_start = at(day - datetime.timedelta(days=1), 0)
    titles = [item.entry.title for item in personal_entries(resident, window_start,
                                                            window_start + datetime.timedelta(days=7))]
    assert titles == ["Gemerkt: Kirchenkonzert"]
    the_day_before = at(day - datetime.timedelta(days=1), 9)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(now=the_day_before - datetime.timedelta(days=1)) == 0
        assert services.reminders_send(now=the_day_before) == 1
        assert services.reminders_send(now=the_day_before) == 0  # the beat ran twice
    (notice,) = Notification.objects.filter(user=resident, event="events.reminder")
    assert "Kirchenkonzert" in notice.title


def test_registered_and_saved_means_one_reminder_and_one_calendar_entry(
        in_town_a, resident, django_capture_on_commit_callbacks):
    event = EventFactory(title="Sommerfest", registration_enabled=True, capacity=10, starts_at=in_days(3, 15),
                         ends_at=in_days(3, 20))
    services.registration_create(event=event, acting_user=resident, places=2)
    services.event_save(event=event, acting_user=resident)
    day = services.first_day(event)
    window_start = at(day - datetime.timedelta(days=1), 0)
    titles = [item.entry.title for item in personal_entries(resident, window_start,
                                                            window_start + datetime.timedelta(days=7))]
    assert titles == ["Angemeldet: Sommerfest"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(now=at(day - datetime.timedelta(days=1), 9)) == 1
    assert [m.to for m in mail.outbox] == [[resident.email]]
    assert not Notification.objects.filter(event="events.reminder").exists()


def test_saved_dates_are_in_the_export_and_erased(in_town_a, resident):
    event = EventFactory(title="Flohmarkt")
    services.event_save(event=event, acting_user=resident)
    import json
    import zipfile

    exported = json.loads(zipfile.ZipFile(personal_data_export(resident)).read("data.json"))
    assert "Flohmarkt" in json.dumps(exported, ensure_ascii=False)
    personal_data_erase(resident)
    assert not SavedEvent.objects.exists()


def test_a_resident_follows_the_tus_and_hears_of_its_new_events_and_news_once(
        town_a, tus, tus_editor, resident, celery_eager, django_capture_on_commit_callbacks):
    client = logged_in_client(town_a, resident)
    page = client.get(f"/organisationen/{tus.slug}/").content.decode()
    assert _("Follow") in page
    assert client.post(f"/organisationen/{tus.slug}/folgen/").status_code == 400  # no button: nothing changes
    assert not OrganisationFollow.objects.exists()
    assert client.post(f"/organisationen/{tus.slug}/folgen/", {"action": "follow"}).status_code == 302
    assert _("Following") in client.get(f"/organisationen/{tus.slug}/").content.decode()
    assert "TuS Altdorf" in client.get("/konto/").content.decode()  # listed on their account page
    # Also subscribed to all new events: still told once.
    TopicPreference.objects.create(user=resident, topic="events.new", enabled=True)
    neighbour = UserFactory(email="nachbar@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        EventFactory(title="Sportfest des TuS", organisation=tus, acting_user=tus_editor)
        EventFactory(title="Blutspende im Rathaus")
        ArticleFactory(title="TuS sucht Trainer", organisation=tus, acting_user=tus_editor)
    mine = {(n.title, n.topic) for n in Notification.objects.filter(user=resident)}
    assert ("Sportfest des TuS", "follows") in mine
    assert ("TuS sucht Trainer", "follows") in mine
    assert Notification.objects.filter(user=resident, title="Sportfest des TuS").count() == 1
    assert not Notification.objects.filter(user=neighbour, topic="follows").exists()
    # Unfollowing ends it (club news may still come through the topic "news.organisations", if on).
    client.post(f"/organisationen/{tus.slug}/folgen/", {"action": "unfollow"})
    assert not OrganisationFollow.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(title="TuS Jahreshauptversammlung", organisation=tus, acting_user=tus_editor)
    assert not Notification.objects.filter(user=resident, title="TuS Jahreshauptversammlung", topic="follows").exists()


def test_follows_are_in_the_export_and_erased(in_town_a, tus, resident):
    from town.people_services import organisation_follow

    organisation_follow(organisation=tus, acting_user=resident)
    import json
    import zipfile

    exported = json.loads(zipfile.ZipFile(personal_data_export(resident)).read("data.json"))
    assert "TuS Altdorf" in json.dumps(exported, ensure_ascii=False)
    personal_data_erase(resident)
    assert not OrganisationFollow.objects.exists()


def test_those_who_saved_a_cancelled_event_or_date_are_told_in_the_notification_centre(
        in_town_a, resident, celery_eager, django_capture_on_commit_callbacks):
    from tests.accounts.factories import town_admin

    concert = EventFactory(title="Sommerkonzert")
    services.event_save(event=concert, acting_user=resident)
    course = _weekly()
    second = services.first_day(course) + datetime.timedelta(days=7)
    services.event_save(event=course, acting_user=resident, day=second)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(event=concert, acting_user=town_admin())
        services.event_cancel_date(event=course, acting_user=town_admin(), day=second)
    titles = sorted(Notification.objects.filter(user=resident, event="events.date_cancelled")
                    .values_list("title", flat=True))
    assert titles == [_("Cancelled: %(title)s") % {"title": "Lauftreff"},
                      _("Cancelled: %(title)s") % {"title": "Sommerkonzert"}]
