"""Brand colours: pairs that fail WCAG AA are refused with the measured ratio; good ones reach every page."""

from __future__ import annotations

import re

from core.colours import best_text_contrast, contrast_ratio
from tests.town.helpers import branding_post, profile_of
from town.services import brand_colours_problems


def test_a_primary_colour_too_light_for_links_is_refused_with_its_ratio_and_nothing_is_saved(admin_client_a, town_a):
    # given: yellow reaches 1.07:1 on white
    before = profile_of(town_a)

    # when
    response = admin_client_a.post("/backoffice/profile/", branding_post(primary_colour="#ffff00", tagline="Neu"))

    # then
    assert response.status_code == 400
    page = response.content.decode()
    assert "1,0:1" in page and "4,5:1" in page
    assert "#7a7a00" in page  # the nearest darker shade that would pass is suggested
    after = profile_of(town_a)
    assert (after.primary_colour, after.tagline) == (before.primary_colour, before.tagline)


def test_an_accent_colour_no_text_can_be_read_on_is_refused_and_the_ratio_is_rounded_down(admin_client_a, town_a):
    # #777777 reaches 4.48:1 with white text, the better of the two; "4,5:1" would be a misleading display.
    assert 4.47 < best_text_contrast("#777777") < 4.5

    response = admin_client_a.post("/backoffice/profile/", branding_post(accent_colour="#777777"))

    assert response.status_code == 400
    assert "4,4:1" in response.content.decode()
    assert profile_of(town_a).accent_colour == "#8a4b08"


def test_a_passing_pair_is_saved_and_appears_in_the_css_of_every_page(admin_client_a, client_a, town_a):
    # when
    response = admin_client_a.post(
        "/backoffice/profile/", branding_post(primary_colour="#2E7D32", accent_colour="#6A1B9A")
    )

    # then
    assert response.status_code == 302
    profile = profile_of(town_a)
    assert (profile.primary_colour, profile.accent_colour) == ("#2e7d32", "#6a1b9a")
    for path in ("/", "/impressum/"):
        page = client_a.get(path).content.decode()
        sheet = re.search(r'<link rel="stylesheet" href="(/brand\.css\?v=\w+)">', page)
        assert sheet, "every page links the town's colour sheet"
        css = client_a.get(sheet.group(1)).content.decode()
        assert "--primary:#2e7d32" in css and "--accent:#6a1b9a" in css
        assert '<meta name="theme-color" content="#2e7d32">' in page


def test_every_refusal_names_the_field_it_belongs_to():
    problems = brand_colours_problems(primary="#66a3d2", accent="#777777")

    assert set(problems) == {"primary_colour", "accent_colour"}
    assert "2,7:1" in problems["primary_colour"][0]
    assert brand_colours_problems(primary="#1f5f8b", accent="#8a4b08") == {}


def test_the_suggested_shade_really_passes():
    from core.colours import darken_until_readable

    for colour in ("#ffff00", "#66a3d2", "#00ff00", "#f0c000"):
        suggestion = darken_until_readable(colour)
        assert contrast_ratio(suggestion, "#ffffff") >= 4.5
        assert brand_colours_problems(primary=suggestion, accent=suggestion) == {}


def test_a_malformed_colour_is_refused_without_a_stack_trace(admin_client_a, town_a):
    response = admin_client_a.post("/backoffice/profile/", branding_post(primary_colour="red; }body{display:none"))

    assert response.status_code == 400
    assert profile_of(town_a).primary_colour == "#1f5f8b"


def test_a_colour_that_is_no_hex_value_is_a_form_error_in_german_not_a_crash(admin_client_a, town_a):
    # "#12345g" has the length of a colour, so only the format check can catch it (before the contrast check).
    response = admin_client_a.post("/backoffice/profile/", branding_post(accent_colour="#12345g"))

    assert response.status_code == 400
    assert "Geben Sie eine Farbe als #RRGGBB ein, zum Beispiel #1d4ed8." in response.content.decode()
    assert profile_of(town_a).accent_colour == "#8a4b08"
