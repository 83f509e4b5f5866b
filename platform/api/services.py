"""Writes for API tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiToken

TOKEN_TAG = "dk"
MAX_ACTIVE_TOKENS_PER_USER = 20
# A token used again within this window doesn't write last_used_at again:
# busy integrations would otherwise turn every read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # the full "dk_<prefix>_<random>" value; shown once, never stored


def api_token_hash(*, secret: str, schema_name: str | None = None) -> str:
    """Hash of the secret bound to a town: the same secret hashes differently in every schema."""
    schema = schema_name if schema_name is not None else connection.schema_name
    return hashlib.sha256(f"{schema}\x00{secret}".encode()).hexdigest()


def _new_secret() -> tuple[str, str]:
    prefix = secrets.token_hex(4)
    return prefix, f"{TOKEN_TAG}_{prefix}_{secrets.token_urlsafe(32)}"


@transaction.atomic
def api_token_create(*, user, name: str, expires_at: datetime | None = None) -> IssuedToken:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, for example the app that will use it.")})
    if len(name) > ApiToken._meta.get_field("name").max_length:
        raise ValidationError({"name": _("The name is too long (at most 80 characters).")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry date must lie in the future.")})
    if not user.is_active:
        raise PermissionDenied
    active = ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
    if sum(1 for token in active if not token.is_expired) >= MAX_ACTIVE_TOKENS_PER_USER:
        raise ValidationError(
            _("You already have %(count)d active tokens. Revoke one you no longer need first.")
            % {"count": MAX_ACTIVE_TOKENS_PER_USER}
        )
    prefix, secret = _new_secret()
    token = ApiToken.objects.create(
        user=user, name=name, prefix=prefix, key_hash=api_token_hash(secret=secret), expires_at=expires_at
    )
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def api_token_revoke(*, token: ApiToken, acting_user) -> ApiToken:
    """Revoke a token. Only its owner may; revoking twice keeps the first date."""
    if token.user_id != acting_user.pk:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_tokens_revoke_all(*, user: Any) -> int:
    """Revoke every live token of `user` (their password changed: whoever had it may hold a token)."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def api_token_mark_used(*, token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
