"""Registration: places, waiting list in order, moving up on cancel, window and capacity rules."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from modules.events import services
from modules.events.models import Registration, RegistrationStatus
from modules.notifications.models import Notification
from tests.accounts.factories import UserFactory, town_admin
from tests.modules.events.factories import EventFactory, in_days

pytestmark = pytest.mark.django_db


def _festival(**fields):
    return EventFactory(title="Sommerfest", registration_enabled=True, capacity=5, **fields)


def _person(name: str):
    return UserFactory(email=f"{name.lower()}@example.org", name=name)


def test_a_family_takes_four_places_and_the_next_family_waits(in_town_a, django_capture_on_commit_callbacks):
    event = _festival()
    with django_capture_on_commit_callbacks(execute=True):
        first, token = services.registration_create(event=event, acting_user=_person("Anna"), places=4)
        second, _tok = services.registration_create(event=event, acting_user=_person("Bernd"), places=2)
    assert first.status == RegistrationStatus.CONFIRMED
    assert second.status == RegistrationStatus.WAITING
    confirmation = next(m for m in mail.outbox if m.to == ["anna@example.org"])
    assert "Sommerfest" in confirmation.subject
    assert f"/events/anmeldung/{token}/abmelden/" in confirmation.body
    assert _("No longer interested? Leave the waiting list here:") in next(
        m for m in mail.outbox if m.to == ["bernd@example.org"]).body


def test_cancelling_moves_the_first_waiting_person_up_once_and_tells_them(in_town_a, monkeypatch,
                                                                          django_capture_on_commit_callbacks):
    # Without the notification centre (switched off in the town) they are told by e-mail.
    monkeypatch.setattr("modules.notifications.facade.notifications_enabled", lambda: False)
    event = _festival()
    anna, _tok = services.registration_create(event=event, acting_user=_person("Anna"), places=4)
    bernd, _tok = services.registration_create(event=event, acting_user=_person("Bernd"), places=2)
    carla, _tok = services.registration_create(event=event, acting_user=_person("Carla"), places=1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.registration_cancel(registration=anna)
        again = services.registration_cancel(registration=anna)  # a second click on the link
    assert [r.pk for r in promoted] == [bernd.pk, carla.pk]
    assert again == []
    assert sorted(m.to[0] for m in mail.outbox) == ["bernd@example.org", "carla@example.org"]
    assert _("Good news: a place became free. You moved up from the waiting list and are now registered:") in (
        mail.outbox[0].body)


def test_a_newcomer_does_not_jump_the_waiting_list(in_town_a):
    event = _festival()
    services.registration_create(event=event, acting_user=_person("Anna"), places=4)
    services.registration_create(event=event, acting_user=_person("Bernd"), places=3)  # waits: only 1 free
    dora, _tok = services.registration_create(event=event, acting_user=_person("Dora"), places=1)
    assert dora.status == RegistrationStatus.WAITING


def test_registration_outside_its_window_or_twice_is_refused_with_a_clear_message(in_town_a):
    now = timezone.now()
    event = _festival(registration_opens_at=now + datetime.timedelta(hours=1))
    with pytest.raises(ValidationError, match=_("Registration has not opened yet.")):
        services.registration_create(event=event, acting_user=_person("Anna"))
    late = _festival(registration_closes_at=now - datetime.timedelta(hours=1),
                     registration_opens_at=now - datetime.timedelta(days=2))
    with pytest.raises(ValidationError, match=_("Registration has closed.")):
        services.registration_create(event=late, acting_user=_person("Bernd"))
    open_event = _festival()
    carla = _person("Carla")
    services.registration_create(event=open_event, acting_user=carla)
    with pytest.raises(ValidationError, match=_("You are already registered for this event.")):
        services.registration_create(event=open_event, acting_user=carla)
    with pytest.raises(ValidationError):
        services.registration_create(event=open_event, acting_user=_person("Emil"), places=9)
    assert Registration.objects.count() == 1


def test_capacity_below_the_places_taken_is_refused_and_a_higher_one_moves_people_up(in_town_a):
    event = _festival()
    services.registration_create(event=event, acting_user=_person("Anna"), places=4)
    bernd, _tok = services.registration_create(event=event, acting_user=_person("Bernd"), places=3)
    with pytest.raises(ValidationError) as error:
        services.event_update(event=event, acting_user=town_admin(), data={"capacity": 3})
    assert error.value.message_dict["capacity"][0].startswith(_(
        "%(taken)d places are already taken. Cancel registrations first or keep at least %(taken)d places.")
        % {"taken": 4})
    services.event_update(event=event, acting_user=town_admin(), data={"capacity": 8})
    bernd.refresh_from_db()
    assert bernd.status == RegistrationStatus.CONFIRMED


def test_cancelling_the_event_tells_everyone_registered(in_town_a, django_capture_on_commit_callbacks):
    event = _festival()
    services.registration_create(event=event, acting_user=_person("Anna"), places=2)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(event=event, acting_user=town_admin())
    assert [m.to for m in mail.outbox] == [["anna@example.org"]]
    assert _("Unfortunately this event you registered for does not take place:") in mail.outbox[0].body


def test_the_reminder_goes_once_per_person_even_if_the_task_runs_twice(in_town_a,
                                                                        django_capture_on_commit_callbacks):
    event = _festival()  # tomorrow evening
    services.registration_create(event=event, acting_user=_person("Anna"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = services.reminders_send()
        second = services.reminders_send()
    assert (first, second) == (1, 0)
    assert len(mail.outbox) == 1
    assert _("A reminder: tomorrow is the event you registered for.") in mail.outbox[0].body


def test_moving_up_is_in_the_notification_centre(in_town_a, celery_eager, django_capture_on_commit_callbacks):
    event = _festival()
    anna, _tok = services.registration_create(event=event, acting_user=_person("Anna"), places=4)
    bernd, _tok = services.registration_create(event=event, acting_user=_person("Bernd"), places=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=anna)
    notice = Notification.objects.get(user=bernd.user, event="events.promoted")
    assert "Sommerfest" in notice.title and notice.url.endswith(event.get_absolute_url())
    assert notice.read_at is None


def _weekly_with_places(**fields):
    start = in_days(2, 18)
    return EventFactory(title="Töpferkurs", starts_at=start, ends_at=start + datetime.timedelta(hours=2),
                        rrule="FREQ=WEEKLY;COUNT=6", registration_enabled=True, capacity=2, **fields)


def test_a_series_takes_registrations_per_date_with_its_own_places_and_waiting_list(
        in_town_a, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr("modules.notifications.facade.notifications_enabled", lambda: False)
    event = _weekly_with_places()
    first = services.first_day(event)
    second = first + datetime.timedelta(days=7)
    anna, _tok = services.registration_create(event=event, acting_user=_person("Anna"), places=2, day=first)
    bernd, _tok = services.registration_create(event=event, acting_user=_person("Bernd"), places=2, day=second)
    carla, _tok = services.registration_create(event=event, acting_user=_person("Carla"), places=1, day=first)
    assert (anna.status, bernd.status, carla.status) == (RegistrationStatus.CONFIRMED, RegistrationStatus.CONFIRMED,
                                                         RegistrationStatus.WAITING)
    assert (anna.occurrence_date, bernd.occurrence_date) == (first, second)
    # The same person may come on another date, but not twice on one.
    services.registration_create(event=event, acting_user=anna.user, places=1, day=first + datetime.timedelta(days=14))
    with pytest.raises(ValidationError):
        services.registration_create(event=event, acting_user=anna.user, places=1, day=first)
    # A day without a date, and a cancelled date, are refused with a clear message.
    dora = _person("Dora")
    with pytest.raises(ValidationError) as error:
        services.registration_create(event=event, acting_user=dora, day=first + datetime.timedelta(days=1))
    assert error.value.message_dict["day"] == [_("The event does not take place on this day.")]
    services.event_cancel_date(event=event, acting_user=town_admin(), day=first + datetime.timedelta(days=21))
    with pytest.raises(ValidationError) as error:
        services.registration_create(event=event, acting_user=dora, day=first + datetime.timedelta(days=21))
    assert error.value.message_dict["day"] == [_("This date is cancelled.")]
    # Bernd's cancellation frees places on his date only: Carla (waiting for the first) stays waiting.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.registration_cancel(registration=bernd) == []
        promoted = services.registration_cancel(registration=anna)
    assert [r.pk for r in promoted] == [carla.pk]
    assert [m.to for m in mail.outbox] == [["carla@example.org"]]
    assert first.strftime("%d.%m.%Y") in mail.outbox[0].body


def test_people_registered_for_a_cancelled_date_are_told(in_town_a, django_capture_on_commit_callbacks):
    event = _weekly_with_places()
    second = services.first_day(event) + datetime.timedelta(days=7)
    services.registration_create(event=event, acting_user=_person("Anna"), places=1, day=second)
    services.registration_create(event=event, acting_user=_person("Bernd"), places=1)  # the first date
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel_date(event=event, acting_user=town_admin(), day=second)
    assert [m.to for m in mail.outbox] == [["anna@example.org"]]
    assert _("Unfortunately this date you registered for does not take place:") in mail.outbox[0].body
    assert second.strftime("%d.%m.%Y") in mail.outbox[0].body


def test_a_series_reminds_the_day_before_each_registered_date(in_town_a, django_capture_on_commit_callbacks):
    event = _weekly_with_places()
    second = services.first_day(event) + datetime.timedelta(days=7)
    services.registration_create(event=event, acting_user=_person("Anna"), places=1, day=second)
    the_day_before = datetime.datetime.combine(second - datetime.timedelta(days=1), datetime.time(9),
                                               tzinfo=event.starts_at.tzinfo)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(now=the_day_before - datetime.timedelta(days=7)) == 0
        assert services.reminders_send(now=the_day_before) == 1
    assert [m.to for m in mail.outbox] == [["anna@example.org"]]



def test_moving_a_published_event_keeps_the_registrations_tells_them_and_marks_it_rescheduled(
        in_town_a, client_a, django_capture_on_commit_callbacks):
    import json
    import re

    event = _festival()
    anna, _tok = services.registration_create(event=event, acting_user=_person("Anna"), places=2)
    old_start = event.starts_at
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(event=event, acting_user=town_admin(), data={
            "starts_at": old_start + datetime.timedelta(days=7), "ends_at": event.ends_at + datetime.timedelta(days=7)})
    anna.refresh_from_db()
    event.refresh_from_db()
    assert anna.occurrence_date == services.first_day(event) == services.first_day(anna.event)
    assert anna.status == RegistrationStatus.CONFIRMED
    assert [m.to for m in mail.outbox] == [["anna@example.org"]]
    assert _("The event you registered for has a new date:") in mail.outbox[0].body
    page = client_a.get(event.get_absolute_url()).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["eventStatus"] == "https://schema.org/EventRescheduled"
    assert data["previousStartDate"].startswith(old_start.astimezone(event.starts_at.tzinfo).date().isoformat()[:10])
    assert _("This event has been moved to a new date.") in page
