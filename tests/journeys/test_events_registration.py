"""Journey: the TuS editor publishes a summer festival with 50 places; a resident finds it under
"This weekend", registers 3 people, sees how to add it to her calendar, and cancels again."""

from __future__ import annotations

import datetime
import re

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.journeys.support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Sportplatz-Sommer-2026"
TITLE = "TuS summer festival"


def _festival_day() -> tuple[datetime.date, str, str, bool]:
    """A day of "this weekend" that is still ahead, with start and end times; and whether it is this weekend.

    Registration closes when the festival starts: late on a Saturday or Sunday (after 22:30) no start is
    left this weekend, and the festival goes to next Saturday, found in the list instead.
    """
    from core.calendar import TOWN_TZ
    from modules.events.selectors import weekend_of

    now = datetime.datetime.now(TOWN_TZ)
    friday, sunday = weekend_of(now.date())
    day = max(friday + datetime.timedelta(days=1), now.date())
    if day != now.date():
        return day, "14:00", "22:00", True
    if now.time() < datetime.time(22, 30):  # Saturday or Sunday already: late today
        return day, "23:00", "23:59", True
    next_saturday = friday + datetime.timedelta(days=8)
    return next_saturday, "14:00", "22:00", False


def _town(make_town, slug: str) -> None:
    from tests.accounts.factories import OrganisationFactory, OrtsgemeindeFactory, UserFactory
    from town.models import MembershipRole, OrganisationMembership

    town = make_town(slug, "Verbandsgemeinde Sportfeld")
    with schema_context(town.schema_name):
        village = OrtsgemeindeFactory(name="Gebhardshain", slug="gebhardshain")
        tus = OrganisationFactory(name="TuS Gebhardshain", slug="tus-gebhardshain", ortsgemeinde=village)
        lena = UserFactory(email="lena@example.org", name="Lena Schmidt", password=PASSWORD)
        OrganisationMembership.objects.create(organisation=tus, user=lena, role=MembershipRole.EDITOR)
        UserFactory(email="maria@example.org", name="Maria Weber", password=PASSWORD, ortsgemeinde=village)


# On the phone only: this is a module's story, and most residents come by phone. Both viewports run
# for the platform's main paths (registration, publishing, signup, Nahversorgung), so the journeys
# folder stays within the test-time budget while every page here still passes axe and reflow.
@pytest.mark.parametrize("viewport", ["phone"])
def test_a_club_publishes_a_festival_and_a_resident_registers_and_cancels(live_site, make_town, journey,
                                                                          open_page, viewport):
    slug = f"sportfeld-{viewport}"
    _town(make_town, slug)
    town_url = live_site.town(slug)
    day, starts, ends, this_weekend = _festival_day()

    # Lena, the TuS editor, publishes the summer festival with 50 places
    lena = open_page()
    sign_in(lena, journey, town_url, "lena@example.org", PASSWORD, "lena")
    lena.goto(f"{town_url}events/manage/")  # the back office's "Events" (the news journey walks the menu)
    journey.seen(lena, "events-back-office", screenshot=False)
    lena.get_by_role("link", name="New event").click()
    expect(lena.get_by_role("heading", level=1)).to_have_text("New event")
    journey.seen(lena, "new-event")
    lena.get_by_label(re.compile("^Title")).fill(TITLE)
    lena.get_by_label(re.compile("^Description")).fill("Games for children, a barbecue and music.")
    lena.get_by_label(re.compile("^Date")).fill(day.isoformat())
    lena.get_by_label(re.compile("^Starts at")).fill(starts)
    lena.get_by_label(re.compile("^Ends at")).fill(ends)
    lena.get_by_label("People register for this event").check()
    lena.get_by_label(re.compile("^Places$")).fill("50")
    lena.get_by_role("button", name="Save and publish").click()
    expect(lena.get_by_role("heading", level=1)).to_have_text("Edit event")
    expect(lena.get_by_role("status").first).to_contain_text("is published")
    journey.seen(lena, "published")

    # Maria finds it under "This weekend" and registers her family of three
    maria = open_page()
    sign_in(maria, journey, town_url, "maria@example.org", PASSWORD, "maria")
    maria.get_by_role("navigation", name="Main").get_by_role("link", name="Events").click()
    journey.seen(maria, "events")
    maria.get_by_role("link", name="Calendar", exact=True).first.click()
    if day.month == datetime.date.today().month:  # the calendar opens on this month
        expect(maria.get_by_role("main")).to_contain_text(TITLE)
    journey.seen(maria, "town-calendar")
    maria.go_back()
    if this_weekend:
        maria.get_by_role("link", name="This weekend").click()
        journey.seen(maria, "this-weekend")
    maria.get_by_role("link", name=TITLE).first.click()
    expect(maria.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(maria.get_by_role("main")).to_contain_text("50 places left.")
    journey.seen(maria, "festival")
    maria.get_by_label(re.compile("^How many places")).fill("3")
    maria.get_by_role("button", name="Register").click()
    expect(maria.get_by_role("main")).to_contain_text("You are registered for 3 places.")
    expect(maria.get_by_role("main")).to_contain_text("47 places left.")
    expect(maria.get_by_role("link", name="Add to my calendar")).to_have_attribute("href", re.compile(r"/ical/$"))
    journey.seen(maria, "registered")

    # ... and cancels again: the places are free for others
    maria.get_by_role("button", name="Cancel my registration").click()
    expect(maria.get_by_role("main")).to_contain_text("50 places left.")
    journey.seen(maria, "cancelled")

    # She saves the date instead and finds it under "My dates"
    maria.get_by_role("button", name="Save the date").click()
    expect(maria.get_by_role("button", name="Saved")).to_have_attribute("aria-pressed", "true")
    maria.get_by_role("link", name="My dates").first.click()
    expect(maria.get_by_role("heading", level=1)).to_have_text("My dates")
    expect(maria.get_by_role("main")).to_contain_text(TITLE)
    journey.seen(maria, "my-dates")
