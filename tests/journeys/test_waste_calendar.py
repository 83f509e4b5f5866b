"""Journey of issue 13 (Abfallkalender): the town hall imports the year's dates, a resident subscribes.

The admin uploads the disposal company's iCalendar file for 2027 (four waste types, holiday
shifts; tests/modules/waste/fixtures/), checks the preview, applies it and moves one date by
hand. Rosa, a resident of Gebhardshain, picks her street once, saves it, sees the feed address
(and copies it) and sets a reminder for the evening before. axe-core checks every page.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.journeys.support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Fichtenweg-Sonne-42"
ADMIN_EMAIL = "rathaus@example.org"
ROSA = "rosa@example.org"
ICS = Path(__file__).resolve().parents[1] / "modules" / "waste" / "fixtures" / "awb-gebhardshain-2027.ics"


def _town(make_town, slug: str) -> None:
    from accounts.models import User
    from modules.waste.services import area_create
    from tests.accounts.factories import UserFactory
    from tests.town.factories import OrtsgemeindeFactory
    from town.models import Street

    town = make_town(slug, "Verbandsgemeinde Tonnental", admin_email=ADMIN_EMAIL, admin_password=PASSWORD)
    with schema_context(town.schema_name):
        gebhardshain = OrtsgemeindeFactory(name="Gebhardshain", slug="gebhardshain")
        kausen = OrtsgemeindeFactory(name="Kausen", slug="kausen")
        streets = [Street.objects.create(ortsgemeinde=gebhardshain, name=name, key=name.lower())
                   for name in ("Hauptstraße", "Schulstraße", "Am Sportplatz")]
        admin = User.objects.get(email=ADMIN_EMAIL)
        area_create(acting_user=admin, name="Gebhardshain Nord", ortsgemeinde=gebhardshain, streets=streets[:2])
        area_create(acting_user=admin, name="Gebhardshain Süd", ortsgemeinde=gebhardshain, streets=streets[2:])
        area_create(acting_user=admin, name="Kausen", ortsgemeinde=kausen)
        UserFactory(email=ROSA, name="Rosa Ruhig", password=PASSWORD)


# On the phone only: this is a module's story, and most residents come by phone. Both viewports run
# for the platform's main paths (registration, publishing, signup, Nahversorgung), so the journeys
# folder stays within the test-time budget while every page here still passes axe and reflow.
@pytest.mark.parametrize("viewport", ["phone"])
def test_admin_imports_the_year_and_a_resident_subscribes(live_site, make_town, journey, open_page, viewport):
    slug = f"tonnental-{viewport}"
    _town(make_town, slug)
    town_url = live_site.town(slug)

    # the admin imports the disposal company's file for 2027
    admin = open_page()
    sign_in(admin, journey, town_url, ADMIN_EMAIL, PASSWORD, "admin")
    admin.goto(town_url + "waste/manage/")
    journey.seen(admin, "manage")
    admin.get_by_role("link", name="Import dates").click()
    journey.seen(admin, "import")
    admin.get_by_label(re.compile("^File from the disposal company")).set_input_files(str(ICS))
    admin.get_by_label("Gebhardshain Nord").check()
    admin.get_by_role("button", name="Check file").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Check import")
    expect(admin.get_by_role("main")).to_contain_text("Restmüll")
    journey.seen(admin, "preview")
    admin.get_by_role("button", name="Apply import").click()
    expect(admin.get_by_role("main")).to_contain_text("91 collection dates for 2027 are now in the calendar.")
    journey.seen(admin, "applied")

    # ... and moves one Restmüll date by hand
    admin.get_by_role("link", name="Gebhardshain Nord").click()
    journey.seen(admin, "area", screenshot=False)
    admin.get_by_role("link", name="2027").click()
    journey.seen(admin, "dates")
    admin.get_by_role("link", name="Change Restmüll on 05.01.2027").click()
    journey.seen(admin, "change-date")
    admin.get_by_label(re.compile("^New date")).fill("2027-01-07")
    admin.get_by_role("button", name="Move collection").click()
    expect(admin.get_by_role("main")).to_contain_text("The collection is moved to 07.01.2027.")
    journey.seen(admin, "moved")

    # Rosa picks her street, subscribes the feed and sets a reminder
    rosa = open_page()
    sign_in(rosa, journey, town_url, ROSA, PASSWORD, "rosa")
    rosa.get_by_role("navigation", name="Main").get_by_role("link", name="Waste calendar").click()
    journey.seen(rosa, "picker")
    rosa.get_by_label("Your street or Ortsgemeinde").select_option(label="Hauptstraße, Gebhardshain")
    rosa.get_by_role("button", name="Show collection dates").click()
    expect(rosa.get_by_role("heading", level=1)).to_contain_text("Gebhardshain Nord")
    journey.seen(rosa, "area")
    rosa.get_by_role("button", name="Save as my street").click()
    expect(rosa.get_by_role("main")).to_contain_text("Your start page now shows the next collections.")
    expect(rosa.get_by_role("main")).to_contain_text("Thursday, 7. January 2027")  # the moved date
    feed = rosa.get_by_label("Calendar address (all waste types)")
    expect(feed).to_have_value(re.compile(r"^http://.*/waste/bereich/gebhardshain-nord/abfall\.ics$"))
    rosa.get_by_role("button", name="Copy address").first.click()
    expect(rosa.get_by_role("button", name="Copied")).to_be_visible()
    rosa.get_by_label("Remind me the evening before").check()
    rosa.get_by_label("At", exact=True).fill("19:30")
    rosa.get_by_role("button", name="Save reminder").click()
    expect(rosa.get_by_role("main")).to_contain_text("We will remind you the evening before at 19:30.")
    journey.seen(rosa, "reminder")
    rosa.goto(town_url)
    expect(rosa.get_by_role("heading", name="Next bin collections")).to_be_visible()
    journey.seen(rosa, "start-page")
