"""Town-side billing pages: settings, price list, purchase with Elements, plan management, ledger, isolation."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from billing import gateway
from billing.models import LedgerEntry, Subscription, SubscriptionStatus, TownProductOffer, TownSponsorshipSettings
from billing.promotions import active_promotions
from tests.accounts.factories import UserFactory
from tests.billing.helpers import sponsorship_open
from tests.helpers import logged_in_client
from tests.town.factories import MembershipFactory

pytestmark = pytest.mark.usefixtures("localstripe")


def _business_manager(town, *, email: str = "inhaberin@baeckerei.example", name: str = "Bäckerei Korn"):
    from town.models import MembershipRole, OrganisationKind

    with schema_context(town.schema_name):
        membership = MembershipFactory(user__email=email, user__name="Ida Korn", organisation__name=name,
                                       organisation__kind=OrganisationKind.BUSINESS, role=MembershipRole.MANAGER)
    user, organisation = membership.user, membership.organisation
    return user, organisation, logged_in_client(town, user)


def _buy(town, catalogue, client, organisation, *, product: str = "home-card", target: str = ""):
    """What a business does in the browser: details form, then Elements confirms the SetupIntent."""
    query = f"?produkt={product}" + (f"&ziel={target}" if target else "")
    details = {"produkt": product, "organisation": organisation.pk, "sponsor_text": "Frische Brötchen",
               "invoice_name": organisation.name, "invoice_email": "rechnung@baeckerei.example",
               "address_line": "Hauptstr. 1", "postal_code": "12345", "city": "Altdorf"}
    if target:
        details["ziel"] = target
        details["target"] = target
    page = client.post(f"/sponsoring/kaufen/{query}", details)
    assert page.status_code == 200, page.content.decode()[:2000]
    html = page.content.decode()
    secret = re.search(r'data-client-secret="([^"]+)"', html).group(1)
    # Stripe.js (localstripe's stand-in, loaded from settings) confirms the SetupIntent with the card.
    method = gateway.payment_method_create_for_tests(card_number="4242424242424242")
    gateway.setup_intent_confirm(setup_intent_id=secret.split("_secret_")[0], payment_method_id=method["id"])
    return page, client.post("/sponsoring/kaufen/bestaetigen/", {"setup_intent": secret.split("_secret_")[0]})


def test_town_admin_sets_prices_within_the_range(town_a, catalogue, admin_client_a):
    # given
    data = {"enabled": "on", "excluded_terms": "Bestattung"}
    for product in catalogue.values():
        data.update({f"{product.key}-offered": "on", f"{product.key}-monthly_price": "25.00",
                     f"{product.key}-slots": "3"})

    # when
    response = admin_client_a.post("/backoffice/sponsoring/", data)

    # then
    assert response.status_code == 302
    assert TownSponsorshipSettings.objects.get(tenant=town_a).enabled
    assert TownProductOffer.objects.get(tenant=town_a, product=catalogue["home-card"]).monthly_net_cents == 2500
    assert "29,75 €" in admin_client_a.get("/sponsoring/").content.decode()  # 25.00 + 19 % VAT


def test_a_price_outside_the_platform_range_changes_nothing(town_a, catalogue, admin_client_a):
    data = {"enabled": "on"}
    for product in catalogue.values():
        data.update({f"{product.key}-offered": "on", f"{product.key}-monthly_price": "999.00",
                     f"{product.key}-slots": "1"})

    response = admin_client_a.post("/backoffice/sponsoring/", data)

    assert response.status_code == 400
    assert not TownProductOffer.objects.filter(tenant=town_a).exists()
    assert not TownSponsorshipSettings.objects.filter(tenant=town_a, enabled=True).exists()


def test_only_town_admins_see_the_settings_and_the_ledger(town_a, client_a, catalogue):

    with schema_context(town_a.schema_name):
        resident = UserFactory(email="bewohner@example.org", name="Bea")
    resident_client = logged_in_client(town_a, resident)
    for path in ("/backoffice/sponsoring/", "/backoffice/sponsoring/einnahmen/"):
        assert client_a.get(path).status_code == 302
        assert resident_client.get(path).status_code == 403
    assert resident_client.get("/sponsoring/kaufen/?produkt=home-card").status_code == 403


def test_a_business_buys_with_elements_and_its_promotion_is_live(town_a, catalogue):
    # given
    sponsorship_open(town_a, catalogue)
    _user, organisation, client = _business_manager(town_a)

    # when
    page, done = _buy(town_a, catalogue, client, organisation)

    # then: Stripe.js came from the configured Stripe (localstripe), never from the internet
    html = page.content.decode()
    assert f'src="{settings.STRIPE_API_BASE}/js.stripe.com/v3/"' in html
    assert "https://js.stripe.com" not in html
    assert done.status_code == 302 and done["Location"] == "/sponsoring/meine/"
    subscription = Subscription.objects.get(tenant=town_a, customer__organisation_id=organisation.pk)
    assert subscription.status == SubscriptionStatus.ACTIVE
    shown = active_promotions(slot_key="directory.home", tenant=town_a)
    assert [(p.sponsor_name, p.link_url) for p in shown] == [("Bäckerei Korn", f"/organisationen/{organisation.slug}/")]
    mine = client.get("/sponsoring/meine/").content.decode()
    assert "23,80 €" in mine  # the invoice with VAT
    assert subscription.customer.payment_method_label in mine


def test_a_business_cancels_at_the_end_of_the_month(town_a, catalogue):
    sponsorship_open(town_a, catalogue)
    _user, organisation, client = _business_manager(town_a)
    _buy(town_a, catalogue, client, organisation)
    subscription = Subscription.objects.get(tenant=town_a, customer__organisation_id=organisation.pk)

    response = client.post("/sponsoring/meine/kuendigen/", {"subscription": subscription.pk})

    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.cancel_at_period_end and subscription.status == SubscriptionStatus.ACTIVE


def test_a_business_of_town_a_cannot_see_or_manage_town_bs_subscriptions(town_a, town_b, catalogue):
    # given: a sponsor in each town; pks collide on purpose across towns' organisations
    sponsorship_open(town_a, catalogue)
    sponsorship_open(town_b, catalogue)
    _ua, org_a, client_a = _business_manager(town_a)
    _ub, org_b, client_b = _business_manager(town_b, name="Bergdorfer Hof")
    _buy(town_a, catalogue, client_a, org_a)
    _buy(town_b, catalogue, client_b, org_b)
    theirs = Subscription.objects.get(tenant=town_b)

    # when / then
    assert client_a.post("/sponsoring/meine/kuendigen/", {"subscription": theirs.pk}).status_code == 404
    assert client_a.post("/sponsoring/meine/bezahlen/", {"subscription": theirs.pk}).status_code == 404
    page = client_a.get("/sponsoring/meine/").content.decode()
    assert "Bergdorfer Hof" not in page
    theirs.refresh_from_db()
    assert not theirs.cancel_at_period_end


def test_town_admins_see_only_their_own_ledger(town_a, town_b, catalogue, admin_client_a, admin_client_b):
    sponsorship_open(town_a, catalogue)
    _ua, org_a, client_a = _business_manager(town_a)
    _buy(town_a, catalogue, client_a, org_a)

    mine = admin_client_a.get("/backoffice/sponsoring/einnahmen/").content.decode()
    theirs = admin_client_b.get("/backoffice/sponsoring/einnahmen/").content.decode()

    entry = LedgerEntry.objects.get(tenant=town_a)
    assert (entry.platform_share_cents, entry.town_share_cents) == (400, 1600)
    assert "16,00 €" in mine and "4,00 €" in mine
    assert "16,00 €" not in theirs
    assert _("No sponsorship payments yet.") in theirs
