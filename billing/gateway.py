"""The only code that talks to Stripe (stripe-python 16.1.0).

Every call is configured per call (api key, and api base for localstripe in
development and tests) instead of through stripe-python's module globals, so
nothing else in the process can change where money calls go. Every create call
carries an idempotency key derived from our own row ids: a retried request
(a double click, a worker restart) returns the object of the first attempt
instead of creating a second one.

Functions return plain dicts (``StripeObject.to_dict()``): stripe-python 16's
objects are no longer dicts, and the rest of billing should not depend on the
library's object model.

What localstripe 1.15.10 supports decides the objects used here: Customers,
PaymentMethods (card, SEPA debit), SetupIntents, Products, Plans (not Prices),
Subscriptions with ``items=[{"plan": ...}]`` and ``prorate=True``, Invoices.
"""

from __future__ import annotations

import logging
from typing import Any

import stripe
from django.conf import settings

WEBHOOK_TOLERANCE_SECONDS = 300

# stripe-python logs every request at INFO without naming the town; our services log what matters.
logging.getLogger("stripe").setLevel(logging.WARNING)


class GatewayError(Exception):
    """Stripe refused or could not be reached; `user_message` is safe to show."""

    def __init__(self, message: str, *, code: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.user_message = message


def _options() -> dict[str, Any]:
    return {"api_key": settings.STRIPE_API_KEY}


def _call(function: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # stripe-python keeps api_base on the module; set it for every call so a
    # changed setting (tests override it) always takes effect.
    stripe.api_base = settings.STRIPE_API_BASE or "https://api.stripe.com"
    stripe.max_network_retries = 2  # safe: every create call carries an idempotency key
    try:
        result = function(*args, **kwargs, **_options())
    except stripe.CardError as error:
        raise GatewayError(error.user_message or str(error), code=error.code or "card_error") from error
    except stripe.StripeError as error:
        raise GatewayError(error.user_message or str(error), code=getattr(error, "code", "") or "") from error
    data: dict[str, Any] = result.to_dict(recursive=True)
    return data


# --- customers and payment methods -------------------------------------------------


def customer_create(*, idempotency_key: str, name: str, email: str, address: dict[str, str] | None = None,
                    metadata: dict[str, str] | None = None) -> dict[str, Any]:
    # metadata is only a help for people reading Stripe's dashboard: we never trust it (ISOLATION T10).
    params: dict[str, Any] = {"name": name, "email": email, "metadata": metadata or {}}
    if address:
        params["address"] = address
    return _call(stripe.Customer.create, idempotency_key=idempotency_key, **params)


def customer_retrieve(customer_id: str) -> dict[str, Any]:
    return _call(stripe.Customer.retrieve, customer_id)


def customer_default_payment_method_set(*, customer_id: str, payment_method_id: str) -> dict[str, Any]:
    return _call(stripe.Customer.modify, customer_id,
                 invoice_settings={"default_payment_method": payment_method_id})


def setup_intent_create(*, idempotency_key: str, customer_id: str, method_type: str = "card") -> dict[str, Any]:
    """A SetupIntent whose client_secret the browser confirms with Stripe Elements."""
    return _call(stripe.SetupIntent.create, idempotency_key=idempotency_key, customer=customer_id,
                 payment_method_types=[method_type], usage="off_session")


def setup_intent_retrieve(setup_intent_id: str) -> dict[str, Any]:
    return _call(stripe.SetupIntent.retrieve, setup_intent_id)


def setup_intent_confirm(*, setup_intent_id: str, payment_method_id: str) -> dict[str, Any]:
    """Server-side confirmation (tests and back-office tools; the browser confirms with Elements)."""
    return _call(stripe.SetupIntent.confirm, setup_intent_id, payment_method=payment_method_id)


def payment_method_attach(*, payment_method_id: str, customer_id: str) -> dict[str, Any]:
    return _call(stripe.PaymentMethod.attach, payment_method_id, customer=customer_id)


def payment_method_retrieve(payment_method_id: str) -> dict[str, Any]:
    return _call(stripe.PaymentMethod.retrieve, payment_method_id)


def payment_method_create_for_tests(*, card_number: str = "", iban: str = "") -> dict[str, Any]:
    """Raw card numbers/IBANs reach only localstripe (tests, demo); real Stripe gets them from Elements."""
    if iban:
        return _call(stripe.PaymentMethod.create, type="sepa_debit", sepa_debit={"iban": iban})
    return _call(stripe.PaymentMethod.create, type="card",
                 card={"number": card_number, "exp_month": 12, "exp_year": 2034, "cvc": "123"})


# --- catalogue ------------------------------------------------------------------------


def product_ensure(*, product_id: str, name: str) -> dict[str, Any]:
    try:
        return _call(stripe.Product.retrieve, product_id)
    except GatewayError:
        return _call(stripe.Product.create, idempotency_key=f"product-{product_id}", id=product_id, name=name,
                     type="service")


def plan_ensure(*, plan_id: str, product_id: str, amount_cents: int, currency: str) -> dict[str, Any]:
    """A monthly Plan; its id encodes town, product and price, so a price change makes a new plan."""
    try:
        return _call(stripe.Plan.retrieve, plan_id)
    except GatewayError:
        return _call(stripe.Plan.create, idempotency_key=f"plan-{plan_id}", id=plan_id, product=product_id,
                     amount=amount_cents, currency=currency, interval="month")


# --- subscriptions ------------------------------------------------------------------


def subscription_create(*, idempotency_key: str, customer_id: str, plan_id: str,
                        metadata: dict[str, str] | None = None) -> dict[str, Any]:
    return _call(stripe.Subscription.create, idempotency_key=idempotency_key, customer=customer_id,
                 items=[{"plan": plan_id}], metadata=metadata or {})


def subscription_retrieve(subscription_id: str) -> dict[str, Any]:
    return _call(stripe.Subscription.retrieve, subscription_id)


def subscription_change_plan(*, subscription_id: str, plan_id: str) -> dict[str, Any]:
    current = subscription_retrieve(subscription_id)
    item_id = current["items"]["data"][0]["id"]
    return _call(stripe.Subscription.modify, subscription_id, items=[{"id": item_id, "plan": plan_id}], prorate=True)


def subscription_cancel(*, subscription_id: str, at_period_end: bool = True) -> dict[str, Any]:
    if at_period_end:
        return _call(stripe.Subscription.modify, subscription_id, cancel_at_period_end=True)
    return _call(stripe.Subscription.cancel, subscription_id)


def subscription_resume_renewal(*, subscription_id: str) -> dict[str, Any]:
    """Undo a cancellation at period end."""
    return _call(stripe.Subscription.modify, subscription_id, cancel_at_period_end=False)


def subscription_list(*, customer_id: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = _call(stripe.Subscription.list, customer=customer_id, status="all", limit=100)["data"]
    return data


# --- invoices ------------------------------------------------------------------------


def invoice_list(*, customer_id: str, subscription_id: str = "") -> list[dict[str, Any]]:
    params: dict[str, Any] = {"customer": customer_id, "limit": 100}
    if subscription_id:
        params["subscription"] = subscription_id
    data: list[dict[str, Any]] = _call(stripe.Invoice.list, **params)["data"]
    return data


def invoice_retrieve(invoice_id: str) -> dict[str, Any]:
    return _call(stripe.Invoice.retrieve, invoice_id)


def invoice_create(*, idempotency_key: str, customer_id: str, subscription_id: str) -> dict[str, Any]:
    """The next period's invoice of a subscription (Stripe makes these itself; localstripe has no clock)."""
    return _call(stripe.Invoice.create, idempotency_key=idempotency_key, customer=customer_id,
                 subscription=subscription_id)


def invoice_item_create(*, idempotency_key: str, customer_id: str, subscription_id: str, plan_id: str,
                        amount_cents: int, currency: str, description: str) -> dict[str, Any]:
    return _call(stripe.InvoiceItem.create, idempotency_key=idempotency_key, customer=customer_id,
                 subscription=subscription_id, plan=plan_id, amount=amount_cents, currency=currency,
                 description=description)


def invoice_pay(invoice_id: str) -> dict[str, Any]:
    return _call(stripe.Invoice.pay, invoice_id)


# --- webhooks -------------------------------------------------------------------------


def webhook_event_construct(*, payload: bytes, signature_header: str) -> dict[str, Any]:
    """Check the signature over the raw body and the timestamp window; raise ValueError if either fails."""
    try:
        event = stripe.Webhook.construct_event(
            payload, signature_header, settings.STRIPE_WEBHOOK_SECRET, tolerance=WEBHOOK_TOLERANCE_SECONDS
        )
    except stripe.SignatureVerificationError as error:
        raise ValueError(str(error)) from error
    data: dict[str, Any] = event.to_dict(recursive=True)
    return data
