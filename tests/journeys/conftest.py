"""Real-browser journeys: Debian's Chromium, a live server with real town hosts, a real Celery worker.

How it fits together:

- `live_site` is pytest-django's live server on localhost with a free port. Towns are
  reached at http://<slug>.localhost:<port>/ (Chromium resolves every *.localhost to
  loopback), the public site at http://localhost:<port>/. SITE_PORT is set for the
  test, so links built for mails and the hand-over carry the port.
- Journeys are transactional tests (`django_db(transaction=True)`): the server's threads
  and the Celery worker only see committed rows. The flush at the end empties only the
  public schema (tests/conftest.py restores towns A and B), so each journey creates its
  own towns (`make_town`, or the signup journey's) and drops them, schema included,
  before the flush.
- The browser is package-scoped on purpose: Playwright's sync API keeps an asyncio loop
  running in the main thread, which makes Django refuse ORM calls there
  (SynchronousOnlyOperation). DJANGO_ALLOW_ASYNC_UNSAFE is set only while the browser
  lives, and the loop is gone before any other test package runs.
- The browser speaks English (locale en-US): msgids are English, so the locators keep
  working when a German translation is added.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

CHROMIUM = Path(os.environ.get("DORFKERN_CHROMIUM", "/usr/bin/chromium"))
# Flags that work headless on a container without a GPU, a sandbox-capable kernel or internet.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
HERE = Path(__file__).resolve().parent


def screenshot_root() -> Path:
    from config import embedded

    return embedded.STATE_DIR / "screenshots"


def chromium_missing_reason() -> str | None:
    if CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK):
        return None
    return (
        f"Chromium not found at {CHROMIUM}: install Debian's package as root with "
        "`apt-get update && apt-get install -y chromium` (python3 dorfkern.py test does this when run as root), "
        "or point DORFKERN_CHROMIUM at a Chromium binary."
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = chromium_missing_reason()
    for item in items:
        in_browser = {"browser", "new_context", "live_site"} & set(getattr(item, "fixturenames", ()))
        if HERE not in Path(str(item.fspath)).parents or not in_browser:
            continue
        item.add_marker(pytest.mark.browser)
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    report = yield
    if report.when == "call" and report.failed:
        item._journey_failed = True  # type: ignore[attr-defined]  # the journey fixture skips its own check
    return report


def pytest_terminal_summary(terminalreporter: Any) -> None:
    root = screenshot_root()
    written = sorted(root.rglob("*.png")) if root.exists() else []
    if not written or not getattr(terminalreporter.config, "_journey_screenshots", False):
        return
    terminalreporter.write_sep("-", "journey screenshots")
    for folder in sorted({path.parent for path in written}):
        terminalreporter.write_line(f"{folder}  ({len(list(folder.glob('*.png')))} pages)")
    timings = [
        (report.nodeid.split("::", 1)[1], value)
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "when", None) == "teardown"
        for key, value in getattr(report, "user_properties", ())
        if key == "journey"
    ]
    for name, (seconds, pages) in sorted(timings):
        terminalreporter.write_line(f"  {seconds:5.1f} s  {pages:2d} pages checked by axe  {name}")
    efforts = [
        (report.nodeid.split("::", 1)[1], value)
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "when", None) == "teardown"
        for key, value in getattr(report, "user_properties", ())
        if key == "effort"
    ]
    if efforts:
        terminalreporter.write_sep("-", "clicks and fields of the journeys")
        for name, (who, clicks, fields) in sorted(efforts):
            terminalreporter.write_line(f"  {clicks:2d} clicks {fields:2d} fields  {who}: {name}")


# --- the browser (package scope: see the module docstring) --------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="package")
def playwright() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    pw = sync_playwright().start()
    try:
        yield pw
    finally:
        pw.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser_type(playwright: Any, browser_name: str) -> Any:
    return getattr(playwright, browser_name)


@pytest.fixture(scope="package")
def launch_browser(browser_type_launch_args: dict, browser_type: Any) -> Callable[..., Any]:
    def launch(**kwargs: Any) -> Any:
        return browser_type.launch(**{**browser_type_launch_args, **kwargs})

    return launch


@pytest.fixture(scope="package")
def browser(launch_browser: Callable[..., Any]) -> Iterator[Any]:
    browser = launch_browser()
    yield browser
    browser.close()


@pytest.fixture(scope="package")
def browser_context_args() -> dict:
    return {"locale": "en-US", "timezone_id": "Europe/Berlin"}


# --- the live server ---------------------------------------------------------------------


@dataclass(frozen=True)
class LiveSite:
    port: int

    def public(self, path: str = "/") -> str:
        return f"http://{settings.BASE_DOMAIN}:{self.port}{path}"

    def town(self, slug: str, path: str = "/") -> str:
        return f"http://{slug}.{settings.BASE_DOMAIN}:{self.port}{path}"


@pytest.fixture
def live_site(live_server: Any, settings: Any, request: pytest.FixtureRequest) -> LiveSite:
    """pytest-django's live server (transactional: the server's threads see committed data only).

    SITE_PORT makes links built for mails and the hand-over carry the server's port.
    """
    request.config._journey_screenshots = True  # type: ignore[attr-defined]
    port = int(live_server.url.rsplit(":", 1)[1])
    settings.SITE_PORT = str(port)
    return LiveSite(port=port)


# --- towns of a journey --------------------------------------------------------------------


def drop_towns(slugs: list[str]) -> None:
    """Remove towns (public rows, schema, uploads) and signups a journey created."""
    from django.db import connection

    from tenants.models import Municipality, TownSignup

    connection.set_schema_to_public()
    for town in Municipality.objects.filter(slug__in=slugs):
        media = Path(settings.MEDIA_ROOT) / town.schema_name
        town.delete(force_drop=True)
        shutil.rmtree(media, ignore_errors=True)
    TownSignup.objects.filter(slug__in=slugs).delete()


@pytest.fixture
def town_slugs() -> Iterator[list[str]]:
    """Slugs appended here are dropped after the test, whether it passed or not."""
    slugs: list[str] = []
    yield slugs
    drop_towns(slugs)


@pytest.fixture
def make_town(town_slugs: list[str]) -> Callable[..., Any]:
    """Provision a town with every module switched on, through the real provisioning service."""
    from core.modules import all_modules
    from tenants.services import tenant_module_enable, town_create
    from tests.helpers import legal_texts_fill

    def make(slug: str, name: str, *, kind: str = "verbandsgemeinde", admin_email: str = "rathaus@example.org",
             admin_password: str = "Rathaus-Passwort-2026") -> Any:
        drop_towns([slug])  # leftovers of an interrupted earlier run
        town_slugs.append(slug)
        town = town_create(name=name, kind=kind, slug=slug, admin_name="Anna Admin", admin_email=admin_email,
                           admin_password=admin_password)
        for key in all_modules():
            tenant_module_enable(tenant=town, key=key, by_staff=True)
        legal_texts_fill(town)  # registration opens once both legal texts are published
        return town

    return make


# --- pages ----------------------------------------------------------------------------------


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def journey(request: pytest.FixtureRequest, viewport: str) -> Iterator[Any]:
    """The Journey record for this test: its name is the module's name without test_."""
    from tests.journeys.support import Journey

    name = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    # The keyboard-only variant of a journey gets its own file names next to the mouse one.
    variant = f"{viewport}-keyboard" if "keyboard" in request.function.__name__ else viewport
    folder = screenshot_root() / name
    folder.mkdir(parents=True, exist_ok=True)
    for old in [*folder.glob(f"{variant}-[0-9]*.png"), *folder.glob(f"{variant}-failed-*.png")]:
        old.unlink()
    record = Journey(name=name, viewport=variant, folder=folder)
    started = time.monotonic()
    yield record
    if getattr(request.node, "_journey_failed", False):
        record.screenshot_failure()
    else:
        record.assert_all_checked()
        record.assert_no_csp_violations()
    request.node.user_properties.append(("journey", (round(time.monotonic() - started, 1), len(record.checked))))
    for who, effort in record.efforts.items():
        request.node.user_properties.append(("effort", (who, effort.clicks, effort.fields)))


@pytest.fixture
def open_page(new_context: Callable[..., Any], journey: Any, viewport: str) -> Callable[[], Any]:
    """A new browser (own cookies) in this journey's viewport; phones get touch and a mobile user agent."""

    def open_() -> Any:
        extra = {"is_mobile": True, "has_touch": True, "device_scale_factor": 2} if viewport == "phone" else {}
        context = new_context(viewport=VIEWPORTS[viewport], **extra)
        context.set_default_timeout(10_000)
        return journey.watch(context.new_page())

    return open_
