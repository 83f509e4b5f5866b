"""Journey of issue 5 (Nahversorgung): a bakery goes online, a resident without a car gets bread from it.

The bakery's owner (an account of the town already, signed in) registers the bakery as a
business; the town admin approves it; the owner adds opening hours and an offer of the
week. Rosa, a resident of Kausen, finds the bakery with "open now" in her Ortsgemeinde and
asks through the Mitbringdienst for bread from it; her neighbour Nils accepts, marks it
bought and delivered. Both get mails (sent by the real Celery worker). Four people, four
browsers with their own cookies; axe-core checks every page.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.translation import gettext
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.journeys.support import sign_in, wait_for_mail

pytestmark = [pytest.mark.browser, pytest.mark.celery, pytest.mark.django_db(transaction=True)]

PASSWORD = "Fichtenweg-Sonne-42"
ADMIN_EMAIL = "rathaus@example.org"
BAKERY = "Backstube Kausen"
OWNER, ROSA, NILS = "berta@example.org", "rosa@example.org", "nils@example.org"


def _town(make_town, slug: str) -> None:
    """Two villages; the bakery's owner, Rosa and Nils live in Kausen."""
    from modules.notifications.models import NotificationSettings
    from tests.accounts.factories import OrtsgemeindeFactory, UserFactory
    from town.models import ResidentProfile

    town = make_town(slug, "Verbandsgemeinde Sonnental", admin_email=ADMIN_EMAIL, admin_password=PASSWORD)
    with schema_context(town.schema_name):
        kausen = OrtsgemeindeFactory(name="Kausen", slug="kausen")
        OrtsgemeindeFactory(name="Elkenroth", slug="elkenroth")
        # Older accounts: the Mitbringdienst's limits for new accounts are not what this journey is about.
        long_ago = timezone.now() - timedelta(days=60)
        for email, name in ((OWNER, "Berta Bäckerin"), (ROSA, "Rosa Ruhig"), (NILS, "Nils Nachbar")):
            user = UserFactory(email=email, name=name, date_joined=long_ago)
            ResidentProfile.objects.create(user=user, ortsgemeinde=kausen)
            # The mails come through the notification centre: without quiet hours they go out at any time of day.
            NotificationSettings.objects.create(user=user, quiet_hours=False)


def _main_nav(page, name: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


# Phone only: the desktop layout is covered by the main paths that run in both viewports (registration,
# publishing, signup, a business buying a featured entry); this keeps the suite under its 20 minutes.
@pytest.mark.parametrize("viewport", ["phone"])
def test_bakery_goes_online_and_a_neighbour_brings_bread(
    live_site, make_town, journey, open_page, viewport, celery_worker
):
    slug = f"sonnental-nah-{viewport}"
    _town(make_town, slug)
    town_url = live_site.town(slug)

    # the bakery's owner registers the bakery in the directory
    owner = open_page()
    sign_in(owner, journey, town_url, OWNER, PASSWORD, "owner")
    _main_nav(owner, "Directory")
    journey.seen(owner, "directory", screenshot=False)
    owner.get_by_role("link", name="Register your business").click()
    expect(owner.get_by_role("heading", level=1)).to_have_text("Register your business")
    owner.get_by_label(re.compile("^Name")).fill(BAKERY)
    owner.get_by_label(re.compile("^Description")).fill("Bread, rolls and cakes from our wood-fired oven.")
    owner.get_by_label(re.compile("^Street and number")).fill("Hauptstraße 12")
    owner.get_by_label(re.compile("^Postal code")).fill("57520")
    owner.get_by_label(re.compile("^Place")).fill("Kausen")
    owner.get_by_label(re.compile("^Ortsgemeinde")).select_option(label="Kausen")
    owner.get_by_label(re.compile("^Phone")).fill("02747 1234")
    journey.seen(owner, "register")
    owner.get_by_role("button", name="Send for approval").click()
    expect(owner.get_by_role("heading", level=1)).to_contain_text(BAKERY)
    expect(owner.get_by_role("main")).to_contain_text("Waiting for the town's approval")
    journey.seen(owner, "registered")

    # the town admin approves it
    admin = open_page()
    sign_in(admin, journey, town_url, ADMIN_EMAIL, PASSWORD, "admin")
    admin.get_by_role("navigation", name="Your account").get_by_role("link", name="Back office").click()
    journey.seen(admin, "back-office", screenshot=False)
    admin.get_by_role("navigation", name="Back office").get_by_role("link", name="Business applications").click()
    expect(admin.get_by_role("heading", name=BAKERY)).to_be_visible()
    journey.seen(admin, "applications")
    admin.get_by_role("button", name=f"Approve {BAKERY}").click()
    expect(admin.get_by_role("main")).to_contain_text("No applications are waiting")
    journey.seen(admin, "approved")

    # the owner adds today's opening hours (open the whole day, so "open now" holds whenever this runs) and an offer
    owner.reload()
    expect(owner.get_by_role("main")).to_contain_text("Listed in the directory")
    journey.seen(owner, "listed", screenshot=False)
    owner.get_by_role("navigation", name="Parts of the entry").get_by_role("link", name="Opening hours").click()
    journey.seen(owner, "hours-form", screenshot=False)
    today = timezone.localtime().weekday()
    owner.get_by_label("Weekday 1", exact=True).select_option(value=str(today))
    owner.get_by_label("Opens 1", exact=True).fill("00:00")
    owner.get_by_label("Closes 1", exact=True).fill("23:59")
    owner.get_by_role("button", name="Save opening hours").click()
    expect(owner.get_by_role("main")).to_contain_text("The opening hours were saved")
    journey.seen(owner, "hours")
    owner.get_by_role("navigation", name="Parts of the entry").get_by_role("link", name="Offers of the week").click()
    journey.seen(owner, "offers-form", screenshot=False)
    owner.get_by_label(re.compile("^Offer")).fill("Rye bread from yesterday, half price")
    owner.get_by_label(re.compile("^Price")).fill("2,00 €")
    owner.get_by_label(re.compile("^Valid until")).fill((timezone.localdate() + timedelta(days=3)).isoformat())
    owner.get_by_role("button", name="Publish offer").click()
    expect(owner.get_by_role("main")).to_contain_text("The offer was published")
    journey.seen(owner, "offer")

    # Rosa finds the bakery: open now, in her Ortsgemeinde
    rosa = open_page()
    sign_in(rosa, journey, town_url, ROSA, PASSWORD, "rosa")
    _main_nav(rosa, "Directory")
    journey.seen(rosa, "rosa-directory", screenshot=False)
    rosa.get_by_label("Ortsgemeinde").select_option(label="Kausen")
    rosa.get_by_label("Open now").check()
    rosa.get_by_role("search").get_by_role("button", name="Show").click()
    expect(rosa.get_by_role("status")).to_contain_text("1 business found")
    expect(rosa.get_by_role("link", name=BAKERY)).to_be_visible()
    journey.seen(rosa, "open-now")
    rosa.get_by_role("link", name=BAKERY).click()
    expect(rosa.get_by_role("main")).to_contain_text("Rye bread from yesterday")
    journey.seen(rosa, "bakery")

    # ... and asks through the Mitbringdienst for bread from it
    _main_nav(rosa, "Errands")
    expect(rosa.get_by_role("heading", level=1)).to_have_text("Errands")
    journey.seen(rosa, "errands", screenshot=False)
    rosa.get_by_role("link", name="Ask for something").click()
    expect(rosa.get_by_role("heading", level=1)).to_have_text("Ask for something")
    rosa.get_by_label(re.compile("^What do you need")).fill("2 rye breads\n4 rolls")
    rosa.get_by_label(re.compile("^Shop from the business directory")).select_option(label=f"{BAKERY} (Kausen)")
    expect(rosa.get_by_label(re.compile("^Bring the things to"))).to_have_value(re.compile(r"\d+"))
    rosa.get_by_label(re.compile("^Estimated amount")).fill("6,50")
    journey.seen(rosa, "ask")
    rosa.get_by_role("button", name="Ask neighbours").click()
    status = rosa.get_by_role("heading", name=re.compile("^Status"))
    expect(status).to_contain_text("Open")
    expect(rosa.get_by_role("link", name=BAKERY)).to_be_visible()  # linked to its directory entry
    journey.seen(rosa, "asked")

    # Nils, going to the bakery anyway, accepts, buys and delivers
    nils = open_page()
    sign_in(nils, journey, town_url, NILS, PASSWORD, "nils")
    expect(nils.get_by_role("region", name="Who can bring something?")).to_contain_text(BAKERY)  # start page
    _main_nav(nils, "Errands")
    journey.seen(nils, "nils-errands")
    nils.get_by_role("link", name=f"From {BAKERY}").first.click()
    expect(nils.get_by_role("main")).to_contain_text("2 rye breads")
    expect(nils.get_by_role("main")).not_to_contain_text("Ruhig")  # only Rosa's first name before accepting
    journey.seen(nils, "request")
    nils.get_by_label(re.compile("I am going anyway")).check()
    nils.get_by_role("button", name="Accept request").click()
    expect(nils.get_by_role("heading", name=re.compile("^Status"))).to_contain_text("Accepted")
    expect(nils.get_by_role("main")).to_contain_text("Rosa Ruhig")
    journey.seen(nils, "accepted")
    nils.get_by_label(re.compile("^Amount spent")).fill("6,20")
    nils.get_by_role("button", name="Mark as bought").click()
    expect(nils.get_by_role("heading", name=re.compile("^Status"))).to_contain_text("Bought")
    journey.seen(nils, "bought", screenshot=False)
    nils.get_by_role("button", name="Mark as delivered").click()
    expect(nils.get_by_role("heading", name=re.compile("^Status"))).to_contain_text("Delivered")
    journey.seen(nils, "delivered")

    # both are notified (mails are in the town's language, German, whatever the browser asked); Rosa sees the status
    for subject in ("A neighbour will bring your things", "Your things have been bought",
                    "Your things have been delivered"):
        message = wait_for_mail(mail.outbox, to=ROSA, subject_contains=gettext(subject))
        assert "Nils Nachbar" in message.body and NILS not in message.body
    thanks = wait_for_mail(mail.outbox, to=NILS, subject_contains=gettext("Thank you for bringing the things"))
    assert ROSA not in thanks.body
    rosa.reload()
    expect(rosa.get_by_role("heading", name=re.compile("^Status"))).to_contain_text("Delivered")
    expect(rosa.get_by_role("main")).to_contain_text(re.compile(r"6[.,]20 €"))
    journey.seen(rosa, "rosa-delivered")
