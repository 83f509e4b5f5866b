"""Council objects for tests (current schema), one maker per model."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from modules.council.models import AgendaItem, Meeting, Member, Recommendation


def make_member(*, user: Any = None, name: str = "Maria Weber", **fields: Any) -> Member:
    fields.setdefault("term_start", timezone.localdate() - datetime.timedelta(days=30))
    return Member.objects.create(user=user, name=name, **fields)


def make_meeting(*, title: str = "4. Sitzung des Digitalen Rats", days: int = 7, **fields: Any) -> Meeting:
    return Meeting.objects.create(title=title, starts_at=timezone.now() + datetime.timedelta(days=days), **fields)


def make_item(*, meeting: Meeting, title: str = "Mitfahrbänke", **fields: Any) -> AgendaItem:
    return AgendaItem.objects.create(meeting=meeting, title=title, **fields)


def make_recommendation(*, title: str = "Mitfahrbänke aufstellen", **fields: Any) -> Recommendation:
    fields.setdefault("text", "Der Rat empfiehlt Mitfahrbänke an allen Ortsausgängen.")
    return Recommendation.objects.create(title=title, **fields)
