"""Web push: the platform's VAPID key and sending one encrypted message (RFC 8291/8292) to one browser."""

from __future__ import annotations

import base64
import json
import logging
import os
from functools import cache
from pathlib import Path
from typing import Any

import requests
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

logger = logging.getLogger(__name__)

PUSH_TIMEOUT_SECONDS = 10
PUSH_TTL_SECONDS = 24 * 3600  # a phone that is off for a day still gets today's warnings


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


def push_session() -> requests.Session:
    """One HTTP session for a batch: pushes to the same push service reuse the connection."""
    return requests.Session()


def push_send(
    *,
    endpoint: str,
    p256dh: str,
    auth: str,
    payload: dict[str, Any],
    urgent: bool = False,
    session: requests.Session | None = None,
) -> None:
    """Encrypt `payload` (aes128gcm) for one browser and post it to its push service.

    Raises PushGone for 404/410; other failures are logged and swallowed, since
    one broken push service must not stop the rest of a fan-out.
    """
    try:
        webpush(
            subscription_info={"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}},
            data=json.dumps(payload),
            vapid_private_key=vapid_key(),
            vapid_claims={"sub": settings.VAPID_SUBJECT},  # a fresh dict: webpush adds aud/exp to it
            ttl=PUSH_TTL_SECONDS,
            timeout=PUSH_TIMEOUT_SECONDS,
            headers={"Urgency": "high" if urgent else "normal"},
            requests_session=session,
        )
    except WebPushException as exc:
        status = getattr(exc.response, "status_code", None)
        if status in (404, 410):
            raise PushGone(endpoint) from exc
        logger.warning("web push to %s failed: %s", endpoint[:60], exc)
    except OSError as exc:  # connection refused, DNS, timeouts (requests' errors are OSErrors)
        logger.warning("web push to %s failed: %s", endpoint[:60], exc)
