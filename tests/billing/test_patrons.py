"""Modulpate and Vereinspate against localstripe: bought in the browser, named on the pages, split in the ledger."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tenants.utils import schema_context

from billing import gateway
from billing.catalogue import PRODUCT_SUMMARIES
from billing.models import (
    Invoice,
    LedgerEntry,
    Promotion,
    PromotionStatus,
    StripeCustomer,
    Subscription,
    SubscriptionStatus,
)
from billing.services import (
    subscription_cancel,
    subscription_refresh,
    subscription_start,
    town_offer_set,
    town_sponsorship_configure,
)
from tests.accounts.factories import user_in_town
from tests.billing.factories import PromotionFactory
from tests.billing.helpers import customer_with_method
from tests.helpers import logged_in_client
from tests.town.factories import MembershipFactory, OrganisationFactory
from town.models import MembershipRole

pytestmark = pytest.mark.usefixtures("localstripe")

SPONSORED_MODULE = "directory"  # has public pages without parameters; its name is "Branchenbuch" in German


def _patrons_open(town, catalogue, *, module_price: int = 1500, club_price: int = 1001, slots: int = 2,
                  excluded_modules: list[str] | None = None) -> None:
    with schema_context("public"):
        town_sponsorship_configure(tenant=town, enabled=True, excluded_module_keys=excluded_modules or [])
        town_offer_set(tenant=town, product=catalogue["module-patron"], offered=True, monthly_net_cents=module_price,
                       slots=slots)
        town_offer_set(tenant=town, product=catalogue["club-patron"], offered=True, monthly_net_cents=club_price,
                       slots=slots)


def _organisation(town, *, name: str, slug: str, kind: str = "verein", approved: bool = True, manager=None,
                  pk: int | None = None):
    with schema_context(town.schema_name):
        organisation = OrganisationFactory(pk=pk, name=name, slug=slug, kind=kind, is_approved=approved)
        if manager is not None:
            MembershipFactory(organisation=organisation, user=manager, role=MembershipRole.MANAGER)
    return organisation


def _user(town, email: str, name: str = "Ida Korn"):
    return user_in_town(town, email=email, name=name)


def _business(town, *, name: str = "Bäckerei Korn", slug: str = "baeckerei-korn", email: str = "ida@korn.example"):
    user = _user(town, email)
    organisation = _organisation(town, name=name, slug=slug, kind="business", manager=user)
    return organisation, logged_in_client(town, user)


def _details(product: str, organisation, **choice) -> dict:
    return {"produkt": product, "organisation": organisation.pk,
            "invoice_name": organisation.name, "invoice_email": "rechnung@korn.example",
            "address_line": "Hauptstr. 1", "postal_code": "12345", "city": "Altdorf", **choice}


def _buy(client, organisation, product: str, **choice):
    """The browser's way: details with the module or club, then Stripe.js confirms the SetupIntent."""
    page = client.post(f"/sponsoring/kaufen/?produkt={product}", _details(product, organisation, **choice))
    assert page.status_code == 200, page.content.decode()[:3000]
    intent = re.search(r'data-client-secret="([^"]+)"', page.content.decode()).group(1).split("_secret_")[0]
    method = gateway.payment_method_create_for_tests(card_number="4242424242424242")
    gateway.setup_intent_confirm(setup_intent_id=intent, payment_method_id=method["id"])
    done = client.post("/sponsoring/kaufen/bestaetigen/", {"setup_intent": intent})
    assert done.status_code == 302 and done["Location"] == "/sponsoring/meine/", done
    return page


def _module_name(key: str) -> str:
    return str(apps.get_app_config(key).spec.name)


def _patron_line(html: str) -> str:
    """The patron box core/base.html renders ("" when the page names no patron)."""
    found = re.search(r'<aside class="card patrons".*?</aside>', html, re.S)
    return found.group(0) if found else ""


# --- Modulpate ---------------------------------------------------------------------------------


def test_a_module_patron_is_named_on_every_page_of_that_module_only(town_a, town_b, catalogue, client_a, client_b):
    # given
    _patrons_open(town_a, catalogue)
    business, owner = _business(town_a)
    assert _patron_line(client_a.get(f"/{SPONSORED_MODULE}/").content.decode()) == ""  # nobody yet (and cached)

    # when
    _buy(owner, business, "module-patron", module=SPONSORED_MODULE)

    # then: every visitor sees the same labelled line on the module's pages, linking to the sponsor
    subscription = Subscription.objects.get(tenant=town_a, product__key="module-patron")
    assert (subscription.status, subscription.module_key) == (SubscriptionStatus.ACTIVE, SPONSORED_MODULE)
    for client in (client_a, owner):
        line = _patron_line(client.get(f"/{SPONSORED_MODULE}/").content.decode())
        assert _("Sponsored") in line
        assert escape(_("“%(module)s” is supported by") % {"module": _module_name(SPONSORED_MODULE)}) in line
        assert f'<a href="/organisationen/{business.slug}/">Bäckerei Korn</a>' in line
    another_page = owner.get(f"/{SPONSORED_MODULE}/register/")
    assert another_page.status_code == 200
    assert "Bäckerei Korn" in _patron_line(another_page.content.decode())
    # not on official news, not on another module, not on the start page, not in the other town
    for path in ("/news/", "/marketplace/", "/"):
        page = client_a.get(path)
        assert page.status_code == 200
        assert "Bäckerei Korn" not in _patron_line(page.content.decode()), path
    assert _patron_line(client_b.get(f"/{SPONSORED_MODULE}/").content.decode()) == ""


def test_a_cancelled_module_patron_disappears(town_a, catalogue, client_a):
    _patrons_open(town_a, catalogue)
    business, owner = _business(town_a)
    _buy(owner, business, "module-patron", module=SPONSORED_MODULE)
    subscription = Subscription.objects.get(tenant=town_a, product__key="module-patron")
    assert "Bäckerei Korn" in _patron_line(client_a.get(f"/{SPONSORED_MODULE}/").content.decode())

    with schema_context("public"):
        subscription_cancel(subscription=subscription, at_period_end=False)

    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.CANCELED
    assert _patron_line(client_a.get(f"/{SPONSORED_MODULE}/").content.decode()) == ""
    assert Promotion.objects.get(tenant=town_a).status == PromotionStatus.ENDED


def test_a_module_patron_whose_payment_is_overdue_past_the_grace_period_is_paused(town_a, catalogue, client_a):
    # given: a running patronage whose latest invoice could not be collected
    _patrons_open(town_a, catalogue)
    business, owner = _business(town_a)
    _buy(owner, business, "module-patron", module=SPONSORED_MODULE)
    subscription = Subscription.objects.get(tenant=town_a, product__key="module-patron")
    Invoice.objects.filter(subscription=subscription).update(status="open", payment_failed_at=timezone.now())
    with schema_context("public"):
        subscription_refresh(subscription=subscription)
    assert subscription.status == SubscriptionStatus.PAST_DUE
    assert "Bäckerei Korn" in _patron_line(client_a.get(f"/{SPONSORED_MODULE}/").content.decode())  # grace period

    # when: the grace period is over
    with schema_context("public"):
        subscription_refresh(subscription=subscription, now=subscription.grace_until + dt.timedelta(seconds=1))

    # then
    assert subscription.status == SubscriptionStatus.PAUSED
    assert _patron_line(client_a.get(f"/{SPONSORED_MODULE}/").content.decode()) == ""


@pytest.mark.parametrize("module, reason", [
    ("news", "official news"),
    ("no-such-module", "not a module"),
    ("notifications", "no page that every visitor sees"),
    ("errands", "switched off in the town"),
    ("marketplace", "excluded by the town"),
])
def test_a_module_that_cannot_be_sponsored_is_refused_before_stripe(town_a, catalogue, module, reason):
    # given
    from tenants.services import tenant_module_disable

    _patrons_open(town_a, catalogue, excluded_modules=["marketplace"])
    tenant_module_disable(tenant=town_a, key="errands")
    business, owner = _business(town_a)

    # when
    page = owner.post("/sponsoring/kaufen/?produkt=module-patron",
                      _details("module-patron", business, module=module))

    # then: the purchase page says why, and nothing reached Stripe
    assert page.status_code == 400, reason
    assert _("Please choose a module of this town that can be sponsored.") in page.content.decode()
    assert not StripeCustomer.objects.filter(tenant=town_a).exists()
    offered = re.findall(r'<option value="([a-z_]+)"', page.content.decode())
    assert SPONSORED_MODULE in offered and module not in offered


def test_the_service_refuses_news_and_unknown_modules_without_calling_stripe(town_a, catalogue, monkeypatch):
    _patrons_open(town_a, catalogue)
    customer = customer_with_method(town_a)

    def no_stripe(**_kwargs):
        raise AssertionError("Stripe was called")

    monkeypatch.setattr(gateway, "subscription_create", no_stripe)
    monkeypatch.setattr(gateway, "plan_ensure", no_stripe)
    with schema_context("public"):
        for module, message in (("news", _("Official news cannot be sponsored.")),
                                ("", _("Please choose a module of this town that can be sponsored."))):
            with pytest.raises(ValidationError) as refused:
                subscription_start(tenant=town_a, customer=customer, product=catalogue["module-patron"],
                                   sponsor_name="Bäckerei Korn", module_key=module)
            assert refused.value.messages == [message]
    assert not Subscription.objects.filter(tenant=town_a).exists()


def test_the_towns_slots_count_per_module_and_a_full_module_is_refused_before_stripe(town_a, catalogue):
    # given: one patron per module; the bakery sponsors the directory
    _patrons_open(town_a, catalogue, slots=1)
    bakery, bakery_owner = _business(town_a)
    _buy(bakery_owner, bakery, "module-patron", module=SPONSORED_MODULE)
    butcher, butcher_owner = _business(town_a, name="Metzgerei Huber", slug="huber", email="huber@example.org")

    # when: the butcher wants the same module
    page = butcher_owner.post("/sponsoring/kaufen/?produkt=module-patron",
                              _details("module-patron", butcher, module=SPONSORED_MODULE))

    # then: refused on the details page, before any payment form or Stripe customer
    assert page.status_code == 400
    assert _("All slots of this product are taken. Please try again later.") in page.content.decode()
    assert not StripeCustomer.objects.filter(tenant=town_a, organisation_id=butcher.pk).exists()
    # another module still has its own slot
    _buy(butcher_owner, butcher, "module-patron", module="marketplace")
    assert sorted(Subscription.objects.filter(tenant=town_a).values_list("module_key", flat=True)) == [
        "directory", "marketplace"]


def test_a_module_shows_at_most_as_many_patrons_as_the_town_allows_in_a_fixed_number_of_queries(
        town_a, catalogue, client_a, pages_rendered):
    # given: one patron, then five (sold before the town lowered its number of slots to three)
    from billing.promotions import patrons_forget

    _patrons_open(town_a, catalogue, slots=3)

    def patrons(count: int) -> None:
        Promotion.objects.filter(tenant=town_a).delete()
        for number in range(count):
            PromotionFactory(tenant=town_a, slot_key=f"{SPONSORED_MODULE}.patron",
                             sponsor_organisation_id=number, sponsor_name=f"Pate {number}",
                             starts_at=timezone.now() - dt.timedelta(minutes=10 - number))
        patrons_forget(tenant=town_a)  # as billing does after every change of a patron

    def queries() -> tuple[int, int, str]:
        """Statements of the module page: the first request after a change, then a later one."""
        counted = []
        for _request in range(2):
            with CaptureQueriesContext(connection) as captured:
                html = client_a.get(f"/{SPONSORED_MODULE}/").content.decode()
            counted.append(len([q for q in captured.captured_queries if not q["sql"].startswith("SET ")]))
        return counted[0], counted[1], _patron_line(html)

    client_a.get(f"/{SPONSORED_MODULE}/")  # warm the town and module caches
    patrons(1)
    first_one, later_one, line_one = queries()
    patrons(5)
    first_five, later_five, line_five = queries()

    # then: one query loads the town's patrons after a change, none while cached, whatever their number
    assert first_one == first_five and later_one == later_five == first_one - 1
    assert "Pate 0" in line_one
    assert [name for name in (f"Pate {n}" for n in range(5)) if name in line_five] == ["Pate 0", "Pate 1", "Pate 2"]


# --- Vereinspate --------------------------------------------------------------------------------


def test_a_club_patron_is_named_on_the_clubs_page_and_the_club_gets_its_share(town_a, catalogue, client_a,
                                                                             admin_client_a):
    # given: 10.01 EUR net a month, so the shares don't divide evenly
    _patrons_open(town_a, catalogue, club_price=1001)
    treasurer = _user(town_a, "kasse@sportverein.example", name="Karl Kasse")
    club = _organisation(town_a, name="SV Altdorf 1921", slug="sv-altdorf", manager=treasurer)
    other = _organisation(town_a, name="Gesangverein Harmonie", slug="harmonie")
    business, owner = _business(town_a)

    # when
    purchase = _buy(owner, business, "club-patron", club=club.pk)

    # then: the club's page names its patron, labelled, for every visitor; no other club's page does
    assert "SV Altdorf 1921" in purchase.content.decode()  # the payment page says what is sponsored
    line = _patron_line(client_a.get(f"/organisationen/{club.slug}/").content.decode())
    assert _("Sponsored") in line and f"{_('Club patron')}:" in line
    assert f'<a href="/organisationen/{business.slug}/">Bäckerei Korn</a>' in line
    assert _patron_line(client_a.get(f"/organisationen/{other.slug}/").content.decode()) == ""
    assert _patron_line(client_a.get(f"/organisationen/{business.slug}/").content.decode()) == ""
    # the ledger: 20 % platform, half of the rest to the club, the remainder (with the odd cent) to the town
    entry = LedgerEntry.objects.get(tenant=town_a, product_kind="club_patron")
    assert (entry.gross_cents, entry.net_cents) == (1191, 1001)
    assert (entry.platform_share_cents, entry.club_share_cents, entry.town_share_cents) == (200, 400, 401)
    assert entry.club_organisation_id == club.pk
    # the town's back office shows what went to which Verein
    ledger = admin_client_a.get("/backoffice/sponsoring/einnahmen/").content.decode()
    assert re.search(r"<th scope=\"row\">SV Altdorf 1921</th><td>4,00\s€</td>", ledger)
    # the club's managers see what their patrons paid; other visitors don't
    managers_page = logged_in_client(town_a, treasurer).get(f"/organisationen/{club.slug}/").content.decode()
    assert "4,00 €" in _patron_line(managers_page)
    assert "4,00 €" not in _patron_line(client_a.get(f"/organisationen/{club.slug}/").content.decode())
    income = logged_in_client(town_a, treasurer).get("/sponsoring/verein/")
    assert income.status_code == 200
    assert re.search(r"<th scope=\"row\">Bäckerei Korn</th><td>4,00\s€</td>", income.content.decode())


def test_only_a_clubs_managers_see_its_income(town_a, catalogue, client_a):
    member = _user(town_a, "mitglied@example.org")
    _business(town_a)
    assert client_a.get("/sponsoring/verein/").status_code == 302
    assert logged_in_client(town_a, member).get("/sponsoring/verein/").status_code == 403


@pytest.mark.parametrize("case", ["business", "unapproved", "other-town", "missing"])
def test_a_club_that_cannot_be_sponsored_is_refused_before_stripe(town_a, town_b, catalogue, case):
    # given
    _patrons_open(town_a, catalogue)
    business, owner = _business(town_a)
    _organisation(town_a, name="SV Altdorf", slug="sv-altdorf")
    if case == "business":
        club_id = _organisation(town_a, name="Autohaus Rad", slug="autohaus", kind="business").pk
    elif case == "unapproved":
        club_id = _organisation(town_a, name="Neuer Verein", slug="neu", approved=False).pk
    elif case == "other-town":
        for number in range(3):  # B's club gets a pk that no organisation of A has
            _organisation(town_b, name=f"Verein {number}", slug=f"b-verein-{number}")
        club_id = _organisation(town_b, name="TuS Bergdorf", slug="tus-bergdorf").pk
    else:
        club_id = 999_999

    # when
    page = owner.post("/sponsoring/kaufen/?produkt=club-patron", _details("club-patron", business, club=club_id))

    # then
    assert page.status_code == 400
    assert _("Please choose a club of this town.") in page.content.decode()
    assert "TuS Bergdorf" not in page.content.decode() and "Autohaus Rad" not in page.content.decode()
    assert not StripeCustomer.objects.filter(tenant=town_a).exists()


def test_the_service_refuses_a_business_as_club_without_calling_stripe(town_a, catalogue, monkeypatch):
    _patrons_open(town_a, catalogue)
    customer = customer_with_method(town_a)
    shop = _organisation(town_a, name="Autohaus Rad", slug="autohaus", kind="business")
    monkeypatch.setattr(gateway, "subscription_create", lambda **_kw: pytest.fail("Stripe was called"))

    with schema_context("public"), pytest.raises(ValidationError) as refused:
        subscription_start(tenant=town_a, customer=customer, product=catalogue["club-patron"],
                           sponsor_name="Bäckerei Korn", club_organisation_id=shop.pk)

    assert refused.value.messages == [_("A business cannot receive a club patronage; please choose a club.")]
    assert not Subscription.objects.filter(tenant=town_a).exists()


def test_town_b_never_shows_or_books_town_as_patrons(town_a, town_b, catalogue, client_b, admin_client_b):
    # given: both towns have a club with the same slug and the same pk; A's has a patron
    from town.models import Organisation

    _patrons_open(town_a, catalogue)
    _patrons_open(town_b, catalogue)
    club_a = _organisation(town_a, name="SV Altdorf", slug="sportverein")
    treasurer_b = _user(town_b, "kasse@sv-bergdorf.example")
    with schema_context(town_b.schema_name):
        assert not Organisation.objects.filter(pk=club_a.pk).exists()
    club_b = _organisation(town_b, name="SV Bergdorf", slug="sportverein", manager=treasurer_b, pk=club_a.pk)
    business, owner = _business(town_a)
    _buy(owner, business, "club-patron", club=club_a.pk)
    _buy(owner, business, "module-patron", module=SPONSORED_MODULE)

    # then: B's club page and module pages name nobody, not even to B's club manager
    assert _patron_line(client_b.get(f"/organisationen/{club_b.slug}/").content.decode()) == ""
    assert _patron_line(client_b.get(f"/{SPONSORED_MODULE}/").content.decode()) == ""
    treasurer_client = logged_in_client(town_b, treasurer_b)
    assert _patron_line(treasurer_client.get(f"/organisationen/{club_b.slug}/").content.decode()) == ""
    income_b = treasurer_client.get("/sponsoring/verein/").content.decode()
    assert _("No patron has paid your club yet.") in income_b and "Bäckerei Korn" not in income_b
    # B's ledger knows nothing of A's club
    ledger_b = admin_client_b.get("/backoffice/sponsoring/einnahmen/").content.decode()
    assert "SV Altdorf" not in ledger_b and "SV Bergdorf" not in ledger_b
    assert LedgerEntry.objects.filter(tenant=town_a, club_organisation_id=club_a.pk).count() == 1
    assert not LedgerEntry.objects.filter(tenant=town_b).exists()


# --- price lists and settings --------------------------------------------------------------------------


def test_the_price_lists_explain_the_patron_products(town_a, catalogue, client_a, public_client):
    _patrons_open(town_a, catalogue, slots=2)

    town_list = client_a.get("/sponsoring/").content.decode()
    public_list = public_client.get("/preise/").content.decode()

    assert "Modulpate" in town_list and "Vereinspate" in town_list
    per_module = ngettext("%(total)s patron per module", "%(total)s patrons per module", 2)
    per_club = ngettext("%(total)s patron per club", "%(total)s patrons per club", 2)
    assert escape(per_module % {"total": 2}) in town_list and escape(per_club % {"total": 2}) in town_list
    for html in (town_list, public_list):
        assert "Modulpate" in html and "Vereinspate" in html
        for key in ("module-patron", "club-patron"):
            assert escape(str(PRODUCT_SUMMARIES[key])) in html


def test_the_town_excludes_modules_from_patronage_in_its_settings(town_a, catalogue, admin_client_a):
    from billing.models import TownSponsorshipSettings

    page = admin_client_a.get("/backoffice/sponsoring/").content.decode()
    assert 'value="marketplace"' in page and 'value="news"' not in page and 'value="notifications"' not in page

    data = {"enabled": "on", "excluded_modules": ["marketplace"]}
    for product in catalogue.values():
        data.update({f"{product.key}-offered": "on", f"{product.key}-monthly_price": "25.00",
                     f"{product.key}-slots": "2"})
    response = admin_client_a.post("/backoffice/sponsoring/", data)

    assert response.status_code == 302
    assert TownSponsorshipSettings.objects.get(tenant=town_a).excluded_module_keys == ["marketplace"]
    business, owner = _business(town_a)
    purchase = owner.get("/sponsoring/kaufen/?produkt=module-patron").content.decode()
    assert 'value="directory"' in purchase and 'value="marketplace"' not in purchase and 'value="news"' not in purchase
