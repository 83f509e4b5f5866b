"""Mitteilungsblatt (core.personal_data).

- bulletin.Subscription (``user``): export: since when; erase: deleted (no more mails)
- bulletin.Delivery (``user``): export: which issues were mailed, when; erase: deleted (the issue stays,
  it names nobody)
- bulletin.Issue (``created_by``): export: the issues the person started as editor; erase: the link is
  cleared, the issue stays (it is the town's publication)
"""

from __future__ import annotations

from typing import Any

from modules.bulletin.models import Delivery, Issue, Subscription


def export(user: Any) -> dict[str, Any]:
    return {
        "subscribed_since": Subscription.objects.filter(user=user).values_list("created_at", flat=True).first(),
        "issues_mailed": list(Delivery.objects.filter(user=user).order_by("pk").values(
            "issue__year", "issue__number", "sent_at")),
        "issues_started": list(Issue.objects.filter(created_by=user).order_by("pk").values("year", "number")),
    }


def erase(user: Any) -> None:
    Subscription.objects.filter(user=user).delete()
    Delivery.objects.filter(user=user).delete()
    Issue.objects.filter(created_by=user).update(created_by=None)
