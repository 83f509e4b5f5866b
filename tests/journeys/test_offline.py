"""Journey: a resident reads a few pages on the phone, loses the connection, and still reads them; a page
she never opened shows the town's German offline page instead of the signed-out start page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# Phone only: offline reading is a phone story. The session's town A is enough: nothing is written.
@pytest.mark.parametrize("viewport", ["phone"])
def test_visited_pages_stay_readable_offline_and_others_show_the_offline_page(
    live_site, town_a, journey, open_page, viewport
):
    town = lambda path="/": live_site.town(town_a.slug, path)  # noqa: E731
    page = open_page()

    # she opens the start page; the service worker takes over
    page.goto(town())
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now under the service worker's control
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    journey.seen(page, "start", screenshot=False)
    page.goto(town("/impressum/"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    journey.seen(page, "impressum", screenshot=False)

    # the connection goes
    page.context.set_offline(True)

    # a page she read is still there, and says it is a saved copy
    page.goto(town("/impressum/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Legal notice")
    expect(page.get_by_role("status").filter(has_text="No connection")).to_be_visible()
    journey.seen(page, "impressum-offline")

    # a page she never opened: the offline page, in plain words, listing what she can read
    page.goto(town("/datenschutz/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("No connection")
    saved = page.get_by_role("region", name="Saved on this device")
    expect(saved.get_by_role("link")).to_have_count(2)
    journey.seen(page, "offline-page")

    # back online, the page loads normally
    page.context.set_offline(False)
    page.goto(town("/datenschutz/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Privacy policy")
    journey.seen(page, "privacy-online", screenshot=False)
