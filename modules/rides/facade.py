"""Mitfahren's public face: what the moderation module asks about a reported ride.

No model instances leave this module.
"""

from __future__ import annotations

from typing import Any

from modules.moderation.capabilities import ContentSummary


def ride_summary(pk: int) -> ContentSummary | None:
    """What moderators see of a reported offer or request: route, times and the note."""
    from modules.rides.models import Ride

    ride = Ride.objects.select_related("from_stop", "to_stop").filter(pk=pk).first()
    if ride is None:
        return None
    return ContentSummary(author_id=ride.person_id, excerpt=f"{ride}\n{ride.note}".strip(),
                          url=ride.get_absolute_url(), is_hidden=ride.is_hidden)


def ride_set_hidden(pk: int, hidden: bool) -> None:
    from modules.rides.services import ride_set_hidden as hide

    hide(ride_id=pk, hidden=hidden)


def ride_delete(pk: int) -> None:
    from modules.rides.services import ride_delete as delete

    delete(ride_id=pk)


def ride_visible_to(pk: int, user: Any) -> bool:
    from modules.rides.selectors import ride_get_visible

    return ride_get_visible(ride_id=pk, user=user) is not None
