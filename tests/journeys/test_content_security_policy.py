"""The Content-Security-Policy really stops injected code in the browser, and the journeys' listener sees it.

An attacker who gets markup past the sanitiser can only add elements to a page the server sent; this
does the same on a page served with the real header (page.set_content would carry no header at all).
"""

from __future__ import annotations

import pytest

from tests.journeys.conftest import VIEWPORTS
from tests.journeys.support import watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INJECT = """() => new Promise((resolve) => {
  const blocked = [];
  document.addEventListener("securitypolicyviolation", (event) => blocked.push(event.violatedDirective));
  const script = document.createElement("script");
  script.textContent = "window.injected = true;";
  document.body.append(script);
  const styled = document.createElement("p");
  styled.setAttribute("style", "color: rgb(255, 0, 0)");
  document.body.append(styled);
  const style = document.createElement("style");
  style.textContent = "body { display: none; }";
  document.head.append(style);
  setTimeout(() => resolve({
    blocked: blocked.sort(),
    scriptRan: window.injected === true,
    styleApplied: getComputedStyle(styled).color === "rgb(255, 0, 0)",
    pageHidden: getComputedStyle(document.body).display === "none",
  }), 500);
})"""


def test_an_inline_script_and_styles_injected_into_a_served_page_are_blocked(live_site, new_context):
    # given: the public start page, served with the policy, watched as every journey's pages are
    page = new_context(viewport=VIEWPORTS["phone"], is_mobile=True, has_touch=True).new_page()
    violations: list[str] = []
    watch_csp(page, violations)
    page.goto(live_site.public("/"))
    assert violations == [], violations

    # when: a script element with inline code, a style attribute and a style element are added
    outcome = page.evaluate(INJECT)

    # then: none of them took effect, and the journeys' listener would fail a journey for it
    assert outcome == {
        "blocked": ["script-src-elem", "style-src-attr", "style-src-elem"],
        "scriptRan": False, "styleApplied": False, "pageHidden": False,
    }
    assert any("script-src-elem" in line for line in violations), violations


def test_the_api_docs_run_under_the_policy(live_site, new_context, town_a):
    # Swagger UI is third-party code with its own set-up script: served as files, it needs no exception.
    page = new_context(viewport=VIEWPORTS["desktop"]).new_page()
    violations: list[str] = []
    watch_csp(page, violations)

    page.goto(live_site.town(town_a.slug, "/api/docs/"))

    page.get_by_text("Dorfkern API").first.wait_for()
    assert violations == [], violations


def test_zooming_a_map_breaks_no_rule(live_site, new_context, town_a):
    # Leaflet cancels the download of a tile it drops by pointing the tile at a data: GIF.
    page = new_context(viewport=VIEWPORTS["desktop"]).new_page()
    violations: list[str] = []
    watch_csp(page, violations)
    page.goto(live_site.town(town_a.slug, "/reports/melden/"))  # the report form's map for the pin
    page.locator(".leaflet-container").wait_for()

    for _ in range(2):
        page.get_by_role("button", name="Zoom in").click()
        page.wait_for_timeout(600)

    assert violations == [], violations
