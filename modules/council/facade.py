"""Digitaler Rat & Gremien's public face: the only thing other modules and platform code import."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from modules.notifications.capabilities import Announcement


@dataclass(frozen=True)
class AgendaLink:
    meeting_title: str
    meeting_date: datetime.date
    item_title: str
    url: str


def proposal_agenda_links(proposal_id: int) -> list[AgendaLink]:
    """Public agenda items of the Digitaler Rat that discuss this proposal; [] while the council module is off."""
    from core.access import tenant_has_module

    if not tenant_has_module("council"):
        return []
    from django.utils import timezone

    from modules.council.selectors import proposal_agenda_items

    return [AgendaLink(meeting_title=item.meeting.title, meeting_date=timezone.localdate(item.meeting.starts_at),
                       item_title=item.title, url=f"{item.meeting.get_absolute_url()}#top-{item.pk}")
            for item in proposal_agenda_items(proposal_id=proposal_id)]


def recommendation_announcement(recommendation_id: int) -> Announcement | None:
    """A recommendation the council voted on, or whose follow-up changed (None for drafts and open votes)."""
    from modules.council.models import Recommendation, RecommendationStatus

    found = Recommendation.objects.filter(pk=recommendation_id).exclude(
        status__in=(RecommendationStatus.DRAFT, RecommendationStatus.VOTING)).first()
    if found is None:
        return None
    return Announcement(title=found.title, body=found.get_status_display(), url=found.get_absolute_url(),
                        topic="council.recommendations",
                        dedupe_key=f"council.recommendation:{found.pk}:{found.status}")
