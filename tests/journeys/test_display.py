"""Journey: the town hall registers a Schaukasten screen; the screen shows the news without anyone signed in,
keeps showing it with its time when the network drops, and stops once the town signs it off."""

from __future__ import annotations

import re

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.journeys.support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Fichtenweg-Sonne-42"
ADMIN_EMAIL = "rathaus@example.org"


def _refresh_now(screen) -> None:
    # The screen asks every minute; the journey doesn't wait for that.
    screen.evaluate("document.getElementById('screen').dispatchEvent(new Event('screen:refresh'))")


@pytest.mark.parametrize("viewport", ["phone"])
def test_a_screen_shows_the_news_survives_a_network_cut_and_stops_when_signed_off(
    live_site, make_town, journey, open_page, viewport
):
    slug = f"sonnental-display-{viewport}"
    town = make_town(slug, "Verbandsgemeinde Sonnental", admin_email=ADMIN_EMAIL, admin_password=PASSWORD)
    with schema_context(town.schema_name):
        from tests.modules.news.factories import ArticleFactory

        ArticleFactory(title="Neuer Spielplatz eröffnet", teaser="Am Samstag wird gefeiert.")
    town_url = live_site.town(slug)

    # the town admin registers the screen in the back office and gets its address once
    admin = open_page()
    sign_in(admin, journey, town_url, ADMIN_EMAIL, PASSWORD, "admin")
    admin.goto(town_url + "display/manage/")
    journey.seen(admin, "screens")
    admin.get_by_label(re.compile("^Name of the screen")).fill("Rathaus, Schaufenster")
    admin.get_by_role("button", name="Register screen").click()
    expect(admin.get_by_role("status")).to_contain_text("Rathaus, Schaufenster")
    journey.seen(admin, "registered")
    address = admin.get_by_label("Address of the screen").input_value()

    # the screen opens it, signed in as nobody, and shows the news in German
    screen = open_page()
    screen.goto(address)
    main = screen.get_by_role("main")
    expect(main).to_contain_text("Neuer Spielplatz eröffnet")
    stand = screen.get_by_role("status")
    expect(stand).to_have_text(re.compile(r"^Stand: \d\d:\d\d$"))
    journey.seen(screen, "screen")

    # the network drops: the last state stays, marked with its time
    screen.context.set_offline(True)
    _refresh_now(screen)
    expect(stand).to_have_text(re.compile(r"Keine Verbindung .* Stand: \d\d:\d\d$"))
    expect(main).to_contain_text("Neuer Spielplatz eröffnet")
    screen.context.set_offline(False)
    _refresh_now(screen)
    expect(stand).to_have_text(re.compile(r"^Stand: \d\d:\d\d$"))

    # the town signs the screen off: at its next refresh the screen says so and shows nothing else
    admin.goto(town_url + "display/manage/")
    admin.get_by_role("link", name="Sign off Rathaus, Schaufenster").click()
    journey.seen(admin, "sign-off")
    admin.get_by_role("button", name="Sign off").click()
    journey.seen(admin, "signed-off")
    _refresh_now(screen)
    expect(screen.get_by_role("heading", level=1)).to_have_text("Dieser Bildschirm ist abgemeldet")
    expect(screen.get_by_text("Neuer Spielplatz eröffnet")).to_have_count(0)
    journey.seen(screen, "screen-signed-off")
