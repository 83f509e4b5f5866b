"""What the alerts module gives the platform's shared pages: search, calendar, map (core capabilities)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.postgres.search import SearchVector
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from core.calendar import CalendarEntry
from core.maps import MapPoint
from core.search import SearchResult, excerpt, ranked
from modules.alerts.models import Notice
from modules.alerts.selectors import notice_list_current
from modules.display.capabilities import WARNINGS, ScreenItem

MAX_POINTS = 200
# Exactly the expression of the GIN index alerts_notice_search_gin.
DOCUMENT = SearchVector("title", "body", "place", config="german")


def search(request: HttpRequest, query: str, limit: int) -> list[SearchResult]:
    """Bekanntmachungen still valid today, best match first (one query)."""
    notices = ranked(
        Notice.objects.filter(valid_until__gte=timezone.localdate()), DOCUMENT, query, "valid_from", "-id"
    ).select_related("ortsgemeinde")[:limit]
    return [
        SearchResult(
            title=notice.title, url=notice.get_absolute_url(),
            kind_label=_("Official notice · %(kind)s") % {"kind": notice.get_kind_display()},
            snippet=excerpt(notice.body, query), date=notice.published_at,
            place=notice.ortsgemeinde.name if notice.ortsgemeinde_id else "", rank=float(notice.rank),
        )
        for notice in notices
    ]


def _day(moment: datetime.date) -> datetime.date:
    return timezone.localtime(moment).date() if isinstance(moment, datetime.datetime) else moment


def calendar_entries(
    start: datetime.date, end: datetime.date, *, ortsgemeinde_id: int | None = None
) -> list[CalendarEntry]:
    """Each Bekanntmachung's validity as an all-day entry (a road closed from ... to ...), one query."""
    notices = Notice.objects.filter(valid_from__lt=_day(end), valid_until__gte=_day(start))
    if ortsgemeinde_id is not None:
        notices = notices.filter(Q(ortsgemeinde_id=ortsgemeinde_id) | Q(ortsgemeinde__isnull=True))
    return [
        CalendarEntry(uid=str(n.pk), title=n.title, start=n.valid_from, end=n.calendar_end(),
                      description=n.body[:500], location=n.place, path=n.get_absolute_url(),
                      ortsgemeinde_id=n.ortsgemeinde_id, updated_at=n.updated_at)
        for n in notices.order_by("valid_from", "pk")
    ]


def map_points(request: HttpRequest) -> list[MapPoint]:
    """Current Bekanntmachungen with a place on the map (one query)."""
    return [
        MapPoint(lat=float(n.latitude), lon=float(n.longitude), title=n.title, url=n.get_absolute_url(),
                 text=n.place, category=n.get_kind_display())
        for n in notice_list_current().filter(latitude__isnull=False, longitude__isnull=False)[:MAX_POINTS]
        if n.latitude is not None and n.longitude is not None
    ]


def screen_items(ortsgemeinde_id: int | None, limit: int) -> list[ScreenItem]:
    """Current official warnings (the page banner's, most severe first) and notices for a public screen
    (display.ScreenContent): no query for the warnings while the banner is cached, one for the notices."""
    from modules.alerts.models import SEVERITY_RANK, Severity
    from modules.alerts.selectors import banner_get

    items = [
        ScreenItem(section=WARNINGS, title=warning.headline, banner=True,
                   label=str(Severity(warning.severity).label) if warning.severity in Severity.values
                   else _("Warning"),
                   priority=SEVERITY_RANK.get(warning.severity, 4),  # type: ignore[call-overload]
                   published_at=None)
        for warning in banner_get().warnings
    ]
    # Urgent notices first; a screen shows what is valid today, not what starts next week.
    today = timezone.localdate()
    for notice in notice_list_current(ortsgemeinde_id=ortsgemeinde_id).filter(valid_from__lte=today)[:limit]:
        items.append(ScreenItem(section=WARNINGS, title=notice.title, text=notice.body,
                                label=str(notice.get_kind_display()), priority=10 if notice.is_urgent else 20,
                                published_at=notice.published_at))
    return items


def bulletin_items(start: datetime.datetime, end: datetime.datetime) -> list[Any]:
    """Official warnings (NINA, DWD …) that reached the town in the issue's period and were not withdrawn,
    for the Mitteilungsblatt's town-wide section: one query."""
    from modules.alerts.models import OfficialWarning
    from modules.bulletin.capabilities import BulletinCandidate

    warnings = (OfficialWarning.objects.filter(first_seen_at__gte=start, first_seen_at__lt=end,
                                               withdrawn_at__isnull=True).order_by("first_seen_at", "pk"))
    return [BulletinCandidate(uid=f"warning:{warning.pk}", title=warning.headline,
                              text=" ".join(f"{warning.description} {warning.instruction}".split()),
                              path=warning.get_absolute_url(), date=warning.sent or warning.first_seen_at,
                              kind_label=_("Official warning: %(sender)s") % {"sender": warning.sender_name}
                              if warning.sender_name else _("Official warning"))
            for warning in warnings]
