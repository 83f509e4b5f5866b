"""Journey (a): a municipality signs up, confirms its mail, watches provisioning and sets up its town.

The real Celery worker provisions the town; the hand-over signs the new admin in on
the town's own subdomain. Also keyboard-only: signup to back office, adding an
Ortsgemeinde and switching a module, with Tab, Enter and Space alone.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.journeys.support import (
    choose_option,
    link_in_mail,
    press_enter_on,
    tab_to,
    tick,
    type_into,
    wait_for_mail,
)

pytestmark = [pytest.mark.browser, pytest.mark.celery, pytest.mark.django_db(transaction=True)]

PASSWORD = "Gemeinderat-Sitzung-2026"
PROVISIONING_TIMEOUT_MS = 60_000
# Django's own field groups end labels in a colon ("Name:").
NAME = re.compile(r"^Name:?$")


def _logo_png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (256, 256), "#ffffff")
    draw = ImageDraw.Draw(image)
    draw.ellipse((24, 24, 232, 232), fill="#8b1e3f")
    draw.rectangle((104, 60, 152, 196), fill="#ffd166")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_municipality_signs_up_and_sets_up_its_town(
    live_site, celery_worker, town_slugs, journey, open_page, viewport
):
    slug = f"lindenau-{viewport}"
    email = f"nora@{slug}.example"
    town_slugs.append(slug)
    page = open_page()

    # Nora finds the signup on the platform's public site
    page.goto(live_site.public("/"))
    journey.seen(page, "landing")
    page.get_by_role("main").get_by_role("link", name=re.compile("register", re.I)).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register your municipality")
    journey.seen(page, "signup-form")

    # a mistake first: the form explains it and keeps what she typed
    page.get_by_label("Name of the municipality").fill("Verbandsgemeinde Lindenau")
    page.get_by_role("button", name="Register and send confirmation e-mail").click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct")
    journey.seen(page, "signup-form-errors")
    expect(page.get_by_label("Name of the municipality")).to_have_value("Verbandsgemeinde Lindenau")

    page.get_by_label("Kind of municipality").select_option(label="Verbandsgemeinde")
    page.get_by_label("Desired subdomain").fill(slug)
    page.get_by_label("Your name").fill("Nora Neumann")
    page.get_by_label("Your e-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("I accept the terms of use").check()
    page.get_by_label("I accept the data processing agreement").check()
    page.get_by_role("button", name="Register and send confirmation e-mail").click()

    # the status page waits for her confirmation
    expect(page.get_by_role("status")).to_contain_text(email)
    journey.seen(page, "awaiting-confirmation")

    # she opens the link from the mail in the same browser and confirms
    page.goto(link_in_mail(wait_for_mail(mail.outbox, to=email), r"/registrieren/.+/bestaetigen/"))
    journey.seen(page, "confirm")
    page.get_by_role("button", name="Confirm and set up my town").click()

    # she watches the worker set up the town; the page updates itself
    expect(page.get_by_role("list", name="Steps")).to_be_visible()
    journey.seen(page, "provisioning")
    go = page.get_by_role("button", name="Go to your town")
    expect(go).to_be_visible(timeout=PROVISIONING_TIMEOUT_MS)
    journey.seen(page, "ready")

    # the hand-over signs her in on the town's own subdomain, in the back office
    go.click()
    expect(page).to_have_url(live_site.town(slug, "/backoffice/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Back office")
    expect(page.get_by_role("navigation", name="Your account")).to_contain_text("Nora")
    journey.seen(page, "back-office")

    # colours and logo
    _back_office_menu(page, "Town profile")
    expect(page.get_by_role("heading", level=1)).to_have_text("Town profile")
    journey.seen(page, "profile")
    page.get_by_label("Primary colour").fill("#8b1e3f")
    page.get_by_label("Accent colour").fill("#ffd166")
    page.get_by_label("Logo or coat of arms").set_input_files(
        files=[{"name": "wappen.png", "mimeType": "image/png", "buffer": _logo_png()}]
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_be_visible()
    # every page now carries the logo (decorative next to the name, so alt="") and the colour
    header = page.get_by_role("banner")
    expect(header.locator("img.brand-logo")).to_be_visible()
    expect(header).to_have_css("background-color", "rgb(139, 30, 63)")
    journey.seen(page, "profile-saved")

    # two Ortsgemeinden
    _back_office_menu(page, "Ortsgemeinden")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ortsgemeinden")
    journey.seen(page, "ortsgemeinden-empty", screenshot=False)
    for name, codes in (("Oberlinden", "57520"), ("Unterlinden", "57520, 57521")):
        page.get_by_role("link", name="Add an Ortsgemeinde").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Add an Ortsgemeinde")
        journey.seen(page, "ortsgemeinde-add", screenshot=name == "Oberlinden")
        page.get_by_label(NAME).fill(name)
        page.get_by_label(re.compile("^Postal codes")).fill(codes)
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Ortsgemeinden")
        journey.seen(page, "ortsgemeinden", screenshot=name == "Unterlinden")
    table = page.get_by_role("table")
    expect(table.get_by_role("cell", name="Oberlinden", exact=True)).to_be_visible()
    expect(table.get_by_role("cell", name="Unterlinden", exact=True)).to_be_visible()

    # switch the news module off: its page and navigation entry are gone; then on again
    _back_office_menu(page, "Modules")
    journey.seen(page, "modules")
    news_card = page.get_by_role("article", name=re.compile("^News"))
    news_card.get_by_role("button", name="Switch off News").click()
    expect(page.get_by_role("status")).to_contain_text("switched off")
    journey.seen(page, "module-off", screenshot=False)
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="News")).to_have_count(0)
    news_card.get_by_role("button", name="Switch on News").click()
    expect(page.get_by_role("status")).to_contain_text("switched on")
    journey.seen(page, "module-on")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="News").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("News")
    journey.seen(page, "news")


def _back_office_menu(page, label: str) -> None:
    page.get_by_role("navigation", name="Back office").get_by_role("link", name=label, exact=True).click()


@pytest.mark.parametrize("viewport", ["desktop"])
def test_municipality_signs_up_with_the_keyboard_alone(
    live_site, celery_worker, town_slugs, journey, open_page, viewport
):
    slug = "tastenau"
    email = "kim@tastenau.example"
    town_slugs.append(slug)
    page = open_page()
    page.goto(live_site.public("/registrieren/"))
    journey.seen(page, "signup-form", screenshot=False)

    type_into(page, page.get_by_label("Name of the municipality"), "Gemeinde Tastenau")
    choose_option(page, page.get_by_label("Kind of municipality"), "Gemeinde")
    type_into(page, page.get_by_label("Desired subdomain"), slug)
    type_into(page, page.get_by_label("Your name"), "Kim Keyboard")
    type_into(page, page.get_by_label("Your e-mail address"), email)
    type_into(page, page.get_by_label("Password"), PASSWORD)
    tick(page, page.get_by_label("I accept the terms of use"))
    tick(page, page.get_by_label("I accept the data processing agreement"))
    press_enter_on(page, page.get_by_role("button", name="Register and send confirmation e-mail"))
    expect(page.get_by_role("status")).to_contain_text(email)
    journey.seen(page, "awaiting-confirmation", screenshot=False)

    page.goto(link_in_mail(wait_for_mail(mail.outbox, to=email), r"/registrieren/.+/bestaetigen/"))
    journey.seen(page, "confirm", screenshot=False)
    press_enter_on(page, page.get_by_role("button", name="Confirm and set up my town"))
    go = page.get_by_role("button", name="Go to your town")
    expect(go).to_be_visible(timeout=PROVISIONING_TIMEOUT_MS)
    journey.seen(page, "ready", screenshot=False)
    press_enter_on(page, go)
    expect(page).to_have_url(live_site.town(slug, "/backoffice/"))
    journey.seen(page, "back-office")

    # an Ortsgemeinde, by keyboard
    press_enter_on(page, page.get_by_role("navigation", name="Back office").get_by_role("link", name="Ortsgemeinden"))
    journey.seen(page, "ortsgemeinden", screenshot=False)
    press_enter_on(page, page.get_by_role("link", name="Add an Ortsgemeinde"))
    journey.seen(page, "ortsgemeinde-add", screenshot=False)
    type_into(page, page.get_by_label(NAME), "Tastendorf")
    press_enter_on(page, page.get_by_role("button", name="Save"))
    expect(page.get_by_role("table").get_by_role("cell", name="Tastendorf", exact=True)).to_be_visible()
    journey.seen(page, "ortsgemeinde-saved")

    # a module switched off with the Space key on its button
    press_enter_on(page, page.get_by_role("navigation", name="Back office").get_by_role("link", name="Modules"))
    journey.seen(page, "modules", screenshot=False)
    switch = page.get_by_role("button", name="Switch off News")
    tab_to(page, switch)
    with page.expect_navigation():
        page.keyboard.press("Space")
    expect(page.get_by_role("status")).to_contain_text("switched off")
    journey.seen(page, "module-off")
