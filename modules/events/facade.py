"""The events module's public face: the ONLY thing other modules and platform code import."""

from __future__ import annotations

from typing import Any

from core.branding import town_url
from modules.events.models import Event, EventStatus
from modules.moderation.capabilities import ContentSummary
from modules.notifications.capabilities import Announcement


def event_announcement(event_id: int) -> Announcement | None:
    """How a published event is announced: to the subscribers of "events.new" in its Ortsgemeinde (or the town),
    and to the followers of the organisation that invites."""
    event = Event.objects.filter(pk=event_id, status=EventStatus.PUBLISHED, is_hidden=False).first()
    if event is None:
        return None
    return Announcement(title=event.title, body=event.starts_at.strftime("%d.%m.%Y"),
                        url=town_url(event.get_absolute_url()), topic="events.new",
                        ortsgemeinde_ids=[event.ortsgemeinde_id] if event.ortsgemeinde_id else [],
                        dedupe_key=f"events.event:{event.pk}", organisation_id=event.organisation_id)


def event_summary(pk: int) -> ContentSummary | None:
    """What the moderators see of a reported event (modules.moderation)."""
    event = Event.objects.filter(pk=pk).first()
    if event is None:
        return None
    from django.utils.html import strip_tags

    return ContentSummary(author_id=event.suggested_by_id or event.created_by_id,
                          excerpt=f"{event.title}: {strip_tags(event.description)}"[:500],
                          url=event.get_absolute_url(), is_hidden=event.is_hidden)


def event_set_hidden(pk: int, hidden: bool) -> None:
    from modules.events.services import event_set_hidden as hide

    hide(event_id=pk, hidden=hidden)


def event_delete(pk: int) -> None:
    from core.storage import delete_files_after_commit

    event = Event.objects.filter(pk=pk).first()
    if event is None:
        return
    image = event.image.name if event.image else ""
    event.delete()
    delete_files_after_commit(Event._meta.get_field("image").storage, [image])


def event_visible_to(pk: int, user: Any) -> bool:
    return Event.objects.filter(pk=pk, status=EventStatus.PUBLISHED).exists()


def events_open_for_registration(*, limit: int = 30) -> list[tuple[int, str, Any]]:
    """(id, title, start) of upcoming public events that take registrations, soonest first ([] while the
    events module is off: nothing is asked of its tables then)."""
    from django.utils import timezone

    from core.access import tenant_has_module

    if not tenant_has_module("events"):
        return []
    events = (Event.objects.filter(status=EventStatus.PUBLISHED, is_hidden=False, registration_enabled=True,
                                   starts_at__gte=timezone.now()).order_by("starts_at", "pk")[:limit])
    return [(event.pk, event.title, event.starts_at) for event in events]


def event_register_for(*, event_id: int, person: Any, places: int = 1) -> str:
    """Register `person` (someone a Digitallotse helps, with their consent) for the event's next date, as if
    they had done it themselves: they get the confirmation and can cancel. Returns "confirmed" or "waiting";
    raises ValidationError with the reason in the reader's language. Does nothing ("") while the module is off."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from core.access import tenant_has_module
    from modules.events.services import registration_create

    if not tenant_has_module("events"):
        return ""
    event = Event.objects.filter(pk=event_id, status=EventStatus.PUBLISHED, is_hidden=False).first()
    if event is None:
        raise ValidationError(_("This event is not open for registration."))
    registration, _token = registration_create(event=event, acting_user=person, places=places)
    return str(registration.status)
