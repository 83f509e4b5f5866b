"""Helpers for the billing tests: sponsorship offers, customers with a payment method, signed webhook events."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.request
from typing import Any

from django.conf import settings
from django_tenants.utils import schema_context

CARD_OK = "4242424242424242"
FAILING_IBAN = "DE62370400440532013001"  # localstripe: the SEPA debit fails half a second later


def sponsorship_open(town, catalogue, *, price_cents: int = 2000, slots: int = 2) -> None:
    from billing.services import town_offer_set, town_sponsorship_configure

    with schema_context("public"):
        town_sponsorship_configure(tenant=town, enabled=True, excluded_terms="Bestattung")
        for key in ("featured-entry", "home-card", "club-patron"):
            product = catalogue[key]
            price = max(product.min_monthly_cents, min(price_cents, product.max_monthly_cents))
            town_offer_set(tenant=town, product=product, offered=True, monthly_net_cents=price, slots=slots)


def customer_with_method(town, *, organisation_id: int = 7, card: str = CARD_OK, iban: str = "",
                         name: str = "Bäckerei Korn"):
    """A business of `town` with a payment method confirmed through a SetupIntent (server side)."""
    from billing import gateway
    from billing.services import customer_ensure, payment_method_save, payment_setup_start

    with schema_context("public"):
        customer = customer_ensure(tenant=town, organisation_id=organisation_id, name=name,
                                   email=f"kasse{organisation_id}@baeckerei.example", address_line="Hauptstr. 1",
                                   postal_code="12345", city=town.name)
        intent = payment_setup_start(customer=customer, attempt=str(time.time_ns()),
                                     method_type="sepa_debit" if iban else "card")
        method = gateway.payment_method_create_for_tests(card_number=card, iban=iban)
        gateway.setup_intent_confirm(setup_intent_id=intent["id"], payment_method_id=method["id"])
        return payment_method_save(customer=customer, setup_intent_id=intent["id"])


def sign(payload: bytes, *, secret: str | None = None, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    secret = settings.STRIPE_WEBHOOK_SECRET if secret is None else secret
    signed = b"%d.%s" % (timestamp, payload)
    return f"t={timestamp},v1={hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()}"


def post_event(client, event: dict[str, Any], **sign_options: Any):
    payload = json.dumps(event).encode()
    return client.post("/stripe/webhook/", data=payload, content_type="application/json",
                       HTTP_STRIPE_SIGNATURE=sign(payload, **sign_options))


_event_counter = iter(range(1, 10**9))


def make_event(event_type: str, obj: dict[str, Any], *, event_id: str | None = None,
               created: int | None = None) -> dict[str, Any]:
    return {"id": event_id or f"evt_test_{time.time_ns()}_{next(_event_counter)}", "object": "event",
            "type": event_type, "created": created or int(time.time()), "data": {"object": obj},
            "api_version": "2017-08-15", "livemode": False}


class LocalstripeEvents:
    """Relays the events localstripe emitted to our webhook endpoint, in their order, each once."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cursor: str | None = None  # localstripe lists events oldest first
        self.held: list[dict[str, Any]] = []

    def _new_events(self) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = []
        while True:
            query = "limit=100" + (f"&starting_after={self.cursor}" if self.cursor else "")
            request = urllib.request.Request(f"{self.base}/v1/events?{query}",
                                             headers={"Authorization": f"Bearer {settings.STRIPE_API_KEY}"})
            with urllib.request.urlopen(request, timeout=10) as response:
                page = json.load(response)
            events += page["data"]
            if page["data"]:
                self.cursor = page["data"][-1]["id"]
            if not page["has_more"]:
                return events

    def skip_all(self) -> None:
        self._new_events()

    def deliver(self, client, *, hold_back: frozenset[str] = frozenset()) -> list[str]:
        """Post every new (and earlier held) event to the endpoint; types in `hold_back` wait for a later call."""
        pending, self.held = self.held + self._new_events(), []
        delivered = []
        for event in pending:
            if event["type"] in hold_back:
                self.held.append(event)
                continue
            response = post_event(client, event)
            assert response.status_code == 200, (event["type"], response.content)
            delivered.append(event["type"])
        return delivered
