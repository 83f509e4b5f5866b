"""Journey: a business buys 'Hervorgehobener Eintrag' with the Elements card form; a resident sees it first
in its category, labelled "Sponsored".

Stripe is a real localstripe process; its Stripe.js stand-in is what the page loads (from settings).
"""

from __future__ import annotations

import re

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD  # every factory user's password
from tests.billing.conftest import localstripe  # noqa: F401 - the session's localstripe process

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = re.compile(r"^E-?mail( address)?:?$", re.I)


def _town(make_town, slug: str):
    """A town that offers featured entries, and the baker who manages a business there."""
    from billing.catalogue import catalogue_seed
    from billing.models import Product
    from billing.services import town_offer_set, town_sponsorship_configure
    from modules.directory.models import BusinessCategory
    from tests.accounts.factories import UserFactory
    from town.models import MembershipRole, Organisation, OrganisationKind, OrganisationMembership

    town = make_town(slug, "Verbandsgemeinde Brotheim")
    with schema_context("public"):
        catalogue_seed(Product)
        town_sponsorship_configure(tenant=town, enabled=True)
        town_offer_set(tenant=town, product=Product.objects.get(key="featured-entry"), offered=True,
                       monthly_net_cents=2000, slots=1)
    with schema_context(town.schema_name):
        category = BusinessCategory.objects.order_by("name").first()
        user = UserFactory(email="ida@baeckerei.example", name="Ida Korn")
        bakery = Organisation.objects.create(name="Bäckerei Korn", slug="baeckerei-korn",
                                             kind=OrganisationKind.BUSINESS)
        OrganisationMembership.objects.create(organisation=bakery, user=user, role=MembershipRole.MANAGER)
        return category.pk, category.slug, category.name


def test_business_buys_a_featured_entry_and_residents_see_it_first(live_site, make_town, journey, open_page,
                                                                   viewport, localstripe):  # noqa: F811
    slug = f"brotheim-{viewport}"
    category_id, category_slug, category_name = _town(make_town, slug)

    # the baker signs in and books the featured entry for her category
    baker = open_page()
    baker.goto(live_site.town(slug))
    journey.seen(baker, "start", screenshot=False)
    baker.get_by_role("navigation", name="Your account").get_by_role("link", name="Sign in").click()
    journey.seen(baker, "sign-in", screenshot=False)
    baker.get_by_label(EMAIL).fill("ida@baeckerei.example")
    baker.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    baker.get_by_role("button", name="Sign in").click()
    expect(baker.get_by_role("button", name="Sign out")).to_be_visible()
    journey.seen(baker, "signed-in", screenshot=False)
    baker.goto(live_site.town(slug, "/sponsoring/"))
    expect(baker.get_by_role("table")).to_contain_text("23,80")  # 20.00 net + 19 % VAT
    journey.seen(baker, "price-list")
    # the directory's category page links here with the category as the target
    baker.goto(live_site.town(slug, f"/sponsoring/kaufen/?produkt=featured-entry&ziel={category_id}"))
    journey.seen(baker, "book")
    baker.get_by_label("Short text shown with your entry").fill("Frische Brötchen ab 6 Uhr")
    baker.get_by_label("Street and number").fill("Hauptstraße 1")
    baker.get_by_label("Postal code").fill("56470")
    baker.get_by_label(re.compile(r"^City:?$")).fill("Brotheim")
    baker.get_by_role("button", name="Continue to payment").click()
    expect(baker.get_by_role("heading", level=1)).to_contain_text("Pay for")
    # the card form of (localstripe's) Stripe Elements
    baker.get_by_placeholder("number").fill("4242424242424242")
    baker.get_by_placeholder("exp_month").fill("12")
    baker.get_by_placeholder("exp_year").fill("34")
    baker.get_by_placeholder("cvc").fill("123")
    baker.get_by_placeholder("postal_code").fill("56470")
    journey.seen(baker, "payment")
    baker.get_by_role("button", name="Pay and activate").click()
    expect(baker.get_by_role("heading", level=1)).to_have_text("My sponsorships")
    expect(baker.get_by_role("main")).to_contain_text("Hervorgehobener Eintrag")
    journey.seen(baker, "my-sponsorships")

    # a visitor opens that category: the bakery comes first, labelled
    resident = open_page()
    resident.goto(live_site.town(slug, f"/directory/?category={category_slug}"))
    first = resident.get_by_role("main").locator("article").first
    expect(first).to_contain_text("Sponsored")
    expect(first.get_by_role("link", name="Bäckerei Korn")).to_have_attribute("href", "/organisationen/baeckerei-korn/")
    journey.seen(resident, "category")
    assert category_name
