"""What every journey uses: accessibility checks, screenshots, mail links and keyboard-only helpers."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page, expect

# axe's own scale is minor < moderate < serious < critical; issue 3 allows no serious or critical finding.
BLOCKING_IMPACTS = ("serious", "critical")
_axe = Axe()
# Every page of a journey reports the Content-Security-Policy's refusals (the policy is enforced,
# core.security_headers): the event names what was blocked, the browser's own log line says why.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` in ${event.sourceFile || event.documentURI}:${event.lineNumber}`);
});
"""
CSP_MARKERS = ("CSP violation:", "Content Security Policy")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """The serious and critical axe-core findings on the page as it is now."""
    results = _axe.run(page)
    return [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]


def describe_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe-core found {len(violations)} serious/critical violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:8]:
            lines.append(f"      at {' '.join(map(str, node['target']))}: {node.get('failureSummary', '')!r}")
    return "\n".join(lines)


@dataclass
class Effort:
    """What a person does on the way, as a usability figure the journey prints and bounds (issue 11).

    A click is a click or tap on a link or button, ticking a box, choosing from a list, or opening a
    link from a mail; a field is a text typed. Scanning a QR code or arriving signed in counts nothing.
    """

    clicks: int = 0
    fields: int = 0
    steps: list[str] = field(default_factory=list)

    def click(self, locator: Locator, **kwargs: Any) -> None:
        self._count("click", locator)
        locator.click(**kwargs)

    def check(self, locator: Locator) -> None:
        self._count("tick", locator)
        locator.check()

    def choose(self, locator: Locator, **kwargs: Any) -> None:
        self._count("choose", locator)
        locator.select_option(**kwargs)

    def open(self, page: Page, url: str) -> None:
        """Open a link the person got by mail (it is a click in their mail program)."""
        self.clicks += 1
        self.steps.append(f"click link in mail {urlsplit(url).path}")
        page.goto(url)

    def fill(self, locator: Locator, text: str) -> None:
        self.fields += 1
        self.steps.append(f"type {locator}")
        locator.fill(text)

    def _count(self, what: str, locator: Locator) -> None:
        self.clicks += 1
        self.steps.append(f"{what} {locator}")

    def assert_at_most(self, *, clicks: int) -> None:
        assert self.clicks <= clicks, f"{self.clicks} clicks (at most {clicks}):\n  " + "\n  ".join(self.steps)


@dataclass
class Journey:
    """One run of one journey in one viewport: checks every page it visits and photographs the key ones.

    `seen(page, step)` is called after every navigation a person would notice. It runs
    axe-core and writes `<screenshots>/<journey>/<viewport>-<nn>-<step>.png`. At the end
    of the test, every URL a page loaded must have been checked (see `assert_all_checked`),
    so a new step cannot slip past the accessibility check.
    """

    name: str
    viewport: str
    folder: Path
    checked: set[str] = field(default_factory=set)
    loaded: list[str] = field(default_factory=list)
    screenshots: list[Path] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    # Named counters of clicks and fields (e.g. "resident"), printed after the run by conftest.
    efforts: dict[str, Effort] = field(default_factory=dict)

    def effort(self, who: str) -> Effort:
        return self.efforts.setdefault(who, Effort())

    def watch(self, page: Page) -> Page:
        """Record every document the page loads, to prove afterwards that each was checked,
        and everything the Content-Security-Policy blocked on it (`assert_no_csp_violations`)."""
        page.on("load", lambda loaded: self.loaded.append(_without_fragment(loaded.url)))
        watch_csp(page, self.csp_violations)
        self.pages.append(page)
        return page

    def assert_no_csp_violations(self) -> None:
        assert not self.csp_violations, "the Content-Security-Policy blocked something:\n  " + "\n  ".join(
            dict.fromkeys(self.csp_violations)
        )

    def screenshot_failure(self) -> list[Path]:
        """What each browser of the journey showed when the test failed."""
        written = []
        for number, page in enumerate(self.pages, start=1):
            path = self.folder / f"{self.viewport}-failed-browser{number}.png"
            try:
                page.screenshot(path=str(path), full_page=True)
            except Exception:  # noqa: BLE001 - a closed page must not hide the real failure
                continue
            written.append(path)
        return written

    def seen(self, page: Page, step: str, *, screenshot: bool = True) -> None:
        page.wait_for_load_state("load")
        url = _without_fragment(page.url)
        violations = axe_violations(page)
        if screenshot:
            self.screenshot(page, step)
        self.checked.add(url)
        if violations:
            self.findings.append(describe_violations(url, violations))
            pytest.fail(self.findings[-1], pytrace=False)

    def screenshot(self, page: Page, step: str) -> Path:
        path = self.folder / f"{self.viewport}-{len(self.screenshots) + 1:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        self.screenshots.append(path)
        return path

    def assert_all_checked(self) -> None:
        missed = sorted({url for url in self.loaded if url not in self.checked and _is_page(url)})
        assert not missed, f"pages loaded without an accessibility check: {missed}"


def watch_csp(page: Page, violations: list[str]) -> None:
    """Append every CSP refusal on `page` (from now on, all its documents) to `violations`."""
    page.add_init_script(script=CSP_LISTENER)

    def on_console(message: Any) -> None:
        if any(marker in message.text for marker in CSP_MARKERS):
            violations.append(f"{_without_fragment(page.url)}: {message.text}")

    page.on("console", on_console)


def _without_fragment(url: str) -> str:
    return url.split("#", 1)[0]


def _is_page(url: str) -> bool:
    return url.startswith("http") and "/media/" not in urlsplit(url).path


def link_in_mail(message: Any, pattern: str) -> str:
    """The first absolute link in a mail's text body whose path matches `pattern` (a regular expression)."""
    for url in re.findall(r"https?://[^\s<>\"]+", message.body):
        if re.search(pattern, urlsplit(url).path):
            return url
    raise AssertionError(f"no link matching {pattern!r} in the mail to {message.to}:\n{message.body}")


def wait_for_mail(outbox: list, *, to: str, subject_contains: str = "", timeout: float = 20.0) -> Any:
    """The newest mail to `to` (sent by the live server's or the worker's thread into the shared locmem outbox)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in reversed(outbox):
            if to in message.to and subject_contains in message.subject:
                return message
        time.sleep(0.05)
    raise AssertionError(f"no mail to {to} within {timeout} s; outbox: {[(m.to, m.subject) for m in outbox]}")


# --- keyboard only -----------------------------------------------------------------

MAX_TABS = 120


def tab_to(page: Page, target: Locator, *, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until `target` has the focus, as a keyboard user would.

    Fails when the element cannot be reached within MAX_TABS presses: it is not in
    the tab order (a div with a click handler, tabindex=-1, hidden behind a menu ...).
    """
    key = "Shift+Tab" if backwards else "Tab"
    handle = target.element_handle()
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        if page.evaluate("el => document.activeElement === el", handle):
            _assert_focus_visible(page)
            return
    raise AssertionError(f"{target} cannot be reached with the Tab key")


def _assert_focus_visible(page: Page) -> None:
    """WCAG 2.4.7: the focused element must show it (an outline or a box shadow)."""
    style = page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return {outline: s.outlineStyle, width: s.outlineWidth, shadow: s.boxShadow}; }"""
    )
    visible = (style["outline"] != "none" and style["width"] not in ("0px", "")) or style["shadow"] not in ("none", "")
    assert visible, f"the focused element shows no focus indicator: {style}"


def type_into(page: Page, field: Locator, text: str) -> None:
    tab_to(page, field)
    page.keyboard.type(text)


def choose_option(page: Page, select: Locator, label: str) -> None:
    """Pick an option of a focused <select> by typing its first letters (type-ahead), as keyboard users do."""
    tab_to(page, select)
    page.keyboard.type(label[:6])
    chosen = select.evaluate("el => el.options[el.selectedIndex].text")
    assert chosen.strip().startswith(label[:6]), f"type-ahead chose {chosen!r}, wanted {label!r}"


def tick(page: Page, checkbox: Locator) -> None:
    tab_to(page, checkbox)
    page.keyboard.press("Space")
    assert checkbox.is_checked()


def press_enter_on(page: Page, target: Locator, *, navigates: bool = True) -> None:
    """Tab to a link or button and press Enter; by default wait until the next page has loaded."""
    tab_to(page, target)
    if not navigates:
        page.keyboard.press("Enter")
        return
    with page.expect_navigation():
        page.keyboard.press("Enter")


EMAIL_LABEL = re.compile(r"^E-?mail( address)?:?$", re.I)
PASSWORD_LABEL = re.compile(r"^Password:?$")


def sign_in(page: Page, journey: Any, town_url: str, email: str, password: str, step: str) -> None:
    """Sign in from the town's start page through the account navigation, as a resident would."""
    page.goto(town_url)
    journey.seen(page, f"{step}-start", screenshot=False)
    page.get_by_role("navigation", name="Your account").get_by_role("link", name="Sign in").click()
    journey.seen(page, f"{step}-sign-in", screenshot=False)
    page.get_by_label(EMAIL_LABEL).fill(email)
    page.get_by_label(PASSWORD_LABEL).fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    journey.seen(page, f"{step}-signed-in", screenshot=False)
