"""The webhook's side effects survive a broker outage and happen once (issue 18 §2).

Before the outbox, the dunning mail was enqueued after the commit that marked the event processed:
with Redis away the mail was lost and Stripe's retry was answered "duplicate".
"""

from __future__ import annotations

import pytest
from celery import current_app
from django.core import mail
from django_tenants.utils import schema_context

from billing import webhooks
from billing.models import ProcessedEvent, SubscriptionStatus
from billing.notifications import notify_payment_failed
from core.models import OutboxMessage
from core.outbox import outbox_dispatch, outbox_sweep
from tests.billing.test_webhooks import _subscription, _updated_event
from tests.core.test_outbox import FlakyBroker
from tests.outbox_helpers import outbox_run_pending

pytestmark = pytest.mark.usefixtures("localstripe")


def test_a_payment_failure_processed_while_the_broker_is_down_mails_the_sponsor_once_it_is_back(
    town_a, catalogue, public_client, monkeypatch
):
    # given: a subscription whose payment failed; the broker refuses everything
    subscription = _subscription(town_a, catalogue)
    with schema_context("public"):
        type(subscription).objects.filter(pk=subscription.pk).update(status=SubscriptionStatus.PAST_DUE)
    broker = FlakyBroker()
    monkeypatch.setattr(current_app, "send_task", broker)

    def dispatch_as_payment_failed(event_type, event):
        notify_payment_failed(subscription=subscription)
        return "applied", town_a.pk

    monkeypatch.setattr(webhooks, "_dispatch", dispatch_as_payment_failed)
    event = _updated_event(subscription)

    # when: Stripe delivers the event (and, after the 200, never again)
    with schema_context("public"):
        outcome = webhooks.event_process(event)
        row = OutboxMessage.objects.get(task_name="billing.payment_failed_mail")
        outbox_dispatch([row.pk])  # what on_commit does: refused
        row.refresh_from_db()

    # then: the event is processed and its mail kept, unsent, from the same commit
    assert outcome == "applied" and ProcessedEvent.objects.filter(event_id=event["id"]).exists()
    assert row.sent_at is None and row.attempts == 1

    # when: the broker is back and the sweeper runs (its backoff over)
    broker.down = False
    OutboxMessage.objects.filter(pk=row.pk).update(available_at=row.created_at)
    assert outbox_sweep() == 1
    assert broker.sent[0]["name"] == "billing.payment_failed_mail"

    # then: the worker sends the mail once, even when the message is delivered twice
    outbox_run_pending("billing.payment_failed_mail", sent_too=True)
    current_app.tasks["billing.payment_failed_mail"].apply(args=row.args, task_id=str(row.pk), throw=True)
    assert [m.to for m in mail.outbox] == [[subscription.customer.email]]
