"""Rathaus & Bürgerservice (core.personal_data).

- services.FoundItemClaim they sent (``sender``)
  export: the item's title, their message, when
  erase: **deleted**. A claim is one person's message to the office about their own lost property;
  the office has it in its mailbox too, where its own retention rules apply.

Offices' contact persons are typed in by the town, not linked to accounts: no person's account
points at them. Found items and services belong to the town.
"""

from __future__ import annotations

from typing import Any

from modules.services.models import FoundItemClaim


def export(user: Any) -> dict[str, Any]:
    claims = list(FoundItemClaim.objects.filter(sender=user).order_by("pk").values(
        "item__title", "message", "created_at"))
    return {"found_item_claims": claims}


def erase(user: Any) -> None:
    FoundItemClaim.objects.filter(sender=user).delete()
