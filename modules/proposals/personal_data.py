"""Vorschläge (core.personal_data).

- proposals.Proposal (``author``)
  export: title, text, place, status, answer, dates, photo
  erase: **kept, anonymised** (``author`` cleared): neighbours supported it and the town answered
  it in public, so it belongs to the village's record; the photo stays with it
- proposals.Support (``user``)
  export: which proposals, when; erase: deleted (the count on the proposal stays as it was)
- proposals.Comment (``author``)
  export: text, date; erase: kept, ``author`` cleared (the thread stays readable)
- proposals.Proposal (``answered_by``): the town's answer, given in office: kept, link cleared
"""

from __future__ import annotations

from typing import Any

from modules.proposals.models import Comment, Proposal, Support


def export(user: Any) -> dict[str, Any]:
    proposals = list(Proposal.objects.filter(author=user).order_by("pk").values(
        "title", "text", "ortsgemeinde__name", "category__name", "status", "answer", "created_at", "image",
        "image_alt"))
    return {
        "proposals": proposals,
        "supports": list(Support.objects.filter(user=user).order_by("pk").values("proposal__title", "created_at")),
        "comments": list(Comment.objects.filter(author=user).order_by("pk")
                         .values("proposal__title", "text", "created_at")),
        "files": [p["image"] for p in proposals if p["image"]],
    }


def erase(user: Any) -> None:
    Proposal.objects.filter(author=user).update(author=None)
    Proposal.objects.filter(answered_by=user).update(answered_by=None)
    Support.objects.filter(user=user).delete()
    Comment.objects.filter(author=user).update(author=None)
