"""Journey (Kommunikation): the town puts this week's Mitteilungsblatt together and a resident subscribes and reads it.

The editor makes a draft from the week's news, shortens an item and publishes; a resident finds the issue in
the archive, subscribes to the e-mail edition and reads the issue online. Every page is checked with axe.
"""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.journeys.support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Dorfplatz-Linde-2026"  # the town admin's
RESIDENT_PASSWORD = "Fichtenweg-Sonne-42"  # UserFactory's
ADMIN_EMAIL = "rathaus@example.org"


# On the phone only, like the other module stories (tests/journeys/test_participation.py says why).
@pytest.mark.parametrize("viewport", ["phone"])
def test_the_town_publishes_its_mitteilungsblatt_and_a_resident_subscribes_and_reads_it(
    live_site, make_town, journey, open_page, viewport
):
    from tests.accounts.factories import UserFactory
    from tests.modules.news.factories import ArticleFactory

    slug = f"blattdorf-{viewport}"
    town = make_town(slug, "Verbandsgemeinde Blattdorf", admin_email=ADMIN_EMAIL, admin_password=PASSWORD)
    with schema_context(town.schema_name):
        ArticleFactory(title="Frühjahrsputz am Samstag", teaser="Treffpunkt 9 Uhr am Dorfplatz. " * 6)
        UserFactory(email="leserin@example.org", name="Lena Leser")
    town_url = live_site.town(slug)

    editor = open_page()
    sign_in(editor, journey, town_url, ADMIN_EMAIL, PASSWORD, "town")
    editor.goto(f"{town_url}bulletin/manage/")
    journey.seen(editor, "bulletin-manage", screenshot=False)
    editor.get_by_role("button", name="Make a draft").click()
    expect(editor.get_by_role("main")).to_contain_text("is ready as a draft with 1 item")
    editor.get_by_role("group", name="Frühjahrsputz am Samstag").get_by_label("Short text").fill(
        "Treffpunkt 9 Uhr am Dorfplatz.")
    journey.seen(editor, "bulletin-draft")
    editor.get_by_role("button", name="Save changes").click()
    expect(editor.get_by_role("main")).to_contain_text("Your changes are saved.")
    editor.get_by_role("button", name="Publish and send").click()
    expect(editor.get_by_role("main")).to_contain_text("is published")

    resident = open_page()
    sign_in(resident, journey, town_url, "leserin@example.org", RESIDENT_PASSWORD, "resident")
    resident.goto(f"{town_url}mitteilungsblatt/")
    journey.seen(resident, "bulletin-archive")
    resident.get_by_role("button", name="Get it by e-mail").click()
    expect(resident.get_by_role("main")).to_contain_text("you get the Mitteilungsblatt by e-mail")
    resident.get_by_role("link", name="Mitteilungsblatt Issue 1/").click()
    expect(resident.get_by_role("main")).to_contain_text("Treffpunkt 9 Uhr am Dorfplatz.")
    journey.seen(resident, "bulletin-issue")
