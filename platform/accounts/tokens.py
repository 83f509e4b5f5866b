"""Tokens that are only valid in the town (schema) that issued them (ISOLATION T4)."""

from __future__ import annotations

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import connection


def tenant_salt(purpose: str) -> str:
    """A signing salt bound to the current schema: sign and check in the same town."""
    return f"dorfkern.{purpose}:{connection.schema_name}"


class TownPasswordResetTokenGenerator(PasswordResetTokenGenerator):
    @property
    def key_salt(self) -> str:  # type: ignore[override]
        return tenant_salt("password-reset")
