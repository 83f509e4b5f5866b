"""What the probe hands the platform: each function answers one capability."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.postgres.search import SearchVector
from django.db import transaction
from django.http import HttpRequest

from core.calendar import CalendarEntry
from core.maps import MapPoint
from core.modules import FeedItem
from core.search import SearchResult, excerpt, ranked
from core.tenancy import current_town
from modules.moderation.capabilities import ContentSummary
from modules.notifications.capabilities import Announcement
from tests.probe.probe_module.models import Note


def note_create(*, author: Any, text: str) -> Note:
    """Write a note and announce it (content_published, after commit)."""
    from core.signals import content_published

    note = Note.objects.create(author=author, text=text)
    town, pk = current_town(), note.pk
    transaction.on_commit(lambda: content_published.send(sender=town, kind="probe.note", object_id=pk,
                                                         ortsgemeinde_ids=[]))
    return note


def feed_items(request: HttpRequest, limit: int) -> list[FeedItem]:
    notes = Note.objects.filter(is_hidden=False).select_related("author")[:limit]
    return [FeedItem(published_at=n.created_at, kind_label="Notiz", title=n.text, summary=n.text,
                     url=n.get_absolute_url(), author=n.author.name) for n in notes]


def sample_note() -> dict[str, Any]:
    from accounts.models import Role, User

    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    return {"pk": Note.objects.create(author=admin, text="Probenotiz").pk}


def note_summary(pk: int) -> ContentSummary | None:
    note = Note.objects.filter(pk=pk).first()
    if note is None:
        return None
    return ContentSummary(author_id=note.author_id, excerpt=note.text, url=note.get_absolute_url(),
                          is_hidden=note.is_hidden)


def note_set_hidden(pk: int, hidden: bool) -> None:
    Note.objects.filter(pk=pk).update(is_hidden=hidden)


def note_delete(pk: int) -> None:
    Note.objects.filter(pk=pk).delete()


def note_visible_to(pk: int, user: Any) -> bool:
    return Note.objects.filter(pk=pk, is_hidden=False).exists()


def note_announcement(pk: int) -> Announcement | None:
    note = Note.objects.filter(pk=pk, is_hidden=False).first()
    if note is None:
        return None
    return Announcement(title=f"Neue Notiz: {note.text}", body=note.text, url=note.get_absolute_url(),
                        topic="probe.notes")


def personal_data_export(user: Any) -> dict[str, Any]:
    return {"notes": list(Note.objects.filter(author=user).order_by("pk").values("text", "created_at"))}


def personal_data_erase(user: Any) -> None:
    Note.objects.filter(author=user).delete()


def calendar_entries(start: Any, end: Any, *, ortsgemeinde_id: int | None = None) -> list[CalendarEntry]:
    """Every note is a one-hour entry at the time it was written (a public calendar source)."""
    notes = Note.objects.filter(is_hidden=False, created_at__gte=start, created_at__lt=end)
    return [CalendarEntry(uid=f"note-{n.pk}", title=n.text, start=n.created_at,
                          end=n.created_at + timedelta(hours=1), path=n.get_absolute_url()) for n in notes]


def personal_calendar_entries(user: Any, start: Any, end: Any) -> list[CalendarEntry]:
    notes = Note.objects.filter(author=user, created_at__gte=start, created_at__lt=end)
    return [CalendarEntry(uid=f"my-note-{n.pk}", title=f"Meine Notiz: {n.text}", start=n.created_at.date())
            for n in notes]


def search(request: HttpRequest, query: str, limit: int) -> list[SearchResult]:
    notes = ranked(Note.objects.filter(is_hidden=False), SearchVector("text", config="german"), query, "-pk")[:limit]
    return [SearchResult(title=n.text[:80], url=n.get_absolute_url(), kind_label="Notiz",
                         snippet=excerpt(n.text, query), date=n.created_at, rank=float(n.rank)) for n in notes]


def map_points(request: HttpRequest) -> list[MapPoint]:
    """Every visible note, pinned to the village square (the probe has no coordinates of its own)."""
    return [MapPoint(lat=50.75, lon=7.87, title=n.text, url=n.get_absolute_url(), category="Notiz")
            for n in Note.objects.filter(is_hidden=False)[:50]]
