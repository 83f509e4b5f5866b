"""Helpers for the account tests."""

from __future__ import annotations

import re


def links_in(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)
