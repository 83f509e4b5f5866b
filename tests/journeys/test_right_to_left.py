"""Journey: a resident whose browser speaks Arabic sees the start page right to left on a 390 px phone,
with nothing sticking out sideways (once Arabic is translated far enough to be offered)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", ["phone"])
def test_the_start_page_in_arabic_has_no_horizontal_overflow(live_site, make_town, journey, open_page, viewport,
                                                             settings):
    settings.UI_LANGUAGE_MIN_TRANSLATED = 0.001  # the few strings of the test catalogue make it selectable
    slug = f"sonnental-rtl-{viewport}"
    make_town(slug, "Verbandsgemeinde Sonnental")
    page = open_page()
    # As the footer's language switch leaves it (the journeys' browser itself speaks English).
    page.context.add_cookies([{"name": "django_language", "value": "ar", "url": live_site.town(slug)}])

    page.goto(live_site.town(slug))

    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    assert page.viewport_size["width"] == 390
    overflow = page.evaluate(
        "() => ({page: document.documentElement.scrollWidth - document.documentElement.clientWidth,"
        " wide: [...document.querySelectorAll('body *')].filter(e => { const r = e.getBoundingClientRect();"
        " return r.width && (r.right > document.documentElement.clientWidth + 1 || r.left < -1)"
        " && getComputedStyle(e).position !== 'absolute'; }).slice(0, 5).map(e => e.outerHTML.slice(0, 120))})"
    )
    assert overflow["page"] <= 0, f"the page scrolls sideways by {overflow['page']} px: {overflow['wide']}"
    journey.seen(page, "start-arabic")
