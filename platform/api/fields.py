"""Serializer fields more than one module's API uses."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field({"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "example": "07:00"})
class WallClockField(serializers.Field):
    """A local wall-clock time in Europe/Berlin as "HH:MM" (no offset: it is the time on the door).

    JSON Schema's "time" format wants seconds and an offset, which an opening time has neither of.
    """

    def to_representation(self, value: Any) -> str | None:
        return None if value is None else f"{value:%H:%M}"
