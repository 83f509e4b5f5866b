"""Umfragen (core.personal_data).

- polls.Participation (``user``): that the person took part in a poll, and on which day
  export: poll title and day
  erase: deleted (the ballot stays: it names nobody, and the poll's count must not change)
- polls.Poll (``created_by``): polls the person set up for the town
  export: titles; erase: kept, ``created_by`` cleared (the town's poll, not the person's)

Ballots are never part of an export: nothing links them to a person, by design (models.py).
"""

from __future__ import annotations

from typing import Any

from modules.polls.models import Participation, Poll


def export(user: Any) -> dict[str, Any]:
    return {
        "participations": [
            {"poll": title, "day": day}
            for title, day in Participation.objects.filter(user=user).order_by("day", "poll__title")
            .values_list("poll__title", "day")
        ],
        "polls_created": list(Poll.objects.filter(created_by=user).order_by("pk").values_list("title", flat=True)),
    }


def erase(user: Any) -> None:
    Participation.objects.filter(user=user).delete()
    Poll.objects.filter(created_by=user).update(created_by=None)
