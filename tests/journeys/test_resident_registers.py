"""Journey (b): a resident scans the QR code of her village's flyer, registers, confirms her e-mail and
lands, signed in, on the welcome page of her Ortsgemeinde with its news, in at most 5 clicks; then she
reads news.

Also keyboard-only: a registration from the start page with Tab, Enter and Space alone, where he first
forgets the privacy tick (the error summary at the top links to it, the password stays).
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.journeys.support import choose_option, link_in_mail, press_enter_on, tick, type_into, wait_for_mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Fichtenweg-Sonne-42"
# allauth's labels end in a colon ("Email:", "Password (again):").
EMAIL = re.compile(r"^E-?mail( address)?:?$", re.I)
PASSWORD_1 = re.compile(r"^Password:?$")


def _town_with_news(make_town, slug: str):
    """A Verbandsgemeinde with two villages, town-wide news and news for each village."""
    from modules.news.services import article_create, article_publish
    from tests.accounts.factories import OrtsgemeindeFactory
    from tests.conftest import ADMIN_EMAIL, admin_of

    town = make_town(slug, "Verbandsgemeinde Sonnental", admin_email=ADMIN_EMAIL)
    admin = admin_of(town)
    with schema_context(town.schema_name):
        elkenroth = OrtsgemeindeFactory(name="Elkenroth", slug="elkenroth")
        kausen = OrtsgemeindeFactory(name="Kausen", slug="kausen")
        for title, villages in (
            ("Road works on the Hauptstraße", []),
            ("Elkenroth celebrates its Kirmes", [elkenroth]),
            ("New playground in Kausen", [kausen]),
        ):
            article = article_create(acting_user=admin, title=title, teaser=f"{title}: what you need to know.",
                                     body=f"<p>{title}. Details follow in the town hall.</p>", ortsgemeinden=villages)
            article_publish(article=article, acting_user=admin)
    return town


def _flyer_code(town, village_slug: str) -> str:
    """The code printed on the village's flyer (the same as in its QR code)."""
    from town.models import Ortsgemeinde
    from town.outreach_services import signup_code_for

    with schema_context(town.schema_name):
        return signup_code_for(ortsgemeinde=Ortsgemeinde.objects.get(slug=village_slug)).code


def test_resident_registers_confirms_and_reads_news(live_site, make_town, journey, open_page, viewport):
    town_row = _town_with_news(make_town, f"sonnental-{viewport}")
    town = lambda path="/": live_site.town(f"sonnental-{viewport}", path)  # noqa: E731
    page = open_page()
    rita = journey.effort("resident from the flyer's QR code to her village's news")

    # Rita scans the QR code on the Elkenroth flyer: the registration opens with her village chosen
    page.goto(town(f"/r/{_flyer_code(town_row, 'elkenroth')}/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Register")
    expect(page.get_by_label("Ortsgemeinde")).to_have_value(re.compile(r"\d+"))
    expect(page.get_by_label("Ortsgemeinde").locator("option:checked")).to_have_text("Elkenroth")
    journey.seen(page, "register-form")
    rita.fill(page.get_by_label("Your name"), "Rita Resident")
    rita.fill(page.get_by_label(EMAIL), "rita@example.org")
    rita.fill(page.get_by_label(PASSWORD_1), PASSWORD)
    rita.check(page.get_by_label(re.compile("privacy policy")))
    rita.click(page.get_by_role("button", name="Create account"))

    # she is asked to confirm her address
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("confirm|verify", re.I))
    journey.seen(page, "check-your-mail")
    message = wait_for_mail(mail.outbox, to="rita@example.org")
    rita.open(page, link_in_mail(message, r"/accounts/confirm-email/"))
    journey.seen(page, "confirm-email")
    rita.click(page.get_by_role("button", name="Confirm"))

    # the address is confirmed and she is signed in, on the welcome page of her village, with its news
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to Elkenroth, Rita!")
    expect(page.get_by_role("navigation", name="Your account")).to_contain_text("Rita")
    expect(page.get_by_role("main")).to_contain_text("Elkenroth celebrates its Kirmes")
    journey.seen(page, "welcome")
    rita.assert_at_most(clicks=5)

    # the news page shows her village's news and the town's, not the other village's
    _open_news(page, viewport)
    journey.seen(page, "news")
    news = page.get_by_role("main")
    expect(news.get_by_role("heading", name="Elkenroth celebrates its Kirmes")).to_be_visible()
    expect(news.get_by_role("heading", name="Road works on the Hauptstraße")).to_be_visible()
    expect(news.get_by_role("heading", name="New playground in Kausen")).to_have_count(0)

    # and she reads one article
    news.get_by_role("link", name="Elkenroth celebrates its Kirmes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Elkenroth celebrates its Kirmes")
    journey.seen(page, "article")


def _open_news(page, viewport: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="News").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("News")


@pytest.mark.parametrize("viewport", ["desktop"])
def test_resident_registers_with_the_keyboard_alone(live_site, make_town, journey, open_page, viewport):
    _town_with_news(make_town, "sonnental-keyboard")
    page = open_page()
    page.goto(live_site.town("sonnental-keyboard"))
    journey.seen(page, "start", screenshot=False)

    press_enter_on(page, page.get_by_role("navigation", name="Your account").get_by_role("link", name="Register"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Register")
    journey.seen(page, "register-form")
    type_into(page, page.get_by_label("Your name"), "Karl Keyboard")
    type_into(page, page.get_by_label(EMAIL), "karl@example.org")
    choose_option(page, page.get_by_label("Ortsgemeinde"), "Kausen")
    type_into(page, page.get_by_label(PASSWORD_1), PASSWORD)
    press_enter_on(page, page.get_by_role("button", name="Create account"))

    # he forgot the privacy tick: the page says so at the top, and his password is still there
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("privacy policy")
    journey.seen(page, "register-form-error")
    expect(page.get_by_label(PASSWORD_1)).to_have_value(PASSWORD)
    press_enter_on(page, summary.get_by_role("link"), navigates=False)
    tick(page, page.get_by_label(re.compile("privacy policy")))
    press_enter_on(page, page.get_by_role("button", name="Create account"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("confirm|verify", re.I))
    journey.seen(page, "check-your-mail", screenshot=False)

    page.goto(link_in_mail(wait_for_mail(mail.outbox, to="karl@example.org"), r"/accounts/confirm-email/"))
    journey.seen(page, "confirm-email", screenshot=False)
    press_enter_on(page, page.get_by_role("button", name="Confirm"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to Kausen, Karl!")
    expect(page.get_by_role("navigation", name="Your account")).to_contain_text("Karl")
    journey.seen(page, "welcome", screenshot=False)

    press_enter_on(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="News"))
    journey.seen(page, "news")
    news = page.get_by_role("main")
    expect(news.get_by_role("heading", name="New playground in Kausen")).to_be_visible()
    expect(news.get_by_role("heading", name="Elkenroth celebrates its Kirmes")).to_have_count(0)
