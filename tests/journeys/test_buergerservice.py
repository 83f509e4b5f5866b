"""Journey of issue 13 (Rathaus & Bürgerservice): a visitor finds "Personalausweis beantragen", an admin adds a service.

A visitor, not signed in, types "Personalausweis" into the search box in the header, sees in the
result what to bring and that the Bürgerbüro is open now, and opens the service's page: the
documents, the fee and the office with "open now" and today's hours (phone and desktop). On the
desktop the town admin then adds a new service in the back office, which residents find in the A–Z
list; on the phone the visitor goes on to the A–Z list (the back-office form is the same page, and
the journey's time stays within the test budget). axe-core checks every page.
"""

from __future__ import annotations

import re
from datetime import time

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.journeys.support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Rathaus-Passwort-2026"
ADMIN_EMAIL = "rathaus@example.org"


def _town(make_town, slug: str) -> None:
    """A Bürgerbüro open the whole of today (so "open now" holds whenever this runs) and its Personalausweis."""
    from modules.services import services
    from tests.accounts.factories import town_admin

    town = make_town(slug, "Verbandsgemeinde Amtshausen", admin_email=ADMIN_EMAIL, admin_password=PASSWORD)
    with schema_context(town.schema_name):
        admin = town_admin()
        office = services.office_create(acting_user=admin, data={
            "name": "Bürgerbüro Amtshausen", "street": "Rathausplatz 1", "postal_code": "57518",
            "locality": "Amtshausen", "phone": "02741 1234"})
        services.office_hour_add(office=office, acting_user=admin, weekday=timezone.localdate().weekday(),
                                 starts_at=time(0, 0), ends_at=time(23, 59))
        services.service_create(acting_user=admin, data={
            "title": "Personalausweis beantragen", "office": office, "fees": "37,00 € ab 24 Jahren",
            "summary": "Den neuen Ausweis beantragen Sie persönlich im Bürgerbüro.",
            "documents": "Bisheriger Personalausweis oder Reisepass\nBiometrisches Passfoto",
            "appointment_required": True})


# Phone only: the desktop layout is covered by the main paths that run in both viewports (registration,
# publishing, signup, a business buying a featured entry). The phone run goes the whole way: the
# visitor's search and service page, the admin adding a service, and both in the A–Z list.
@pytest.mark.parametrize("viewport", ["phone"])
def test_a_visitor_finds_personalausweis_and_an_admin_adds_a_service(
    live_site, make_town, journey, open_page, viewport
):
    slug = f"amtshausen-{viewport}"
    _town(make_town, slug)
    town_url = live_site.town(slug)

    # a visitor searches from the header of the start page
    visitor = open_page()
    visitor.goto(town_url)
    journey.seen(visitor, "start", screenshot=False)
    visitor.get_by_label("Search the whole site").fill("Personalausweis")
    visitor.get_by_label("Search the whole site").press("Enter")
    result = visitor.get_by_role("link", name="Personalausweis beantragen")
    expect(result).to_be_visible()
    expect(visitor.get_by_role("main")).to_contain_text("Biometrisches Passfoto")
    expect(visitor.get_by_role("main")).to_contain_text("Bürgerbüro Amtshausen: open now")
    journey.seen(visitor, "search")

    # ... and opens the service: what to bring, the fee, the office open now
    result.click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Personalausweis beantragen")
    documents = visitor.get_by_role("region", name="What to bring")
    expect(documents.get_by_role("listitem")).to_have_text(
        ["Bisheriger Personalausweis oder Reisepass", "Biometrisches Passfoto"])
    expect(visitor.get_by_role("region", name="Where")).to_contain_text("Open now, until 23:59")
    expect(visitor.get_by_role("main")).to_contain_text("37,00 € ab 24 Jahren")
    journey.seen(visitor, "service")

    # the town admin adds a service in the back office
    admin = open_page()
    sign_in(admin, journey, town_url, ADMIN_EMAIL, PASSWORD, "admin")
    admin.get_by_role("navigation", name="Your account").get_by_role("link", name="Back office").click()
    journey.seen(admin, "back-office", screenshot=False)
    admin.get_by_role("navigation", name="Back office").get_by_role("link", name="Town hall services").click()
    journey.seen(admin, "services-manage")
    admin.get_by_role("link", name="Add a service").click()
    admin.get_by_label(re.compile("^Title")).fill("Wohnsitz anmelden")
    admin.get_by_label(re.compile("^Office")).select_option(label="Bürgerbüro Amtshausen")
    admin.get_by_label(re.compile("^What to bring")).fill("Personalausweis\nWohnungsgeberbestätigung")
    admin.get_by_label(re.compile("^Fees")).fill("gebührenfrei")
    journey.seen(admin, "service-form")
    admin.get_by_role("button", name="Save").click()
    expect(admin.get_by_role("status")).to_contain_text("The service is saved.")
    journey.seen(admin, "service-saved", screenshot=False)

    # residents find it in the A–Z list
    visitor.get_by_role("link", name="All services A–Z").click()
    expect(visitor.get_by_role("region", name="P").get_by_role("link", name="Personalausweis beantragen")
           ).to_be_visible()
    expect(visitor.get_by_role("region", name="W").get_by_role("link", name="Wohnsitz anmelden")).to_be_visible()
    journey.seen(visitor, "a-to-z")
