"""Helpers for the notifications tests: Berlin time, a browser's push keys, a local push service, deliver arguments."""

from __future__ import annotations

import base64
import datetime
import os
import threading
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(hour: int, minute: int = 0, day: int = 25) -> datetime.datetime:
    """A moment on 25 November 2026, local time."""
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=BERLIN)


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


def deliver_kwargs(**overrides) -> dict:
    """Arguments of one event, as the facade hands them to the deliver task."""
    kwargs = {"event": "test.event", "title": "Neue Nachricht", "body": "Jemand hat Ihnen geschrieben.",
              "url": "/notifications/", "dedupe_key": "test:1", "topic": "", "urgent": False}
    kwargs.update(overrides)
    return kwargs
