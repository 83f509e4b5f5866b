"""Stripe's webhook: one endpoint on the public site (/stripe/webhook/).

A webhook is a hint. The handler checks the signature over the raw body
(with Stripe's timestamp tolerance), finds the town through our own
StripeCustomer table (never through the event's metadata, ISOLATION T10),
fetches the object from Stripe again and applies what Stripe says now. The
event id is stored in the same transaction as the effects: a redelivered
event is applied once, and a handler that fails rolls everything back and
answers 500 so that Stripe delivers it again.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from billing import gateway
from billing.models import ProcessedEvent, StripeCustomer, Subscription
from billing.services import invoice_apply_stripe, subscription_apply_stripe
from core.ratelimit import ip_limited, retry_after

logger = logging.getLogger(__name__)

SUBSCRIPTION_EVENTS = frozenset({
    "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted",
    "customer.subscription.paused", "customer.subscription.resumed",
})
INVOICE_EVENTS = frozenset({
    "invoice.created", "invoice.finalized", "invoice.paid", "invoice.payment_succeeded",
    "invoice.payment_failed", "invoice.voided", "invoice.marked_uncollectible",
})
# What the endpoint is registered for at Stripe (and with localstripe in development).
HANDLED_EVENTS = SUBSCRIPTION_EVENTS | INVOICE_EVENTS


def _customer_id_of(event: dict[str, Any]) -> str:
    obj = (event.get("data") or {}).get("object") or {}
    customer = obj.get("customer")
    if isinstance(customer, dict):
        customer = customer.get("id")
    return str(customer or "")


def event_process(event: dict[str, Any]) -> str:
    """Apply one verified event once; returns the outcome stored with it."""
    event_id, event_type = event["id"], event.get("type", "")
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = ProcessedEvent.objects.create(event_id=event_id, type=event_type, outcome="processing")
        except IntegrityError:
            return "duplicate"
        outcome, tenant_id = _dispatch(event_type, event)
        record.outcome, record.tenant_id = outcome, tenant_id
        record.save(update_fields=["outcome", "tenant"])
    return outcome


def _dispatch(event_type: str, event: dict[str, Any]) -> tuple[str, int | None]:
    if event_type not in HANDLED_EVENTS:
        return "ignored_type", None
    customer_id = _customer_id_of(event)
    customer = StripeCustomer.objects.select_related("tenant").filter(customer_id=customer_id).first()
    if customer is None:
        logger.warning("stripe event %s (%s) for unknown customer %r ignored", event["id"], event_type, customer_id)
        return "unknown_customer", None
    if not customer.tenant.is_active:
        logger.warning("stripe event %s for disabled town %s ignored", event["id"], customer.tenant.schema_name)
        return "town_disabled", customer.tenant_id
    object_id = event["data"]["object"]["id"]
    if event_type in SUBSCRIPTION_EVENTS:
        subscription = Subscription.objects.select_for_update().filter(
            subscription_id=object_id, customer=customer
        ).first()
        if subscription is None:
            logger.warning("stripe event %s: subscription %s is not ours", event["id"], object_id)
            return "unknown_subscription", customer.tenant_id
        data = gateway.subscription_retrieve(object_id)
        if data.get("customer") != customer.customer_id:
            logger.warning("stripe event %s: subscription %s has another customer", event["id"], object_id)
            return "customer_mismatch", customer.tenant_id
        subscription_apply_stripe(subscription=subscription, data=data)
        return "applied", customer.tenant_id
    data = gateway.invoice_retrieve(object_id)
    if data.get("customer") != customer.customer_id:
        logger.warning("stripe event %s: invoice %s has another customer", event["id"], object_id)
        return "customer_mismatch", customer.tenant_id
    invoice_apply_stripe(customer=customer, data=data, payment_failed=event_type == "invoice.payment_failed")
    return "applied", customer.tenant_id


def _too_many_webhook_calls(request: HttpRequest, period: int) -> HttpResponse:
    # Stripe retries a 429 later, like any failed delivery.
    return HttpResponse("too many requests", status=429, content_type="text/plain",
                        headers={"Retry-After": str(retry_after(period))})


@csrf_exempt
@require_POST
@ip_limited("stripe.webhook", rate_setting="STRIPE_WEBHOOK_RATE", refuse=_too_many_webhook_calls)
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    signature = request.META.get("HTTP_STRIPE_SIGNATURE", "")
    if not signature:
        return HttpResponse("missing signature", status=400, content_type="text/plain")
    try:
        event = gateway.webhook_event_construct(payload=request.body, signature_header=signature)
    except ValueError:
        logger.warning("stripe webhook with a bad signature or payload refused")
        return HttpResponse("bad signature", status=400, content_type="text/plain")
    try:
        outcome = event_process(event)
    except Exception:  # noqa: BLE001 - any failure must roll back and make Stripe retry
        logger.exception("stripe event %s (%s) failed; Stripe will retry", event.get("id"), event.get("type"))
        return HttpResponse("failed, retry later", status=500, content_type="text/plain")
    return HttpResponse(outcome, status=200, content_type="text/plain")
