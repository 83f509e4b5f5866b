"""Mitbringdienst (core.personal_data).

- errands.ErrandRequest they asked for, nobody accepted
  export: items, shop, times, note, amounts
  erase: deleted
- errands.ErrandRequest they asked for, a neighbour accepted
  export: (as above)
  erase: **kept, anonymised**: the helper keeps the record of what they did; the note (addresses, phone numbers) is
    emptied; if it was only accepted, it is cancelled, so nobody shops for an account that is gone
- errands.ErrandRequest they accepted as helper
  export: shop, times, status (not the other person's items or note)
  erase: kept (the requester's); if only accepted, it goes back to open, so another neighbour can help
- errands.Trip they announced
  export: destination, shop, departure, note
  erase: deleted; requests that joined it stay, without the trip
- errands.ErrandEvent they caused
  export: (part of the requests above)
  erase: kept in the other person's history, as the emptied account
- errands.ErrandComment they wrote
  export: text, date
  erase: deleted: these messages carry addresses and phone numbers, and their purpose, arranging the handover, ends
    with the account
- errands.ErrandReport they filed
  export: reason, date
  erase: **kept**: the moderators' record of a notice (as moderation reports)
- errands.ErrandBlock they set or that names them
  export: dates, not whom
  erase: deleted
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from modules.errands.models import (
    ErrandBlock,
    ErrandComment,
    ErrandEvent,
    ErrandEventKind,
    ErrandReport,
    ErrandRequest,
    ErrandStatus,
    Trip,
)


def export(user: Any) -> dict[str, Any]:
    return {
        "requests": list(ErrandRequest.objects.filter(requester=user).order_by("pk").values(
            "id", "items", "shop_name", "window_start", "window_end", "ortsgemeinde__name", "note",
            "estimated_amount_cents", "spent_amount_cents", "status", "created_at")),
        "helped_with": list(ErrandRequest.objects.filter(helper=user).exclude(requester=user).order_by("pk")
                            .values("id", "shop_name", "window_start", "window_end", "status")),
        "trips": list(Trip.objects.filter(helper=user).order_by("pk").values(
            "destination", "shop_name", "departure_at", "capacity", "note", "is_cancelled", "created_at")),
        "comments": list(ErrandComment.objects.filter(author=user).order_by("pk")
                         .values("request_id", "text", "created_at")),
        "reports": list(ErrandReport.objects.filter(reporter=user).order_by("pk")
                        .values("request_id", "reason", "created_at")),
        "blocked_people": list(ErrandBlock.objects.filter(blocker=user).order_by("pk").values("created_at")),
    }


def erase(user: Any) -> None:
    own = ErrandRequest.objects.filter(requester=user)
    own.filter(helper__isnull=True).delete()
    accepted = list(own.filter(status=ErrandStatus.ACCEPTED).values_list("pk", flat=True))
    own.filter(pk__in=accepted).update(status=ErrandStatus.CANCELLED)
    ErrandEvent.objects.bulk_create(ErrandEvent(request_id=pk, kind=ErrandEventKind.CANCELLED) for pk in accepted)
    own.update(note="")

    helping = list(ErrandRequest.objects.filter(helper=user, status=ErrandStatus.ACCEPTED)
                   .values_list("pk", flat=True))
    ErrandRequest.objects.filter(pk__in=helping).update(helper=None, trip=None, status=ErrandStatus.OPEN)
    ErrandEvent.objects.bulk_create(ErrandEvent(request_id=pk, kind=ErrandEventKind.RELEASED) for pk in helping)

    Trip.objects.filter(helper=user).delete()
    ErrandComment.objects.filter(author=user).delete()
    ErrandBlock.objects.filter(Q(blocker=user) | Q(blocked=user)).delete()
