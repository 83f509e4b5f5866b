"""How residents are named to each other on every page, list and notice."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


def display_name(user: Any) -> str:
    """How a person appears to others: first name and initial ("Anna M."), never the e-mail address."""
    parts = (getattr(user, "name", "") or "").split()
    if not parts:
        return _("A neighbour")
    if len(parts) == 1:
        return parts[0]
    return f"{parts[0]} {parts[-1][0]}."


__all__ = ["display_name"]
