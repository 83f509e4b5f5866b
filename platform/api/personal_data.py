"""API tokens (core.personal_data).

- api.ApiToken
  export: name, public prefix, dates; never the hash
  erase: deleted: the person's apps stop working at once
"""

from __future__ import annotations

from typing import Any

from api.models import ApiToken


def export(user: Any) -> dict[str, Any]:
    return {
        "tokens": list(
            ApiToken.objects.filter(user=user)
            .order_by("pk")
            .values("name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at")
        ),
    }


def erase(user: Any) -> None:
    ApiToken.objects.filter(user=user).delete()
