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
from tests.accounts.factories import UserFactory, town_admin
from tests.modules.events.factories import EventFactory

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


def test_cancelling_moves_the_first_waiting_person_up_once_and_tells_them(in_town_a,
                                                                          django_capture_on_commit_callbacks):
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


def test_a_series_takes_no_registration(in_town_a):
    start = timezone.now() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as error:
        EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=1), rrule="FREQ=WEEKLY",
                     registration_enabled=True)
    assert "registration_enabled" in error.value.message_dict
