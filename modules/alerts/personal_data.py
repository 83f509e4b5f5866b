"""Personal data of the alerts module (core.personal_data).

- alerts.Notice.created_by: the Bekanntmachungen a town administrator published. The export lists
  them (title, dates); erasure only forgets who wrote them: the notices are the town's official
  acts and stay published under its name.

Official warnings come from NINA and name nobody; the dispatch and poll tables hold no person.
"""

from __future__ import annotations

from typing import Any

from modules.alerts.models import Notice


def export(user: Any) -> dict[str, Any]:
    return {"notices_published": list(
        Notice.objects.filter(created_by=user).order_by("pk")
        .values("id", "title", "valid_from", "valid_until", "published_at")
    )}


def erase(user: Any) -> None:
    Notice.objects.filter(created_by=user).update(created_by=None)
