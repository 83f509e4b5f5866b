"""Journeys: a business buys 'Hervorgehobener Eintrag' with the Elements card form and a resident sees it
first in its category, labelled "Sponsored"; a business becomes patron of the Pinnwand and of a club, and
the club's treasurer and the town hall see where the money went.

Stripe is a real localstripe process; its Stripe.js stand-in is what the page loads (from settings).
"""

from __future__ import annotations

import re

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD  # every factory user's password
from tests.billing.conftest import localstripe  # noqa: F401 - the session's localstripe process
from tests.journeys.support import Effort, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def _town(make_town, slug: str, products=("featured-entry",)):
    """A town that offers these products, and the baker who manages a business there."""
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
        for key in products:
            town_offer_set(tenant=town, product=Product.objects.get(key=key), offered=True,
                           monthly_net_cents=2000, slots=1)
    with schema_context(town.schema_name):
        category = BusinessCategory.objects.order_by("name").first()
        user = UserFactory(email="ida@baeckerei.example", name="Ida Korn")
        bakery = Organisation.objects.create(name="Bäckerei Korn", slug="baeckerei-korn",
                                             kind=OrganisationKind.BUSINESS)
        OrganisationMembership.objects.create(organisation=bakery, user=user, role=MembershipRole.MANAGER)
        return category.pk, category.slug, category.name


def _pay(page, journey, step: str, effort: Effort | None = None) -> None:
    """Invoice address, then the card form of (localstripe's) Stripe Elements; ends on "My sponsorships"."""
    effort = effort or Effort()
    effort.fill(page.get_by_label("Street and number"), "Hauptstraße 1")
    effort.fill(page.get_by_label("Postal code"), "56470")
    effort.fill(page.get_by_label(re.compile(r"^City:?$")), "Brotheim")
    effort.click(page.get_by_role("button", name="Continue to payment"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pay for")
    effort.fill(page.get_by_placeholder("number"), "4242424242424242")
    effort.fill(page.get_by_placeholder("exp_month"), "12")
    effort.fill(page.get_by_placeholder("exp_year"), "34")
    effort.fill(page.get_by_placeholder("cvc"), "123")
    effort.fill(page.get_by_placeholder("postal_code"), "56470")
    journey.seen(page, step)
    effort.click(page.get_by_role("button", name="Pay and activate"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My sponsorships")


def test_business_buys_a_featured_entry_and_residents_see_it_first(live_site, make_town, journey, open_page,
                                                                   viewport, localstripe):  # noqa: F811
    slug = f"brotheim-{viewport}"
    category_id, category_slug, category_name = _town(make_town, slug)

    # the baker signs in, finds her category in the Branchenbuch and books the featured entry from there
    baker = open_page()
    sign_in(baker, journey, live_site.town(slug), "ida@baeckerei.example", PASSWORD, "baker")
    ida = journey.effort("business from the Branchenbuch to its sponsored entry on top of its category")

    def open_category(step: str) -> None:
        ida.click(baker.get_by_role("navigation", name="Main").get_by_role("link", name="Directory"))
        journey.seen(baker, f"{step}-directory", screenshot=False)
        ida.choose(baker.get_by_label("Category"), label=category_name)
        ida.click(baker.get_by_role("button", name="Show"))
        expect(baker.get_by_role("heading", level=1)).to_contain_text(category_name)
        journey.seen(baker, step)

    open_category("category-before")
    ida.click(baker.get_by_role("link", name=re.compile("book a featured entry")))
    expect(baker.get_by_role("main")).to_contain_text("23,80")  # 20.00 net + 19 % VAT
    journey.seen(baker, "book")
    ida.fill(baker.get_by_label("Short text shown with your entry"), "Frische Brötchen ab 6 Uhr")
    _pay(baker, journey, "payment", ida)
    expect(baker.get_by_role("main")).to_contain_text("Hervorgehobener Eintrag")
    journey.seen(baker, "my-sponsorships")

    # she looks at her category: her bakery comes first, labelled
    open_category("category-after")
    first = baker.get_by_role("main").locator("article").first
    expect(first).to_contain_text("Sponsored")
    expect(first.get_by_role("link", name="Bäckerei Korn")).to_be_visible()
    ida.assert_at_most(clicks=9)

    # a visitor opens that category: the bakery comes first, labelled
    resident = open_page()
    resident.goto(live_site.town(slug, f"/directory/?category={category_slug}"))
    first = resident.get_by_role("main").locator("article").first
    expect(first).to_contain_text("Sponsored")
    expect(first.get_by_role("link", name="Bäckerei Korn")).to_have_attribute("href", "/organisationen/baeckerei-korn/")
    journey.seen(resident, "category")
    assert category_name


# Phone only: the desktop layout is covered by the main paths that run in both viewports (registration,
# publishing, signup, a business buying a featured entry); this keeps the suite under its 20 minutes.
@pytest.mark.parametrize("viewport", ["phone"])
def test_a_business_sponsors_the_pinnwand_and_a_club_and_the_club_sees_its_share(
    live_site, make_town, journey, open_page, viewport, localstripe  # noqa: F811
):
    slug = f"brotheim-patrons-{viewport}"
    _town(make_town, slug, products=("module-patron", "club-patron"))
    from tenants.models import Municipality

    with schema_context(Municipality.schema_name_for(slug)):
        from tests.accounts.factories import UserFactory
        from town.models import MembershipRole, Organisation, OrganisationKind, OrganisationMembership

        club = Organisation.objects.create(name="SV Brotheim", slug="sv-brotheim", kind=OrganisationKind.VEREIN)
        OrganisationMembership.objects.create(organisation=club, role=MembershipRole.MANAGER,
                                              user=UserFactory(email="kasse@sv.example", name="Karl Kasse"))

    # the baker becomes patron of the Pinnwand, then of the sports club
    baker = open_page()
    sign_in(baker, journey, live_site.town(slug), "ida@baeckerei.example", PASSWORD, "baker")
    baker.goto(live_site.town(slug, "/sponsoring/"))
    journey.seen(baker, "price-list")
    baker.goto(live_site.town(slug, "/sponsoring/kaufen/?produkt=module-patron"))
    journey.seen(baker, "book-module")
    baker.get_by_label("Module you sponsor").select_option(value="board")
    _pay(baker, journey, "pay-module")
    baker.goto(live_site.town(slug, "/sponsoring/kaufen/?produkt=club-patron"))
    journey.seen(baker, "book-club")
    baker.get_by_label("Club you sponsor").select_option(label="SV Brotheim")
    _pay(baker, journey, "pay-club")
    journey.seen(baker, "my-sponsorships")

    # every visitor sees the same labelled line on the Pinnwand and on the club's page, never on the news
    visitor = open_page()
    visitor.goto(live_site.town(slug, "/board/"))
    expect(visitor.get_by_role("complementary", name="Sponsored")).to_contain_text("Bäckerei Korn")
    journey.seen(visitor, "pinnwand")
    visitor.goto(live_site.town(slug, "/news/"))
    expect(visitor.get_by_role("complementary", name="Sponsored")).to_have_count(0)
    journey.seen(visitor, "news", screenshot=False)
    visitor.goto(live_site.town(slug, "/organisationen/sv-brotheim/"))
    expect(visitor.get_by_role("complementary", name="Sponsored")).to_contain_text("Bäckerei Korn")
    journey.seen(visitor, "club-page")

    # the club's treasurer sees what its patron paid it
    treasurer = open_page()
    sign_in(treasurer, journey, live_site.town(slug), "kasse@sv.example", PASSWORD, "treasurer")
    treasurer.goto(live_site.town(slug, "/sponsoring/verein/"))
    expect(treasurer.get_by_role("table")).to_contain_text("Bäckerei Korn")
    journey.seen(treasurer, "club-income")
