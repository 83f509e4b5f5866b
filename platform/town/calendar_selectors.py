"""Reads for the town's calendar: the office hours as a calendar source, and whose feed a token opens."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.db.models import Q
from django.utils import timezone

from core.calendar import TOWN_TZ, CalendarEntry
from core.tenancy import connection
from town.models import CalendarSubscription, OfficeHour

_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _office_hour_entry(hour: OfficeHour) -> CalendarEntry:
    # The series begins on the first of its weekdays on or after the day it was entered, so its
    # DTSTART (and with it the apps' copy of the series) never moves.
    entered = timezone.localtime(hour.created_at, TOWN_TZ).date()
    first = entered + datetime.timedelta(days=(hour.weekday - entered.weekday()) % 7)
    place = hour.ortsgemeinde.name if hour.ortsgemeinde is not None else ""
    return CalendarEntry(
        uid=str(hour.pk),
        title=hour.title,
        start=datetime.datetime.combine(first, hour.starts_at, tzinfo=TOWN_TZ),
        end=datetime.datetime.combine(first, hour.ends_at, tzinfo=TOWN_TZ),
        description=place,
        location=hour.place,
        path="/",
        ortsgemeinde_id=hour.ortsgemeinde_id,
        rrule=f"FREQ=WEEKLY;BYDAY={_BYDAY[hour.weekday]}",
        updated_at=hour.updated_at,
    )


def office_hour_entries(start: datetime.datetime, end: datetime.datetime, *,
                        ortsgemeinde_id: int | None = None) -> list[CalendarEntry]:
    """The town's office hours and Sprechstunden as weekly series (CalendarSource "sprechzeiten"); one query."""
    hours = OfficeHour.objects.select_related("ortsgemeinde").filter(created_at__lt=end)
    if ortsgemeinde_id is not None:
        hours = hours.filter(Q(ortsgemeinde_id=ortsgemeinde_id) | Q(ortsgemeinde__isnull=True))
    return [_office_hour_entry(hour) for hour in hours]


def calendar_token_hash(token: str) -> str:
    # The schema name is hashed in too: even a row copied into another town's table opens nothing there.
    return hashlib.sha256(f"{connection.schema_name}:{token}".encode()).hexdigest()


def calendar_subscription_user(token: str) -> Any | None:
    """The active person whose personal feed `token` opens in this town, or None."""
    found = (CalendarSubscription.objects.select_related("user")
             .filter(token_hash=calendar_token_hash(token), user__is_active=True).first())
    return found.user if found is not None else None


def calendar_subscription_of(user: Any) -> CalendarSubscription | None:
    return CalendarSubscription.objects.filter(user=user).first()
