"""Reads for API tokens and the API's public objects."""

from __future__ import annotations

import hmac
import re

from django.db import connection
from django.db.models import QuerySet

from api.models import ApiToken
from api.services import TOKEN_TAG, api_token_hash
from town.models import Organisation, Ortsgemeinde

_SECRET_FORMAT = re.compile(rf"^{TOKEN_TAG}_([0-9a-f]{{8}})_[A-Za-z0-9_-]{{20,100}}$")


def api_token_list(*, user) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at"))


def api_token_get_for_user(*, user, token_id: int) -> ApiToken | None:
    return ApiToken.objects.filter(user=user, pk=token_id).first()


def api_token_find(*, secret: str) -> ApiToken | None:
    """The token with this secret in the current town, usable or not; None when there is none."""
    match = _SECRET_FORMAT.match(secret or "")
    if match is None or connection.schema_name == "public":
        return None
    expected = api_token_hash(secret=secret)
    for token in ApiToken.objects.select_related("user").filter(prefix=match.group(1)):
        if hmac.compare_digest(token.key_hash, expected):
            return token
    return None


def ortsgemeinde_queryset() -> QuerySet[Ortsgemeinde]:
    return Ortsgemeinde.objects.order_by("name", "pk")


def organisation_queryset(*, ortsgemeinde: Ortsgemeinde | None = None, kind: str = "") -> QuerySet[Organisation]:
    """Approved organisations only: unapproved ones aren't public yet."""
    qs = Organisation.objects.filter(is_approved=True).select_related("ortsgemeinde").order_by("name", "pk")
    if ortsgemeinde is not None:
        qs = qs.filter(ortsgemeinde=ortsgemeinde)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def organisation_get(*, slug: str) -> Organisation | None:
    return organisation_queryset().filter(slug=slug).first()
