"""Fixtures every module's tests may use: the notifications module switched off or on for a test, and a
local stand-in for a browser's push service.

The test towns have every module on, notifications included, so a module that
notifies through it sends its e-mails from the notifications module. Tests of the
plain e-mail path (a town without notifications) ask for `notifications_off`;
tests of the notifications path give the people concerned `no_quiet_hours`, so
the e-mail goes out whatever time of day the test runs.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.modules.notifications.helpers import PushService


@pytest.fixture
def notifications_off(town_a, town_b) -> Iterator[None]:
    """Both test towns without the notifications module for this test (on again afterwards)."""
    from tenants.services import tenant_module_disable, tenant_module_enable

    for town in (town_a, town_b):
        tenant_module_disable(tenant=town, key="notifications")
    try:
        yield
    finally:
        for town in (town_a, town_b):
            tenant_module_enable(tenant=town, key="notifications", by_staff=True)


@pytest.fixture
def no_quiet_hours() -> Callable[..., None]:
    """`no_quiet_hours(user, ...)`: these people turned quiet hours off (in the current town's schema)."""
    from modules.notifications.models import NotificationSettings

    def turn_off(*users: Any) -> None:
        for user in users:
            NotificationSettings.objects.update_or_create(user=user, defaults={"quiet_hours": False})

    return turn_off


@pytest.fixture
def daytime(monkeypatch: pytest.MonkeyPatch) -> datetime.datetime:
    """The clock says 12:00 in Berlin on 25 November 2026, outside everyone's quiet hours, whenever the test
    runs: at night the notification centre rightly holds mail back until the morning."""
    noon = datetime.datetime(2026, 11, 25, 12, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    monkeypatch.setattr("django.utils.timezone.now", lambda: noon)
    return noon


@pytest.fixture
def celery_eager() -> Iterator[None]:
    """Tasks sent with .delay() run at once, in the current town's schema (tenant-schemas-celery headers).

    Every test that wants eager tasks asks for this fixture: once the Celery app has read its
    configuration, changing Django's CELERY_TASK_ALWAYS_EAGER no longer reaches it. Afterwards the
    value is dropped again, so the app falls back to its configuration.
    """
    from config.celery import app

    key = "task_always_eager"
    had, before = key in app.conf.changes, app.conf.changes.get(key)
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        if had:
            app.conf.task_always_eager = before
        else:
            app.conf.changes.pop(key, None)


@pytest.fixture
def steady_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep a query-count comparison inside one minute.

    The directory caches its "open now" answer per minute, and the start page asks for it. A
    comparison that straddles a minute change counts the cache's refill (two queries) on one
    side only. The directory's clock stands still at the test's start instead (waiting for the
    next minute cost each test up to 15 s); every other clock runs on.
    """
    from django.utils import timezone

    try:
        from modules.directory import selectors
    except ImportError:  # modules are optional folders: without the directory nothing caches per minute
        return

    class _StoppedClock:
        """django.utils.timezone, with now() at one moment."""

        def __init__(self, moment: Any) -> None:
            self._moment = moment

        def now(self) -> Any:
            return self._moment

        def __getattr__(self, name: str) -> Any:
            return getattr(timezone, name)

    monkeypatch.setattr(selectors, "timezone", _StoppedClock(timezone.now()))


@pytest.fixture
def push_service(settings) -> Iterator[PushService]:
    # The test's push service speaks plain http on loopback; real ones are https only, on the internet.
    settings.WEBPUSH_ALLOW_INSECURE_ENDPOINTS = True
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    service: PushService

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            length = int(self.headers.get("Content-Length") or 0)
            service.received.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                                     "body": self.rfile.read(length)})
            self.send_response(service.status)
            self.send_header("Content-Length", "0")
            self.end_headers()
            service.arrived.set()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    service = PushService(url=f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield service
    finally:
        server.shutdown()
        server.server_close()
