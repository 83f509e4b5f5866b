"""Journey of issue 16 (Mitfahren): a commuter offers a regular ride, a resident of another village finds
and books it, the commuter confirms; someone on a Mitfahrbank asks without an account and a driver taps
"Ich komme". Four people, four browsers; axe-core checks every page."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.journeys.support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Fichtenweg-Sonne-42"
CLARA, ROLF, DORA = "clara@example.org", "rolf@example.org", "dora@example.org"


def _town(make_town, slug: str) -> int:
    """Stops on the road Elkenroth – Kausen – Betzdorf, a bench in Kausen; Clara commutes, Rolf lives in Kausen."""
    from modules.rides.models import Stop
    from tests.accounts.factories import OrtsgemeindeFactory, UserFactory
    from town.models import ResidentProfile

    town = make_town(slug, "Verbandsgemeinde Sonnental")
    with schema_context(town.schema_name):
        elkenroth = OrtsgemeindeFactory(name="Elkenroth", slug="elkenroth")
        kausen = OrtsgemeindeFactory(name="Kausen", slug="kausen")
        Stop.objects.create(name="Elkenroth Dorfmitte", kind="centre", latitude=50.735, longitude=7.878,
                            ortsgemeinde=elkenroth)
        Stop.objects.create(name="Kausen Dorfplatz", kind="centre", latitude=50.756, longitude=7.870,
                            ortsgemeinde=kausen)
        station = Stop.objects.create(name="Betzdorf Bahnhof", kind="station", latitude=50.788, longitude=7.872)
        bench = Stop.objects.create(name="Mitfahrbank Kausen", kind="bench", is_bench=True, latitude=50.757,
                                    longitude=7.870, ortsgemeinde=kausen)
        bench.directions.set([station])
        long_ago = timezone.now() - datetime.timedelta(days=60)
        for email, name, village in ((CLARA, "Clara Pendler", elkenroth), (ROLF, "Rolf Kausen", kausen),
                                     (DORA, "Dora Fahr", kausen)):
            user = UserFactory(email=email, name=name, date_joined=long_ago, password=PASSWORD)
            ResidentProfile.objects.create(user=user, ortsgemeinde=village)
        return bench.pk


# On the phone only: this is a module's story, and most residents come by phone. Both viewports run
# for the platform's main paths (registration, publishing, signup, Nahversorgung), so the journeys
# folder stays within the test-time budget while every page here still passes axe and reflow.
@pytest.mark.parametrize("viewport", ["phone"])
def test_a_commuter_offers_a_ride_a_neighbour_books_it_and_a_bench_gets_a_driver(
    live_site, make_town, journey, open_page, viewport
):
    slug = f"sonnental-rides-{viewport}"
    bench_id = _town(make_town, slug)
    town_url = live_site.town(slug)

    # Clara offers her commute on weekdays
    clara = open_page()
    sign_in(clara, journey, town_url, CLARA, PASSWORD, "clara")
    clara.get_by_role("navigation", name="Main").get_by_role("link", name="Rides").click()
    journey.seen(clara, "rides")
    clara.get_by_role("link", name="Offer a ride").first.click()
    clara.get_by_label("From").select_option(label="Elkenroth Dorfmitte")
    clara.get_by_label("Where to").select_option(label="Betzdorf Bahnhof")
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"):
        clara.get_by_label(day).check()
    clara.get_by_label("Departure time").fill("07:15")
    clara.get_by_label("Free seats").fill("3")
    clara.get_by_label("Detour I accept").fill("5")
    journey.seen(clara, "offer-form")
    clara.get_by_role("button", name="Offer the ride").click()
    expect(clara.get_by_role("heading", level=1)).to_have_text("Elkenroth Dorfmitte → Betzdorf Bahnhof")
    journey.seen(clara, "offered")

    # Rolf from Kausen searches for Tuesday morning and asks for a seat
    today = timezone.localdate()
    tuesday = today + datetime.timedelta(days=(1 - today.weekday()) % 7 or 7)
    rolf = open_page()
    sign_in(rolf, journey, town_url, ROLF, PASSWORD, "rolf")
    rolf.goto(f"{town_url}rides/")
    journey.seen(rolf, "search-form", screenshot=False)
    rolf.get_by_label("From").select_option(label="Kausen Dorfplatz")
    rolf.get_by_label("Where to").select_option(label="Betzdorf Bahnhof")
    rolf.get_by_label("Date").fill(tuesday.isoformat())
    rolf.get_by_label("Around").fill("07:30")
    rolf.get_by_role("main").get_by_role("button", name="Search").click()
    journey.seen(rolf, "found")
    rolf.get_by_role("link", name="Elkenroth Dorfmitte → Betzdorf Bahnhof").click()
    journey.seen(rolf, "ride")
    rolf.get_by_label("Day").select_option(label=tuesday.strftime("%d.%m.%Y"))
    rolf.get_by_role("button", name="Ask for a seat").click()
    expect(rolf.get_by_role("main")).to_contain_text("Waiting for the driver")
    journey.seen(rolf, "asked")

    # Clara confirms
    clara.reload()
    journey.seen(clara, "ride-with-booking", screenshot=False)
    clara.get_by_role("link", name=re.compile("Rolf")).click()
    journey.seen(clara, "booking")
    clara.get_by_role("button", name="Confirm").click()
    expect(clara.get_by_role("main")).to_contain_text("Confirmed")
    journey.seen(clara, "confirmed")
    rolf.reload()
    expect(rolf.get_by_role("link", name="Add to my calendar")).to_be_visible()
    journey.seen(rolf, "booked")

    # Erna sits on the bench in Kausen, no account
    erna = open_page()
    erna.goto(f"{town_url}rides/bank/{bench_id}/")
    journey.seen(erna, "bench")
    erna.get_by_label("Betzdorf Bahnhof").check()
    erna.get_by_label("Your first name or nickname").fill("Erna")
    erna.get_by_role("button", name="I am sitting here now").click()
    expect(erna.get_by_role("heading", level=1)).to_have_text("Your ride request")
    journey.seen(erna, "waiting")

    # Dora sees her on the bench's page and taps "I am coming"
    dora = open_page()
    sign_in(dora, journey, town_url, DORA, PASSWORD, "dora")
    dora.goto(f"{town_url}rides/bank/{bench_id}/")
    expect(dora.get_by_role("main")).to_contain_text("Erna, to Betzdorf Bahnhof")
    journey.seen(dora, "bench-driver")
    dora.get_by_role("button", name="I am coming").click()
    journey.seen(dora, "coming")
    erna.reload()
    expect(erna.get_by_role("main")).to_contain_text("Dora is coming to pick you up.")
    journey.seen(erna, "driver-coming")
