"""Digitaler Rat & Gremien (core.personal_data).

- council.Member (``user``)
  export: name shown, group, seat, term, chair; erase: **kept, anonymised** (``user`` cleared, the name
  shown becomes "Former member"): the seat and its term are part of the council's public record (which
  seat voted when it recommended something); the Digitaler Rat is a body of volunteers, not elected
  officials whose names minutes must keep
- council.RecommendationVote (through the member)
  export: which recommendation, how the member voted, when; erase: kept with the anonymised seat, so the
  counts the council published still add up
- the RIS mirror (Oparl*) holds people as the town's RIS publishes them, never linked to an account:
  nothing to export or erase here (the RIS itself is the source)
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from modules.council.models import Member, RecommendationVote


def export(user: Any) -> dict[str, Any]:
    return {
        "seats": list(Member.objects.filter(user=user).order_by("pk").values(
            "name", "group", "seat", "is_chair", "term_start", "term_end")),
        "votes": list(RecommendationVote.objects.filter(member__user=user).order_by("pk").values(
            "recommendation__title", "choice", "created_at")),
    }


def erase(user: Any) -> None:
    Member.objects.filter(user=user).update(user=None, name=gettext("Former member"))
