"""Helpers for the Mitbringdienst tests."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone


def soon(hours: float = 2) -> datetime:
    return timezone.now() + timedelta(hours=hours)
