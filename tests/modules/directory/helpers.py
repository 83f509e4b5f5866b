"""Helpers for the Branchenbuch tests."""

from __future__ import annotations

from datetime import time

from core import opening_hours

ALWAYS = [opening_hours.Interval(day, time(0), time(0), True) for day in range(7)]  # 24 hours, every day
