"""The transactional outbox (core.outbox): nothing queued is lost, nothing is done twice (issue 18 §2)."""

from __future__ import annotations

import datetime as dt

import pytest
from celery import current_app
from django.core import mail
from django.db import transaction
from django.utils import timezone

from core.models import OutboxMessage
from core.outbox import outbox_dispatch, outbox_enqueue, outbox_sweep, retry_delay
from tenants.models import SignupStatus
from tests.outbox_helpers import outbox_run_pending
from tests.tenants.factories import TownSignupFactory

pytestmark = pytest.mark.django_db


class FlakyBroker:
    """Stands in for app.send_task: refuses while `down`, records what it was given otherwise."""

    def __init__(self) -> None:
        self.down = True
        self.sent: list[dict] = []

    def __call__(self, name, args=None, kwargs=None, **options):
        if self.down:
            raise ConnectionRefusedError("broker away")
        self.sent.append({"name": name, "args": args, "kwargs": kwargs, **options})


@pytest.fixture
def broker(monkeypatch) -> FlakyBroker:
    fake = FlakyBroker()
    monkeypatch.setattr(current_app, "send_task", fake)
    return fake


def test_a_row_rolled_back_with_its_change_is_never_sent(broker):
    broker.down = False

    with pytest.raises(RuntimeError), transaction.atomic():
        outbox_enqueue("core.outbox_sweep", schema_name="public")
        raise RuntimeError("the change failed")

    assert not OutboxMessage.objects.exists()
    assert outbox_sweep() == 0 and broker.sent == []


def test_a_row_the_broker_refused_waits_with_backoff_and_the_sweeper_sends_it_once_it_is_back(broker):
    # given: the broker refuses the first send
    row = outbox_enqueue("tenants.tasks.town_provision", args=["x"], schema_name="public")
    assert outbox_dispatch([row.pk]) == 0
    row.refresh_from_db()
    assert row.sent_at is None and row.attempts == 1 and "broker away" in row.last_error
    assert row.available_at > timezone.now()  # backoff: not before its time

    # when: the sweeper runs before the backoff is over, and again after it with the broker back
    broker.down = False
    assert outbox_sweep() == 0
    OutboxMessage.objects.filter(pk=row.pk).update(available_at=timezone.now())
    assert outbox_sweep() == 1
    assert outbox_sweep() == 0  # sent rows are never sent again

    # then: sent once, under the row's id, into the schema the row names
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 2
    [sent] = broker.sent
    assert (sent["name"], sent["args"], sent["task_id"]) == ("tenants.tasks.town_provision", ["x"], str(row.pk))
    assert sent["headers"] == {"_schema_name": "public"}


def test_backoff_doubles_up_to_five_minutes():
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4, 10)] == [5, 10, 20, 40, 300]


def test_a_town_s_row_runs_its_task_in_that_town(broker, in_town_a, town_a):
    broker.down = False
    row = outbox_enqueue("notifications.release_deferred")
    assert row.schema_name == town_a.schema_name
    assert outbox_dispatch([row.pk]) == 1
    assert broker.sent[0]["headers"] == {"_schema_name": town_a.schema_name}


def test_sent_rows_are_cleaned_up_after_a_week(broker):
    old = OutboxMessage.objects.create(task_name="x", schema_name="public",
                                       sent_at=timezone.now() - dt.timedelta(days=8))
    recent = OutboxMessage.objects.create(task_name="x", schema_name="public", sent_at=timezone.now())
    outbox_sweep()
    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [recent.pk]
    assert old.pk != recent.pk


def test_a_duplicate_delivery_of_the_confirmation_mail_sends_it_once():
    # given: a signup whose confirmation mail is an outbox row
    from tenants.services import signup_confirmation_queue

    signup = TownSignupFactory(status=SignupStatus.AWAITING_CONFIRMATION)
    signup_confirmation_queue(signup=signup)
    row = OutboxMessage.objects.get(task_name="tenants.signup_confirmation_mail")

    # when: the worker gets the same message twice (a redelivery after a lost ack)
    outbox_run_pending()
    current_app.tasks[row.task_name].apply(args=row.args, task_id=str(row.pk), throw=True)

    # then
    assert [m.to for m in mail.outbox] == [[signup.admin_email]]
    row.refresh_from_db()
    assert row.done_at is not None


def test_a_duplicate_delivery_of_provisioning_provisions_once(monkeypatch):
    from tenants import services

    signup = TownSignupFactory(status=SignupStatus.QUEUED)
    calls: list[str] = []

    def fake_create(**kwargs):
        calls.append(kwargs["slug"])
        raise services.ValidationError("stop here")

    monkeypatch.setattr(services, "town_create", fake_create)
    task = current_app.tasks["tenants.tasks.town_provision"]
    task.apply(args=[str(signup.pk)], task_id="00000000-0000-0000-0000-000000000001", throw=True)
    task.apply(args=[str(signup.pk)], task_id="00000000-0000-0000-0000-000000000001", throw=True)

    assert calls == [signup.slug]
