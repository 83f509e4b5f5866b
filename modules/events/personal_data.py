"""Events (core.personal_data).

- events.Registration (``user``)
  export: event, date, places, answers, status, dates
  erase: deleted (places freed, the waiting list moves up as on any cancellation)
- events.SavedEvent (``user``)
  export: event, date, when saved
  erase: deleted
- events.Event they created or suggested (``created_by``, ``suggested_by``)
  export: title, dates, status
  erase: **kept**, the links to the person cleared. A published event is the town's or an
  organisation's content; a suggestion that nobody accepted yet is theirs alone and is deleted.
"""

from __future__ import annotations

from typing import Any

from modules.events.models import Event, EventStatus, Registration, RegistrationStatus, SavedEvent


def export(user: Any) -> dict[str, Any]:
    registrations = list(Registration.objects.filter(user=user).order_by("pk").values(
        "event__title", "event__starts_at", "occurrence_date", "name", "email", "places", "answers", "status",
        "created_at", "cancelled_at"))
    events = list(Event.objects.filter(created_by=user).order_by("pk").values(
        "title", "starts_at", "ends_at", "status", "created_at"))
    suggested = list(Event.objects.filter(suggested_by=user).order_by("pk").values(
        "title", "description", "starts_at", "status", "created_at", "image"))
    saved = list(SavedEvent.objects.filter(user=user).order_by("pk").values(
        "event__title", "occurrence_date", "created_at"))
    return {"registrations": registrations, "saved": saved, "events": events, "suggestions": suggested,
            "files": [row["image"] for row in suggested if row["image"]]}


def erase(user: Any) -> None:
    from modules.events.services import registration_cancel

    for registration in Registration.objects.filter(user=user).exclude(status=RegistrationStatus.CANCELLED):
        registration_cancel(registration=registration)  # frees the places for the waiting list
    Registration.objects.filter(user=user).delete()
    SavedEvent.objects.filter(user=user).delete()
    from core.storage import delete_files_after_commit

    pending = Event.objects.filter(suggested_by=user, status__in=[EventStatus.SUGGESTED, EventStatus.REJECTED])
    delete_files_after_commit(Event._meta.get_field("image").storage,
                              [name for name in pending.values_list("image", flat=True) if name])
    pending.delete()
    Event.objects.filter(suggested_by=user).update(suggested_by=None)
    Event.objects.filter(created_by=user).update(created_by=None)
