"""The journeys' own checks must be able to fail: axe-core reports, keyboard reachability, focus visibility."""

from __future__ import annotations

import pytest

from tests.journeys.support import axe_violations, describe_violations, tab_to

pytestmark = pytest.mark.browser

BROKEN_PAGE = """<!doctype html><html lang="en"><head><title>Broken</title></head><body><main>
<h1>Broken on purpose</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" id="no-alt">
<p style="color:#bbb;background:#fff" id="faint">Barely readable text</p>
<input type="text" id="unlabelled">
<div id="fake-button" onclick="void 0">Click me</div>
<button id="no-outline" style="outline:none">Invisible focus</button>
</main></body></html>"""


@pytest.fixture
def page(new_context):
    return new_context(viewport={"width": 1280, "height": 800}).new_page()


def test_axe_reports_rule_page_and_selector(page):
    page.set_content(BROKEN_PAGE)

    violations = axe_violations(page)

    rules = {violation["id"] for violation in violations}
    assert {"image-alt", "color-contrast", "label"} <= rules
    message = describe_violations("http://example.localhost/broken/", violations)
    assert "http://example.localhost/broken/" in message
    assert "image-alt" in message and "#no-alt" in message


def test_a_div_with_a_click_handler_cannot_be_reached_by_tab(page):
    page.set_content(BROKEN_PAGE)
    with pytest.raises(AssertionError, match="cannot be reached with the Tab key"):
        tab_to(page, page.locator("#fake-button"))


def test_an_element_without_focus_indicator_is_reported(page):
    page.set_content(BROKEN_PAGE)
    with pytest.raises(AssertionError, match="no focus indicator"):
        tab_to(page, page.locator("#no-outline"))
