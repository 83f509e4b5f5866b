"""The platform's published plans, a town paying its own plan, and its sponsorship share credited against it."""

from __future__ import annotations

import re
import time

import pytest
from django_tenants.utils import schema_context

from billing import gateway
from billing.models import LedgerEntry, ProductKind, SubscriptionStatus
from billing.services import platform_plan_current, subscription_start, town_shares_credit
from tests.billing.helpers import customer_with_method, sponsorship_open

pytestmark = pytest.mark.usefixtures("localstripe")


def test_the_public_site_publishes_the_plans_with_vat(catalogue, public_client):
    page = public_client.get("/preise/").content.decode()

    assert "49,00 €" in page and "58,31 €" in page  # 49.00 net, 58.31 with 19 % VAT
    assert "Hervorgehobener Eintrag" in page and "10,00 € – 50,00 €" in page


def _town_buys_plan(town, admin_client) -> None:
    details = {"plan": "plan-dorf", "invoice_name": town.name, "invoice_email": "kasse@rathaus.example",
               "address_line": "Marktplatz 1", "postal_code": "54321", "city": "Altdorf"}
    page = admin_client.post("/backoffice/sponsoring/plan/", details)
    assert page.status_code == 200
    secret = re.search(r'data-client-secret="([^"]+)"', page.content.decode()).group(1)
    intent_id = secret.split("_secret_")[0]
    method = gateway.payment_method_create_for_tests(card_number="4242424242424242")
    gateway.setup_intent_confirm(setup_intent_id=intent_id, payment_method_id=method["id"])
    done = admin_client.post("/backoffice/sponsoring/plan/bestaetigen/", {"setup_intent": intent_id})
    assert done.status_code == 302


def test_a_town_pays_its_plan_through_the_same_machinery(town_a, catalogue, admin_client_a):
    # when
    _town_buys_plan(town_a, admin_client_a)

    # then
    plan = platform_plan_current(tenant=town_a)
    assert plan is not None and plan.status == SubscriptionStatus.ACTIVE
    assert plan.customer.organisation_id is None
    entry = LedgerEntry.objects.get(tenant=town_a)
    assert entry.product_kind == ProductKind.PLATFORM_PLAN and entry.platform_share_cents == 4900
    page = admin_client_a.get("/backoffice/sponsoring/plan/").content.decode()
    assert "58,31 €" in page
    # the plan is not sponsorship income
    assert "49,00 €" not in admin_client_a.get("/backoffice/sponsoring/einnahmen/").content.decode()


def test_the_towns_share_is_credited_against_its_next_plan_invoice_once(town_a, catalogue, admin_client_a):
    # given: the town has its plan, and a sponsor paid 23.80 (town's share: 16.00)
    _town_buys_plan(town_a, admin_client_a)
    sponsorship_open(town_a, catalogue)
    sponsor = customer_with_method(town_a)
    with schema_context("public"):
        subscription_start(tenant=town_a, customer=sponsor, product=catalogue["home-card"], sponsor_name="Korn")

    # when
    credited = town_shares_credit(tenant=town_a)
    again = town_shares_credit(tenant=town_a)

    # then: the plan's next invoice is 16.00 lower
    plan = platform_plan_current(tenant=town_a)
    invoice = gateway.invoice_create(idempotency_key=f"next-{time.time_ns()}", customer_id=plan.customer.customer_id,
                                     subscription_id=plan.subscription_id)
    assert (credited, again) == (1600, 0)
    assert -1600 in [line["amount"] for line in invoice["lines"]["data"]]
    assert invoice["total"] == plan.monthly_gross_cents - 1600
    assert not LedgerEntry.objects.filter(tenant=town_a, credited_at=None, town_share_cents__gt=0).exists()
    ledger = admin_client_a.get("/backoffice/sponsoring/einnahmen/").content.decode()
    assert ledger.count("16,00 €") >= 2  # town's share and the amount credited
