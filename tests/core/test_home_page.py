"""The branded start page and the frame every page shares."""

from __future__ import annotations

from django_tenants.utils import schema_context

from tests.accounts.factories import user_in_town
from tests.helpers import logged_in_client
from tests.town.factories import ResidentProfileFactory
from tests.town.helpers import client_with_role


def _with_village(town):
    from town.services import ortsgemeinde_create

    with schema_context(town.schema_name):
        return ortsgemeinde_create(name="Kausen")


def test_the_frame_has_landmarks_a_skip_link_and_the_town_language(client_a):
    page = client_a.get("/").content.decode()

    assert page.startswith("<!doctype html>") or "<!doctype html>" in page[:200]
    assert '<html lang="de" dir="ltr">' in page
    assert '<a class="skip-link" href="#main">' in page and '<main id="main"' in page
    assert "<header" in page and "<footer" in page
    assert page.count("<h1") == 1
    assert 'aria-label="Hauptmenü"' in page or "main-nav" not in page


def test_anonymous_visitors_are_invited_to_register(client_a):
    page = client_a.get("/").content.decode()

    assert 'href="/accounts/signup/"' in page


def test_a_resident_without_an_ortsgemeinde_is_asked_to_choose_one(town_a):
    # given
    _with_village(town_a)
    resident = client_with_role(town_a, "resident")

    # then
    assert 'role="note"' in resident.get("/").content.decode()


def test_a_resident_with_an_ortsgemeinde_is_not_asked(town_a):

    og = _with_village(town_a)
    user = user_in_town(town_a, email="kausen@example.org", name="Rita Resident")
    with schema_context(town_a.schema_name):
        ResidentProfileFactory(user=user, ortsgemeinde=og)

    assert 'role="note"' not in logged_in_client(town_a, user).get("/").content.decode()


def test_no_hint_in_a_town_without_villages(town_b):
    assert 'role="note"' not in client_with_role(town_b, "resident").get("/").content.decode()


def test_the_start_page_shows_the_contact_person_box(admin_client_a, client_a):
    admin_client_a.post("/backoffice/contact/", {
        "contact_name": "Petra Lotsin", "contact_role": "", "contact_email": "", "contact_phone": "",
        "contact_hours": "",
    })

    page = client_a.get("/").content.decode()

    assert 'aria-labelledby="home-contact-heading"' in page and "Petra Lotsin" in page


def test_the_tagline_is_shown_under_the_welcome(admin_client_a, client_a):
    admin_client_a.post("/backoffice/profile/", {
        "name": "Verbandsgemeinde Altdorf", "tagline": "Zwölf Dörfer, eine Gemeinschaft", "header_image_alt": "",
        "primary_colour": "#1f5f8b", "accent_colour": "#8a4b08",
    })

    page = client_a.get("/").content.decode()

    assert '<p class="lead">Zwölf Dörfer, eine Gemeinschaft</p>' in page
