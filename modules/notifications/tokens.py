"""Unsubscribe links: signed with a salt that names the town's schema, so they only work in their own town (T4)."""

from __future__ import annotations

from django.core import signing

from accounts.tokens import tenant_salt

_PURPOSE = "notifications-unsubscribe"


def unsubscribe_token_make(*, user_id: int, topic: str) -> str:
    return signing.dumps({"u": user_id, "t": topic}, salt=tenant_salt(_PURPOSE), compress=True)


def unsubscribe_token_read(token: str) -> tuple[int, str] | None:
    """(user id, topic) of a token issued in this town, or None."""
    try:
        data = signing.loads(token, salt=tenant_salt(_PURPOSE))
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("t"), str):
        return None
    return data["u"], data["t"]
