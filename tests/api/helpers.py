"""Helpers for the API tests: tokens made through the real service, clients that send them."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from tests.helpers import TownClient, host_of


def issue_token(town, user, *, name: str = "Test app", expires_in: timedelta | None = None) -> str:
    """A fresh token secret for `user` in `town` (made through the real service)."""
    from api.services import api_token_create

    with schema_context(town.schema_name):
        expires_at = timezone.now() + expires_in if expires_in is not None else None
        return api_token_create(user=user, name=name, expires_at=expires_at).secret


def token_client(town, secret: str) -> TownClient:
    return TownClient(host_of(town), HTTP_AUTHORIZATION=f"Token {secret}")
