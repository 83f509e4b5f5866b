"""Writes for the town's calendar: office hours, and a person's personal feed link."""

from __future__ import annotations

import secrets
from datetime import time
from typing import Any

from django.db import transaction
from django.utils.crypto import salted_hmac

from core.tenancy import connection
from town.calendar_selectors import calendar_token_hash
from town.models import CalendarSubscription, OfficeHour, Ortsgemeinde


def office_hour_create(*, weekday: int, starts_at: time, ends_at: time, title: str, place: str = "",
                       ortsgemeinde: Ortsgemeinde | None = None) -> OfficeHour:
    hour = OfficeHour(weekday=weekday, starts_at=starts_at, ends_at=ends_at, title=title.strip(),
                      place=place.strip(), ortsgemeinde=ortsgemeinde)
    hour.full_clean()
    hour.save()
    return hour


def office_hour_delete(*, hour: OfficeHour) -> None:
    hour.delete()


def calendar_token(subscription: CalendarSubscription) -> str:
    """The secret part of a person's feed URL.

    Derived (HMAC with the server's secret key) rather than stored, so the account page can show
    the link again while the database holds only its hash: a copy of the database alone opens no feed.
    """
    value = f"{connection.schema_name}:{subscription.user_id}:{subscription.salt}"
    return salted_hmac("dorfkern.calendar-feed", value, algorithm="sha256").hexdigest()[:40]


@transaction.atomic
def calendar_subscription_renew(*, user: Any) -> CalendarSubscription:
    """A new personal feed link for `user`; any earlier one stops working."""
    subscription = CalendarSubscription.objects.select_for_update().filter(user=user).first()
    if subscription is None:
        subscription = CalendarSubscription(user=user)
    subscription.salt = secrets.token_hex(16)
    subscription.token_hash = calendar_token_hash(calendar_token(subscription))
    subscription.save()
    return subscription


def calendar_subscription_revoke(*, user: Any) -> None:
    """The personal feed link of `user` stops working (the feed then answers 404)."""
    CalendarSubscription.objects.filter(user=user).delete()
