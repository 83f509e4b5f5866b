"""Signed links of the signup: e-mail confirmation (public site) and the hand-over into the new town.

Every salt names the schema the token is meant for, so a token can't be
replayed anywhere else (ISOLATION T4): the confirmation is bound to the public
schema and to one signup, the hand-over to one town's schema.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.core import signing
from django_tenants.utils import get_public_schema_name

from core.tenancy import connection

if TYPE_CHECKING:
    from accounts.models import User

CONFIRM_MAX_AGE = timedelta(hours=48)
HANDOVER_MAX_AGE = timedelta(minutes=10)


def _confirm_salt(signup_id: str) -> str:
    return f"dorfkern.town-signup-confirm:{get_public_schema_name()}:{signup_id}"


def signup_confirm_token_make(*, signup_id: str, email: str) -> str:
    return signing.dumps({"s": str(signup_id), "e": email.lower()}, salt=_confirm_salt(str(signup_id)))


def signup_confirm_token_check(*, signup_id: str, email: str, token: str) -> bool:
    """True when `token` confirms this signup's address and is at most 48 hours old."""
    try:
        data = signing.loads(token, salt=_confirm_salt(str(signup_id)), max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return False
    return bool(data == {"s": str(signup_id), "e": email.lower()})


def _handover_salt(schema_name: str) -> str:
    # Same shape as accounts.tokens.tenant_salt, but for a schema other than
    # the current one: the token is made on the public site for the town.
    return f"dorfkern.handover:{schema_name}"


def _last_login_stamp(user: User) -> str:
    return user.last_login.isoformat() if user.last_login else ""


def handover_token_make(*, schema_name: str, user: User) -> str:
    """A ten-minute, one-time sign-in link token for `user`, valid only in `schema_name`.

    The user's last_login is part of the payload: the sign-in it grants changes
    last_login, which kills the token (one-time without a table).
    """
    return signing.dumps({"u": user.pk, "l": _last_login_stamp(user)}, salt=_handover_salt(schema_name))


class HandoverRejected(Exception):
    """The hand-over token is forged, for another town, expired or used."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "invalid", "expired" or "used"


def handover_token_user(token: str) -> User:
    """The user the token signs in, in the current schema; raises HandoverRejected."""
    from accounts.models import Role, User

    try:
        data = signing.loads(token, salt=_handover_salt(connection.schema_name), max_age=HANDOVER_MAX_AGE)
    except signing.SignatureExpired:
        raise HandoverRejected("expired") from None
    except signing.BadSignature:
        raise HandoverRejected("invalid") from None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise HandoverRejected("invalid")
    user: User | None = User.objects.filter(pk=data["u"], is_active=True, role=Role.ADMIN).first()
    if user is None:
        raise HandoverRejected("invalid")
    if _last_login_stamp(user) != data.get("l"):
        raise HandoverRejected("used")
    return user
