"""Journey (c): the admin invites an organisation's editor, who accepts and publishes news for one village.

A resident of that Ortsgemeinde sees the article on her news page; a resident of
the other village does not. Four people, four browsers (own cookies each).
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.journeys.support import link_in_mail, sign_in, wait_for_mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Fichtenweg-Sonne-42"
ADMIN_EMAIL = "rathaus@example.org"
EMAIL = re.compile(r"^E-?mail( address)?:?$", re.I)
PASSWORD_1 = re.compile(r"^Password:?$")
TITLE = "Fire brigade drill on Saturday"


def _town(make_town, slug: str) -> None:
    """Two villages, the Elkenroth fire brigade, and a resident in each village."""
    from tests.accounts.factories import OrganisationFactory, OrtsgemeindeFactory, UserFactory
    from town.models import ResidentProfile

    town = make_town(slug, "Verbandsgemeinde Sonnental", admin_email=ADMIN_EMAIL, admin_password=PASSWORD)
    with schema_context(town.schema_name):
        elkenroth = OrtsgemeindeFactory(name="Elkenroth", slug="elkenroth")
        kausen = OrtsgemeindeFactory(name="Kausen", slug="kausen")
        OrganisationFactory(name="Feuerwehr Elkenroth", slug="feuerwehr-elkenroth", ortsgemeinde=elkenroth)
        for email, name, village in (("erna@example.org", "Erna Elkenroth", elkenroth),
                                     ("karl@example.org", "Karl Kausen", kausen)):
            ResidentProfile.objects.create(user=UserFactory(email=email, name=name), ortsgemeinde=village)


def _news_page(page, journey, step: str):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="News").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("News")
    journey.seen(page, step)
    return page.get_by_role("main")


def test_editor_is_invited_and_publishes_news_for_one_village(live_site, make_town, journey, open_page, viewport):
    slug = f"sonnental-news-{viewport}"
    _town(make_town, slug)
    town_url = live_site.town(slug)

    # the admin invites Eddi to write for the fire brigade
    admin = open_page()
    sign_in(admin, journey, town_url, ADMIN_EMAIL, PASSWORD, "admin")
    admin.get_by_role("navigation", name="Your account").get_by_role("link", name="Back office").click()
    journey.seen(admin, "back-office", screenshot=False)
    admin.get_by_role("navigation", name="Back office").get_by_role("link", name="People", exact=True).click()
    journey.seen(admin, "people", screenshot=False)
    admin.get_by_role("link", name="Invite someone").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Invite someone")
    admin.get_by_label(re.compile("^E-mail address")).fill("eddi@example.org")
    admin.get_by_label(re.compile("^Role")).select_option(label="Editor of an organisation")
    admin.get_by_label(re.compile("^Organisation")).select_option(label="Feuerwehr Elkenroth")
    journey.seen(admin, "invite")
    admin.get_by_role("button", name="Send invitation").click()
    expect(admin.get_by_role("status")).to_contain_text("eddi@example.org")
    journey.seen(admin, "invited")

    # Eddi opens the link from the mail and creates his account with the invited address
    eddi = open_page()
    eddi.goto(link_in_mail(wait_for_mail(mail.outbox, to="eddi@example.org"), r"/einladung/"))
    expect(eddi.get_by_role("main")).to_contain_text("Feuerwehr Elkenroth")
    journey.seen(eddi, "invitation")
    eddi.get_by_role("main").get_by_role("link", name="Create account").click()
    journey.seen(eddi, "editor-signup", screenshot=False)
    expect(eddi.get_by_label(EMAIL)).to_have_value("eddi@example.org")
    eddi.get_by_label("Your name").fill("Eddi Editor")
    eddi.get_by_label("Ortsgemeinde").select_option(label="Elkenroth")
    eddi.get_by_label(PASSWORD_1).fill(PASSWORD)
    eddi.get_by_label(re.compile("privacy policy")).check()
    eddi.get_by_role("button", name="Create account").click()

    # the invitation proved his address: he is signed in at once and lands on his first post,
    # written for the brigade (preselected), with no menu to find first
    expect(eddi.get_by_role("button", name="Sign out")).to_be_visible()
    expect(eddi.get_by_role("heading", level=1)).to_have_text("Write your first post")
    expect(eddi.get_by_role("main")).to_contain_text("Feuerwehr Elkenroth")
    journey.seen(eddi, "write")
    eddi.get_by_label(re.compile("^Title")).fill(TITLE)
    eddi.get_by_label(re.compile("^Teaser")).fill("The Elkenroth fire brigade practises at the school.")
    # the text editor: a toolbar of labelled buttons above the text, keyboard shortcuts as in any word processor
    body = eddi.get_by_role("textbox", name="Text", exact=True)
    body.click()
    eddi.keyboard.type("Expect sirens on Saturday morning.")
    eddi.keyboard.press("Enter")
    eddi.keyboard.type("No reason to worry.")
    eddi.keyboard.press("Shift+Home")
    eddi.get_by_role("toolbar", name=re.compile("Text format")).get_by_role("button", name="Bold").click()
    expect(body.locator("b, strong")).to_have_text("No reason to worry.")  # the browser writes <b>, saved as <strong>
    expect(eddi.get_by_label(re.compile("^Organisation"))).to_have_value(re.compile(r"\d+"))
    eddi.get_by_role("group", name="Ortsgemeinden").get_by_label("Elkenroth").check()
    eddi.get_by_role("button", name="Save draft").click()
    expect(eddi.get_by_role("heading", level=1)).to_have_text("Edit article")
    # the saved draft opens formatted in the editor, never as HTML tags
    body = eddi.get_by_role("textbox", name="Text", exact=True)
    expect(body.locator("strong")).to_have_text("No reason to worry.")
    expect(body.locator("p")).to_have_count(2)
    expect(body).not_to_contain_text("<")
    journey.seen(eddi, "draft")
    eddi.get_by_role("button", name="Publish or schedule").click()
    expect(eddi.get_by_role("status")).to_be_visible()
    journey.seen(eddi, "published")

    # Erna from Elkenroth finds it on her news page and reads it
    erna = open_page()
    sign_in(erna, journey, town_url, "erna@example.org", PASSWORD, "erna")
    news = _news_page(erna, journey, "erna-news")
    expect(news.get_by_role("heading", name=TITLE)).to_be_visible()
    news.get_by_role("link", name=TITLE).click()
    expect(erna.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(erna.get_by_role("main")).to_contain_text("Feuerwehr Elkenroth")
    journey.seen(erna, "erna-article")

    # Karl from Kausen does not see it
    karl = open_page()
    sign_in(karl, journey, town_url, "karl@example.org", PASSWORD, "karl")
    news = _news_page(karl, journey, "karl-news")
    expect(news).to_contain_text("No news yet")
    expect(news.get_by_role("heading", name=TITLE)).to_have_count(0)
