"""Umfragen's public face: the only thing other modules and platform code import."""

from __future__ import annotations

from modules.notifications.capabilities import Announcement
from modules.polls.models import Audience, Poll


def poll_announcement(poll_id: int) -> Announcement | None:
    """A published poll announced to the residents who may vote in it (None for link polls and drafts)."""
    poll = Poll.objects.filter(pk=poll_id, is_published=True).exclude(audience=Audience.LINK).first()
    if poll is None:
        return None
    return Announcement(
        title=poll.title, body=poll.description[:200], url=poll.get_absolute_url(), topic="polls.new",
        ortsgemeinde_ids=[poll.ortsgemeinde_id] if poll.ortsgemeinde_id else [],
        dedupe_key=f"polls.poll:{poll.pk}",
    )
