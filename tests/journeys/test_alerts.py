"""Journey: a resident sees an official warning on the start page and opens it; the town admin publishes a
Bekanntmachung, which residents then find under "Warnings & notices"."""

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
ADMIN_EMAIL = "rathaus@example.org"
HEADLINE = "Großbrand in Betzdorf – Rauchentwicklung"


def _town(make_town, slug: str) -> None:
    """A town whose last NINA poll found one civil-protection warning (stored as the poll stores it)."""
    from modules.alerts.models import PollState
    from modules.alerts.selectors import forget_banner
    from tests.modules.alerts.factories import OfficialWarningFactory

    town = make_town(slug, "Verbandsgemeinde Sonnental", admin_email=ADMIN_EMAIL, admin_password=PASSWORD)
    with schema_context(town.schema_name):
        OfficialWarningFactory(headline=HEADLINE, severity="Severe", area="Betzdorf, Scheuerfeld",
                               instruction="Halten Sie Fenster und Türen geschlossen.", sent=timezone.now())
        PollState.objects.create(pk=1, last_success_at=timezone.now(), last_attempt_at=timezone.now())
        forget_banner()


# On the phone only: this is a module's story, and most residents come by phone. Both viewports run
# for the platform's main paths (registration, publishing, signup, Nahversorgung), so the journeys
# folder stays within the test-time budget while every page here still passes axe and reflow.
@pytest.mark.parametrize("viewport", ["phone"])
def test_resident_sees_the_warning_and_admin_publishes_a_notice(live_site, make_town, journey, open_page, viewport):
    slug = f"sonnental-alerts-{viewport}"
    _town(make_town, slug)
    town_url = live_site.town(slug)

    # a visitor sees the warning on the start page, its level in words, and opens it
    resident = open_page()
    resident.goto(town_url)
    banner = resident.get_by_role("region", name=re.compile("official warning", re.I))
    expect(banner).to_contain_text("Severe danger")
    journey.seen(resident, "start-with-warning")
    banner.get_by_role("link", name=HEADLINE).click()
    expect(resident.get_by_role("heading", level=1)).to_have_text(HEADLINE)
    expect(resident.get_by_role("main")).to_contain_text("Halten Sie Fenster und Türen geschlossen.")
    journey.seen(resident, "warning")

    # the town admin publishes a road closure
    admin = open_page()
    sign_in(admin, journey, town_url, ADMIN_EMAIL, PASSWORD, "admin")
    admin.goto(town_url + "alerts/manage/")
    journey.seen(admin, "manage")
    admin.get_by_role("link", name="Publish a notice").click()
    journey.seen(admin, "notice-form")
    today = timezone.localdate()
    admin.get_by_label(re.compile("^Title")).fill("Vollsperrung Hauptstraße")
    admin.get_by_label(re.compile("^Kind")).select_option(label="Road closure")
    admin.get_by_label(re.compile("^Text")).fill("Wegen Kanalarbeiten ist die Hauptstraße gesperrt.")
    admin.get_by_label(re.compile("^Valid from")).fill(today.isoformat())
    admin.get_by_label(re.compile("^Valid until")).fill((today + datetime.timedelta(days=5)).isoformat())
    admin.get_by_label(re.compile("^Place or street")).fill("Hauptstraße zwischen Kirche und Bürgerhaus")
    admin.get_by_role("button", name="Publish").click()
    expect(admin.get_by_role("status")).to_contain_text("Vollsperrung Hauptstraße")
    journey.seen(admin, "published")

    # the resident finds it under "Warnings & notices"
    resident.get_by_role("navigation", name="Main").get_by_role("link", name="Warnings & notices").click()
    journey.seen(resident, "overview")
    resident.get_by_role("link", name="Vollsperrung Hauptstraße").click()
    expect(resident.get_by_role("main")).to_contain_text("This page is for your information.")
    journey.seen(resident, "notice")
