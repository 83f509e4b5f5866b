"""Optional error reports: with SENTRY_DSN an error in a view reaches Sentry tagged with its town and
request id, without cookies or passwords; without a DSN sentry-sdk isn't even imported.

The "Sentry" is a local HTTP server started by the test that records the envelopes it is sent.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import override_settings
from django.urls import path

from tests.helpers import TownClient, host_of

# Put together at run time: Sentry sends source lines around a frame, and these must not be in them.
PASSWORD = "-".join(("Geheim", "Passwort", "4711"))
COOKIE = "-".join(("sitzung", "geheim", "0815"))


def crashing_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("Absturz beim Speichern")


urlpatterns = [path("kaputt/", crashing_view, name="crash")]


class Envelopes(BaseHTTPRequestHandler):
    received: list[tuple[str, bytes]] = []

    def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.received.append((self.path, body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def sentry_server() -> Iterator[ThreadingHTTPServer]:
    Envelopes.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Envelopes)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def sentry_on(sentry_server) -> Iterator[None]:
    import sentry_sdk

    from core.sentry import sentry_init

    dsn = f"http://abc123@127.0.0.1:{sentry_server.server_port}/7"
    with override_settings(SENTRY_DSN=dsn, SENTRY_TRACES_SAMPLE_RATE=0.0):
        sentry_init()
        yield
    sentry_sdk.flush(timeout=5)
    # Back to no client: the integrations stay patched but send nothing.
    sentry_sdk.init(dsn=None)


def _events() -> list[dict]:
    events = []
    for url, body in Envelopes.received:
        assert url == "/api/7/envelope/"
        for line in body.split(b"\n"):
            if line.startswith(b"{") and b'"exception"' in line:
                events.append(json.loads(line))
    return events


def test_an_error_in_a_view_reaches_sentry_with_the_town_tag_and_no_cookie_or_password(town_a, sentry_on):
    import sentry_sdk

    client = TownClient(host_of(town_a), raise_request_exception=False)
    client.cookies["sessionid"] = COOKIE
    with override_settings(ROOT_URLCONF=__name__):
        answer = client.post("/kaputt/", {"login": "anna@example.org", "password": PASSWORD},
                             HTTP_X_REQUEST_ID="spur-sentry-1", HTTP_AUTHORIZATION=f"Token {COOKIE}")
    assert answer.status_code == 500
    sentry_sdk.flush(timeout=5)

    events = _events()
    assert len(events) == 1
    event = events[0]
    assert event["tags"]["town"] == town_a.slug
    assert event["tags"]["request_id"] == "spur-sentry-1"
    assert event["exception"]["values"][-1]["value"] == "Absturz beim Speichern"
    raw = b"".join(body for _url, body in Envelopes.received).decode()
    assert PASSWORD not in raw and COOKIE not in raw
    assert "anna@example.org" not in raw


def test_without_a_dsn_sentry_is_not_even_imported():
    root = Path(__file__).resolve().parents[2]
    env = {key: value for key, value in os.environ.items() if key != "SENTRY_DSN"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.test", PYTHONPATH=f"{root}:{root / 'platform'}")
    shown = subprocess.run(
        [sys.executable, "-c", "import django, sys; django.setup(); print('sentry_sdk' in sys.modules)"],
        cwd=root, env=env, capture_output=True, text=True, timeout=120,
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == "False"
