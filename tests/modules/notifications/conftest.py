"""Fixtures for the notifications tests: villages, the clock at noon, a local stand-in for a push service."""

from __future__ import annotations

import datetime
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.modules.notifications.helpers import PushService, berlin
from tests.town.factories import OrtsgemeindeFactory
from town.models import Ortsgemeinde


@pytest.fixture
def villages(in_town_a) -> dict[str, Ortsgemeinde]:
    return {
        "x": OrtsgemeindeFactory(name="Xanten-Au", slug="xanten-au"),
        "y": OrtsgemeindeFactory(name="Ypsdorf", slug="ypsdorf"),
    }


@pytest.fixture
def push_service(settings) -> Iterator[PushService]:
    # The test's push service speaks plain http on loopback; real ones are https only.
    settings.WEBPUSH_ALLOW_INSECURE_ENDPOINTS = True
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


@pytest.fixture
def daytime(monkeypatch) -> datetime.datetime:
    """The clock says 12:00 in Berlin, outside everyone's quiet hours, whenever the test runs."""
    noon = berlin(12)
    monkeypatch.setattr("django.utils.timezone.now", lambda: noon)
    return noon
