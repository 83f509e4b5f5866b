"""The evening reminder: at the resident's time, through the notifications facade, once per resident and day."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from modules.waste import reminders
from modules.waste.models import Pickup, ReminderSent
from tests.accounts.factories import UserFactory
from tests.modules.waste.factories import WasteHomeFactory

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
EVENING = datetime.datetime(2027, 3, 29, 19, 2, tzinfo=BERLIN)  # Monday; Restmüll on Tuesday 30.3.


@pytest.fixture
def sent(monkeypatch) -> list[dict]:
    calls: list[dict] = []
    monkeypatch.setattr(reminders, "notify", lambda **kwargs: calls.append(kwargs))
    return calls


@pytest.fixture
def plan(areas, types):
    Pickup.objects.create(area=areas["kausen"], waste_type=types["restmuell"], date=datetime.date(2027, 3, 30))
    Pickup.objects.create(area=areas["kausen"], waste_type=types["papier"], date=datetime.date(2027, 3, 30))
    return areas


def test_residents_are_reminded_once_even_if_beat_runs_twice(plan, sent):
    anna = WasteHomeFactory(user=UserFactory(), area=plan["kausen"], reminder_time=datetime.time(19)).user
    late = WasteHomeFactory(user=UserFactory(), area=plan["kausen"], reminder_time=datetime.time(20, 30)).user
    WasteHomeFactory(user=UserFactory(), area=plan["kausen"], reminder_on=False)
    WasteHomeFactory(user=UserFactory(), area=plan["nord"])  # nothing collected there tomorrow

    assert reminders.reminders_send(now=EVENING) == 1
    assert reminders.reminders_send(now=EVENING + datetime.timedelta(minutes=5)) == 0
    assert [call["user_ids"] for call in sent] == [[anna.pk]]
    assert sent[0]["title"] == "Tomorrow: Restmüll, Papier" and sent[0]["topic"] == "waste.reminder"
    assert sent[0]["dedupe_key"] == "waste.reminder:2027-03-30"

    assert reminders.reminders_send(now=EVENING.replace(hour=20, minute=31)) == 1
    assert sent[-1]["user_ids"] == [late.pk]
    assert ReminderSent.objects.count() == 2


def test_two_workers_at_the_same_moment_claim_each_resident_once(plan, sent):
    # The unique row is the guard: a second INSERT for the same (user, day) claims nobody.
    home = WasteHomeFactory(user=UserFactory(), area=plan["kausen"])
    ReminderSent.objects.create(user=home.user, pickup_date=datetime.date(2027, 3, 30))
    assert reminders.reminders_send(now=EVENING) == 0 and sent == []


def test_nobody_is_reminded_while_notifications_are_off(plan, sent, notifications_off, in_town_a):
    WasteHomeFactory(user=UserFactory(), area=plan["kausen"])
    assert reminders.reminders_send(now=EVENING) == 0
    assert not ReminderSent.objects.exists()


def test_the_task_sends_through_the_notification_centre(plan, celery_eager, no_quiet_hours,
                                                        django_capture_on_commit_callbacks, monkeypatch):
    from modules.notifications.models import Notification
    from modules.waste.tasks import send_reminders

    anna = WasteHomeFactory(user=UserFactory(email="anna-abfall@example.org"), area=plan["kausen"]).user
    no_quiet_hours(anna)
    monkeypatch.setattr("django.utils.timezone.now", lambda: EVENING.astimezone(datetime.UTC))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders.apply().get() == 1
    notification = Notification.objects.get(user=anna)
    assert "Restmüll" in notification.title


def test_a_reminder_run_in_town_a_never_reaches_town_b(sent, town_a, town_b):
    from django.db import connection

    from tests.modules.waste.factories import PickupAreaFactory, WasteTypeFactory

    connection.set_tenant(town_b)
    area_b = PickupAreaFactory()
    Pickup.objects.create(area=area_b, waste_type=WasteTypeFactory(), date=datetime.date(2027, 3, 30))
    WasteHomeFactory(user=UserFactory(), area=area_b)
    connection.set_tenant(town_a)
    assert reminders.reminders_send(now=EVENING) == 0
    connection.set_tenant(town_b)
    assert not ReminderSent.objects.exists()
    assert reminders.reminders_send(now=EVENING) == 1  # the same run in B's schema finds B's resident
