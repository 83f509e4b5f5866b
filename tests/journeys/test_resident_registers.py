"""Journey (b): a resident registers on her town, confirms her e-mail and lands, signed in, on the
welcome page of her Ortsgemeinde; then she reads news.

Also keyboard-only: the same registration with Tab, Enter and Space alone.
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


def test_resident_registers_confirms_and_reads_news(live_site, make_town, journey, open_page, viewport):
    _town_with_news(make_town, f"sonnental-{viewport}")
    town = lambda path="/": live_site.town(f"sonnental-{viewport}", path)  # noqa: E731
    page = open_page()

    # Rita opens her town's site and registers
    page.goto(town())
    journey.seen(page, "start")
    page.get_by_role("navigation", name="Your account").get_by_role("link", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Register")
    journey.seen(page, "register-form")
    page.get_by_label("Your name").fill("Rita Resident")
    page.get_by_label(EMAIL).fill("rita@example.org")
    page.get_by_label("Ortsgemeinde").select_option(label="Elkenroth")
    page.get_by_label(PASSWORD_1).fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    # she forgot the privacy tick: the page says so at the top, and her password is still there
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("privacy policy")
    journey.seen(page, "register-form-error")
    expect(page.get_by_label(PASSWORD_1)).to_have_value(PASSWORD)
    summary.get_by_role("link").click()
    page.get_by_label(re.compile("privacy policy")).check()
    page.get_by_role("button", name="Create account").click()

    # she is asked to confirm her address
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("confirm|verify", re.I))
    journey.seen(page, "check-your-mail")
    message = wait_for_mail(mail.outbox, to="rita@example.org")
    page.goto(link_in_mail(message, r"/accounts/confirm-email/"))
    journey.seen(page, "confirm-email")
    page.get_by_role("button", name="Confirm").click()

    # the address is confirmed and she is signed in, on the welcome page of her village
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to Elkenroth, Rita!")
    expect(page.get_by_role("navigation", name="Your account")).to_contain_text("Rita")
    expect(page.get_by_role("main")).to_contain_text("Elkenroth celebrates its Kirmes")
    journey.seen(page, "welcome")

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
