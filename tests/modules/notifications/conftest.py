"""Fixtures for the notifications tests: residents, eager tasks, and a local stand-in for a browser's push service."""

from __future__ import annotations

import base64
import datetime
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from accounts.models import Role, User
from town.models import Ortsgemeinde, ResidentProfile

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(hour: int, minute: int = 0, day: int = 25) -> datetime.datetime:
    """A moment on 25 November 2026, local time."""
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=BERLIN)


def user_make(email: str, *, role: str = Role.RESIDENT, ortsgemeinde: Ortsgemeinde | None = None) -> User:
    user = User.objects.create_user(email=email, password="Ein-langes-Passwort-1", name=email.split("@")[0], role=role)
    if ortsgemeinde is not None:
        ResidentProfile.objects.create(user=user, ortsgemeinde=ortsgemeinde)
    return user


def town_admin() -> User:
    return User.objects.filter(role=Role.ADMIN).order_by("pk").first()



@pytest.fixture
def villages(in_town_a) -> dict[str, Ortsgemeinde]:
    return {
        "x": Ortsgemeinde.objects.create(name="Xanten-Au", slug="xanten-au"),
        "y": Ortsgemeinde.objects.create(name="Ypsdorf", slug="ypsdorf"),
    }


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


@dataclass
class BrowserKeys:
    """What a browser makes when it subscribes: a P-256 key pair and a 16-byte auth secret."""

    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes

    @classmethod
    def generate(cls) -> BrowserKeys:
        return cls(private_key=ec.generate_private_key(ec.SECP256R1()), auth_secret=os.urandom(16))

    @property
    def p256dh(self) -> str:
        return _b64(self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint))

    @property
    def auth(self) -> str:
        return _b64(self.auth_secret)

    def decrypt(self, body: bytes) -> bytes:
        """RFC 8291: what the browser does with a push message (aes128gcm)."""
        return http_ece.decrypt(body, private_key=self.private_key, auth_secret=self.auth_secret, version="aes128gcm")


@dataclass
class PushService:
    """A push service on 127.0.0.1 that records every POST and answers with `status`."""

    url: str
    status: int = 201
    received: list[dict] = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)

    def endpoint(self, name: str = "browser-1") -> str:
        return f"{self.url}/push/{name}"


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


@pytest.fixture
def daytime(monkeypatch) -> datetime.datetime:
    """The clock says 12:00 in Berlin, outside everyone's quiet hours, whenever the test runs."""
    noon = berlin(12)
    monkeypatch.setattr("django.utils.timezone.now", lambda: noon)
    return noon


def deliver_kwargs(**overrides) -> dict:
    """Arguments of one event, as the facade hands them to the deliver task."""
    kwargs = {"event": "test.event", "title": "Neue Nachricht", "body": "Jemand hat Ihnen geschrieben.",
              "url": "/notifications/", "dedupe_key": "test:1", "topic": "", "urgent": False}
    kwargs.update(overrides)
    return kwargs
