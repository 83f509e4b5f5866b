"""Web push: the platform's VAPID key and sending one encrypted message (RFC 8291/8292) to one browser."""

from __future__ import annotations

import base64
import json
import logging
import os
import time
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from py_vapid import Vapid02
from pywebpush import WebPusher, WebPushException

from core import outbound

logger = logging.getLogger(__name__)

PUSH_TIMEOUT_SECONDS = 10
PUSH_TTL_SECONDS = 24 * 3600  # a phone that is off for a day still gets today's warnings
PUSH_MAX_ANSWER_BYTES = 64 * 1024  # push services answer with an empty body or a short error


@cache
def vapid_key() -> Vapid02:
    """The platform's VAPID key: from VAPID_PRIVATE_KEY, else from VAPID_KEY_FILE (generated on first use)."""
    if settings.VAPID_PRIVATE_KEY:
        text = settings.VAPID_PRIVATE_KEY.strip()
        if text.startswith("-----BEGIN"):
            return Vapid02.from_pem(text.encode())
        return Vapid02.from_string(text)
    path = Path(settings.VAPID_KEY_FILE)
    if not path.exists():
        _generate_key_file(path)
    return Vapid02.from_file(str(path))


def _generate_key_file(path: Path) -> None:
    key = Vapid02()
    key.generate_keys()
    pem = key.private_key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: when two processes start at once, the first key wins and both use it.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)


def vapid_public_key() -> str:
    """The public key as the browser's pushManager.subscribe() wants it (uncompressed point, base64url)."""
    raw = vapid_key().public_key.public_bytes(
        encoding=serialization.Encoding.X962, format=serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


class PushGone(Exception):
    """The push service says this subscription no longer exists (404/410): forget it."""


def push_session() -> outbound.OutboundClient:
    """One HTTP client for a batch: pushes to the same push service reuse the connection. Close it after."""
    return outbound.OutboundClient(timeout=PUSH_TIMEOUT_SECONDS, max_bytes=PUSH_MAX_ANSWER_BYTES)


def push_send(
    *,
    endpoint: str,
    p256dh: str,
    auth: str,
    payload: dict[str, Any],
    urgent: bool = False,
    session: outbound.OutboundClient | None = None,
) -> None:
    """Encrypt `payload` (aes128gcm) for one browser and post it to its push service.

    The endpoint comes from the resident's browser, so it goes through core.outbound like any
    address the platform doesn't control: an endpoint on an internal network is never contacted.
    Raises PushGone for 404/410; other failures are logged and swallowed, since
    one broken push service must not stop the rest of a fan-out.
    """
    parts = urlsplit(endpoint)
    claims = {
        "sub": settings.VAPID_SUBJECT,
        "aud": f"{parts.scheme}://{parts.netloc}",
        "exp": int(time.time()) + 12 * 3600,
    }
    try:
        body = WebPusher({"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}}).encode(
            json.dumps(payload).encode(), "aes128gcm"
        )["body"]
    except WebPushException as exc:  # keys the browser sent that don't work
        logger.warning("web push to %s failed: %s", endpoint[:60], exc)
        return
    headers = {
        **vapid_key().sign(claims),
        "Content-Encoding": "aes128gcm",
        "TTL": str(PUSH_TTL_SECONDS),
        "Urgency": "high" if urgent else "normal",
    }
    try:
        if session is None:
            with push_session() as client:
                response = client.post(endpoint, body=body, headers=headers)
        else:
            response = session.post(endpoint, body=body, headers=headers)
    except outbound.OutboundError as exc:
        logger.warning("web push to %s failed: %s", endpoint[:60], exc.detail)
        return
    if response.status in (404, 410):
        raise PushGone(endpoint)
    if response.status > 202:
        logger.warning("web push to %s failed: HTTP %s %s", endpoint[:60], response.status, response.body[:200])
