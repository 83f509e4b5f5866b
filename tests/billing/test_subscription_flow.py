"""End to end against localstripe: subscribe, change plan, cancel, dunning."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from billing import gateway
from billing.models import Invoice, LedgerEntry, Promotion, PromotionStatus, Subscription, SubscriptionStatus
from billing.promotions import active_promotions
from billing.services import (
    invoice_pay_open,
    payment_method_save,
    payment_setup_start,
    subscription_cancel,
    subscription_change_plan,
    subscription_start,
    subscriptions_pause_overdue,
)
from tests.billing.helpers import FAILING_IBAN, customer_with_method, sponsorship_open
from tests.outbox_helpers import outbox_run_pending

pytestmark = pytest.mark.usefixtures("localstripe")

CATEGORY = 5


def _subscribe(town, catalogue, **kwargs):
    sponsorship_open(town, catalogue)
    customer = customer_with_method(town, **kwargs)
    with schema_context("public"):
        return subscription_start(
            tenant=town, customer=customer, product=catalogue["featured-entry"], sponsor_name="Bäckerei Korn",
            target_id=CATEGORY, text="Frische Brötchen ab 6 Uhr", link_url="/verzeichnis/baeckerei-korn/",
        )


def test_subscribe_makes_the_promotion_appear_in_its_category(town_a, town_b, catalogue, public_client,
                                                             stripe_events):
    # when
    subscription = _subscribe(town_a, catalogue)
    delivered = stripe_events.deliver(public_client)

    # then
    assert subscription.status == SubscriptionStatus.ACTIVE
    assert "customer.subscription.created" in delivered and "invoice.payment_succeeded" in delivered
    shown = active_promotions(slot_key="directory.category-top", target_id=CATEGORY, tenant=town_a)
    assert [entry.sponsor_name for entry in shown] == ["Bäckerei Korn"]
    assert active_promotions(slot_key="directory.category-top", target_id=CATEGORY + 1, tenant=town_a) == []
    assert active_promotions(slot_key="directory.category-top", target_id=CATEGORY, tenant=town_b) == []
    invoice = Invoice.objects.get(subscription=subscription)
    # 20.00 EUR net + 19 % VAT
    assert (invoice.status, invoice.total_cents, invoice.net_cents, invoice.vat_cents) == ("paid", 2380, 2000, 380)
    entry = LedgerEntry.objects.get(invoice=invoice)
    assert (entry.net_cents, entry.platform_share_cents, entry.town_share_cents) == (2000, 400, 1600)
    assert Promotion.objects.filter(tenant=town_a).count() == 1  # the webhooks changed nothing more


def test_a_slot_sold_out_refuses_the_next_buyer(town_a, catalogue):
    from django.core.exceptions import ValidationError

    # given: two slots per category
    _subscribe(town_a, catalogue, organisation_id=1)
    _subscribe(town_a, catalogue, organisation_id=2)
    third = customer_with_method(town_a, organisation_id=3)

    # when / then
    with pytest.raises(ValidationError):
        subscription_start(tenant=town_a, customer=third, product=catalogue["featured-entry"], sponsor_name="Drei",
                           target_id=CATEGORY)


def test_political_advertising_is_refused_everywhere(town_a, catalogue):
    from django.core.exceptions import ValidationError

    sponsorship_open(town_a, catalogue)
    customer = customer_with_method(town_a)
    with pytest.raises(ValidationError):
        subscription_start(tenant=town_a, customer=customer, product=catalogue["home-card"],
                           sponsor_name="Ortsverein", text="Wählen Sie am Sonntag die Partei X")
    assert not Subscription.objects.filter(customer=customer).exists()


def test_change_plan_moves_the_promotion_to_the_new_slot(town_a, catalogue, public_client, stripe_events):
    # given
    subscription = _subscribe(town_a, catalogue)

    # when
    changed = subscription_change_plan(subscription=subscription, product=catalogue["home-card"])
    stripe_events.deliver(public_client)

    # then
    remote = gateway.subscription_retrieve(changed.subscription_id)
    assert remote["items"]["data"][0]["plan"]["id"] == changed.plan_id
    assert changed.plan_id.startswith(f"dk-{town_a.schema_name}-home-card-")
    assert active_promotions(slot_key="directory.category-top", target_id=CATEGORY, tenant=town_a) == []
    assert [p.sponsor_name for p in active_promotions(slot_key="directory.home", tenant=town_a)] == ["Bäckerei Korn"]


def test_cancel_at_period_end_keeps_the_promotion_until_stripe_ends_it(town_a, catalogue, public_client,
                                                                       stripe_events):
    # given
    subscription = _subscribe(town_a, catalogue)

    # when: cancelled for the end of the period
    subscription = subscription_cancel(subscription=subscription, at_period_end=True)

    # then: still live until then
    assert subscription.cancel_at_period_end and subscription.status == SubscriptionStatus.ACTIVE
    assert gateway.subscription_retrieve(subscription.subscription_id)["cancel_at_period_end"] is True
    assert active_promotions(slot_key="directory.category-top", target_id=CATEGORY, tenant=town_a)

    # when: the period ends (localstripe has no clock: cancel now, Stripe sends customer.subscription.deleted)
    subscription = subscription_cancel(subscription=subscription, at_period_end=False)
    assert "customer.subscription.deleted" in stripe_events.deliver(public_client)

    # then
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.CANCELED
    assert active_promotions(slot_key="directory.category-top", target_id=CATEGORY, tenant=town_a) == []
    assert Promotion.objects.get(subscription=subscription).status == PromotionStatus.ENDED


def _renewal_invoice(subscription: Subscription) -> str:
    """The next month's invoice (Stripe makes it at the period's end; localstripe has no clock)."""
    key = f"renewal-{subscription.pk}-{time.time_ns()}"
    gateway.invoice_item_create(idempotency_key=key + "-item", customer_id=subscription.customer.customer_id,
                                subscription_id=subscription.subscription_id, plan_id=subscription.plan_id,
                                amount_cents=subscription.monthly_gross_cents, currency="eur",
                                description=subscription.product.name)
    invoice = gateway.invoice_create(idempotency_key=key, customer_id=subscription.customer.customer_id,
                                     subscription_id=subscription.subscription_id)
    gateway.invoice_pay(invoice["id"])
    return invoice["id"]


def test_payment_fails_dunning_mail_pause_then_paid_resumes(town_a, catalogue, public_client, stripe_events,
                                                            mailoutbox, monkeypatch,
                                                            django_capture_on_commit_callbacks):
    # given: a running sponsorship, paid by card; the business then switches to a SEPA mandate
    subscription = _subscribe(town_a, catalogue)
    customer = subscription.customer
    intent = payment_setup_start(customer=customer, attempt="sepa", method_type="sepa_debit")
    method = gateway.payment_method_create_for_tests(iban=FAILING_IBAN)
    gateway.setup_intent_confirm(setup_intent_id=intent["id"], payment_method_id=method["id"])
    payment_method_save(customer=customer, setup_intent_id=intent["id"])
    stripe_events.deliver(public_client)

    # when: next month's direct debit bounces (localstripe fails it half a second later)
    invoice_id = _renewal_invoice(subscription)
    time.sleep(1.0)
    # localstripe cancels a SEPA subscription at the first failed debit (real Stripe retries and sets
    # past_due); its customer.subscription.deleted is held back as if delivered late.
    with django_capture_on_commit_callbacks(execute=True):
        delivered = stripe_events.deliver(public_client, hold_back=frozenset({"customer.subscription.deleted"}))
    outbox_run_pending("billing.payment_failed_mail", sent_too=True)  # what the worker does with the outbox row

    # then: the business is told, the promotion stays during the grace period
    assert "invoice.payment_failed" in delivered
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.PAST_DUE
    assert Invoice.objects.get(invoice_id=invoice_id).status == "open"
    assert [m.to for m in mailoutbox] == [[customer.email]]
    assert "Bäckerei Korn" in mailoutbox[0].body and town_a.name in mailoutbox[0].subject
    assert active_promotions(slot_key="directory.category-top", target_id=CATEGORY, tenant=town_a)

    # when: the grace period is over
    paused = subscriptions_pause_overdue(now=subscription.grace_until + dt.timedelta(seconds=1))

    # then
    assert paused == 1
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.PAUSED
    assert active_promotions(slot_key="directory.category-top", target_id=CATEGORY, tenant=town_a) == []

    # when: the business enters a working card and pays the open invoice
    intent = payment_setup_start(customer=customer, attempt="card-again")
    method = gateway.payment_method_create_for_tests(card_number="4242424242424242")
    gateway.setup_intent_confirm(setup_intent_id=intent["id"], payment_method_id=method["id"])
    payment_method_save(customer=customer, setup_intent_id=intent["id"])
    invoice_pay_open(subscription=subscription)
    with django_capture_on_commit_callbacks(execute=True):
        late = stripe_events.deliver(public_client)
    outbox_run_pending("billing.payment_failed_mail", sent_too=True)

    # then: resumed; the late deletion event re-fetched an active subscription and changed nothing
    assert "customer.subscription.deleted" in late
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.ACTIVE
    assert subscription.grace_until is None
    assert Invoice.objects.get(invoice_id=invoice_id).status == "paid"
    assert [p.sponsor_name for p in active_promotions(slot_key="directory.category-top", target_id=CATEGORY,
                                                      tenant=town_a)] == ["Bäckerei Korn"]
    assert len(mailoutbox) == 1
    assert LedgerEntry.objects.filter(invoice__subscription=subscription).count() == 2
    assert timezone.now() < subscription.current_period_end


def test_nightly_reconciliation_catches_a_webhook_that_never_arrived(town_a, catalogue):
    from billing.tasks import reconcile

    # given: cancelled at Stripe, and its customer.subscription.deleted never reached us
    subscription = _subscribe(town_a, catalogue)
    gateway.subscription_cancel(subscription_id=subscription.subscription_id, at_period_end=False)

    # when
    reconcile.apply()

    # then
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.CANCELED
    assert active_promotions(slot_key="directory.category-top", target_id=CATEGORY, tenant=town_a) == []


def test_t19_deleting_a_town_ends_its_subscriptions_at_stripe(town_a, catalogue, django_capture_on_commit_callbacks):
    from billing.services import town_stripe_links_end

    # given
    subscription = _subscribe(town_a, catalogue)

    # when: the town's deletion commits (called as the pre_delete receiver does)
    with django_capture_on_commit_callbacks(execute=True):
        ended = town_stripe_links_end(tenant=town_a)

    # then
    assert ended == [subscription.subscription_id]
    assert gateway.subscription_retrieve(subscription.subscription_id)["status"] == "canceled"
