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
    effort = journey.effort("Verein editor from the invitation mail to a published post")
    effort.open(eddi, link_in_mail(wait_for_mail(mail.outbox, to="eddi@example.org"), r"/einladung/"))
    expect(eddi.get_by_role("main")).to_contain_text("Feuerwehr Elkenroth")
    journey.seen(eddi, "invitation")
    effort.click(eddi.get_by_role("main").get_by_role("link", name="Create account"))
    journey.seen(eddi, "editor-signup", screenshot=False)
    expect(eddi.get_by_label(EMAIL)).to_have_value("eddi@example.org")
    effort.fill(eddi.get_by_label("Your name"), "Eddi Editor")
    effort.choose(eddi.get_by_label("Ortsgemeinde"), label="Elkenroth")
    effort.fill(eddi.get_by_label(PASSWORD_1), PASSWORD)
    effort.check(eddi.get_by_label(re.compile("privacy policy")))
    effort.click(eddi.get_by_role("button", name="Create account"))

    # the invitation proved his address: he is signed in at once and lands on his first post,
    # written for the brigade (preselected), with no menu to find first
    expect(eddi.get_by_role("button", name="Sign out")).to_be_visible()
    expect(eddi.get_by_role("heading", level=1)).to_have_text("Write your first post")
    expect(eddi.get_by_role("main")).to_contain_text("Feuerwehr Elkenroth")
    journey.seen(eddi, "write")
    effort.fill(eddi.get_by_label(re.compile("^Title")), TITLE)
    effort.fill(eddi.get_by_label(re.compile("^Teaser")), "The Elkenroth fire brigade practises at the school.")
    # the text editor: a toolbar of labelled buttons above the text, and the shortcuts of any word processor
    body = eddi.get_by_role("textbox", name="Text", exact=True)
    body.click()  # the cursor into the text (typing a field, counted below)
    eddi.keyboard.type("Expect sirens on Saturday morning.")
    eddi.keyboard.press("Enter")
    eddi.keyboard.type("No reason to worry.")
    effort.fields += 1
    eddi.keyboard.press("Shift+Home")
    eddi.keyboard.press("Control+b")
    expect(body.locator("b, strong")).to_have_text("No reason to worry.")  # the browser writes <b>, saved as <strong>
    toolbar = eddi.get_by_role("toolbar", name=re.compile("Text format"))
    expect(toolbar.get_by_role("button", name="Bold")).to_have_attribute("aria-pressed", "true")
    expect(toolbar.get_by_role("button", name="Numbered list")).to_be_visible()
    expect(eddi.get_by_label(re.compile("^Organisation"))).to_have_value(re.compile(r"\d+"))
    effort.check(eddi.get_by_role("group", name="Ortsgemeinden").get_by_label("Elkenroth"))
    effort.click(eddi.get_by_role("button", name="Save draft"))
    expect(eddi.get_by_role("heading", level=1)).to_have_text("Edit article")
    # the saved draft opens formatted in the editor, never as HTML tags
    body = eddi.get_by_role("textbox", name="Text", exact=True)
    expect(body.locator("strong")).to_have_text("No reason to worry.")
    expect(body.locator("p")).to_have_count(2)
    expect(body).not_to_contain_text("<")
    journey.seen(eddi, "draft")
    effort.click(eddi.get_by_role("button", name="Publish or schedule"))
    expect(eddi.get_by_role("status")).to_be_visible()
    journey.seen(eddi, "published")
    effort.assert_at_most(clicks=8)

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
