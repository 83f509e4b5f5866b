"""Billing tests run against a real localstripe process (started once per session).

Webhooks are delivered to our endpoint by the tests themselves: either events
localstripe really emitted (read from its /v1/events and signed with our
endpoint secret, exactly as localstripe signs them), or events localstripe
never sends (invoice.paid, customer.subscription.updated) built here.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import connection
from django_tenants.utils import schema_context

from tests.billing.helpers import LocalstripeEvents


@pytest.fixture(scope="session")
def localstripe() -> Iterator[str]:
    from config import embedded

    process, base = embedded.start_localstripe()
    previous = settings.STRIPE_API_BASE
    settings.STRIPE_API_BASE = base
    try:
        yield base
    finally:
        settings.STRIPE_API_BASE = previous
        process.terminate()
        process.wait(10)


@pytest.fixture(autouse=True)
def _billing_slots(monkeypatch):
    """The directory module declares the slots billing sells; until it is installed, stand in for it."""
    import billing.promotions
    from billing.facade import PromotionSlot

    real = billing.promotions.promotion_slot
    stand_ins = {
        "directory.category-top": PromotionSlot(key="directory.category-top", label="Top of a category",
                                                target="category"),
        "directory.home": PromotionSlot(key="directory.home", label="Start page", max_entries=3),
    }

    def promotion_slot(key: str) -> PromotionSlot:
        try:
            return real(key)
        except LookupError:
            if key in stand_ins:
                return stand_ins[key]
            raise

    monkeypatch.setattr(billing.promotions, "promotion_slot", promotion_slot)


@pytest.fixture
def catalogue(db):
    """The platform's products (other suites' transactional tests may have flushed the seeded rows)."""
    from billing.catalogue import catalogue_seed
    from billing.models import Product

    with schema_context("public"):
        catalogue_seed(Product)
        return {product.key: product for product in Product.objects.all()}


@pytest.fixture
def stripe_events(localstripe) -> LocalstripeEvents:
    events = LocalstripeEvents(localstripe)
    events.skip_all()
    return events


@pytest.fixture
def public_schema():
    connection.set_schema_to_public()
    yield
