"""Factories for events: made through the services (sanitising, slugs, series end, announcements)."""

from __future__ import annotations

import datetime
from typing import Any

import factory

from core.calendar import TOWN_TZ
from modules.events import services
from modules.events.models import Event, Venue
from tests.accounts.factories import town_admin


def at(day: datetime.date, hour: int = 19, minute: int = 0) -> datetime.datetime:
    """`day` at hour:minute in the town's zone."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TOWN_TZ)


def in_days(days: int, hour: int = 19) -> datetime.datetime:
    return at(datetime.datetime.now(TOWN_TZ).date() + datetime.timedelta(days=days), hour)


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue
        django_get_or_create = ("name",)

    name = "Bürgerhaus Altdorf"
    street = "Hauptstraße 1"
    postal_code = "57580"
    locality = "Altdorf"
    latitude = 50.7354
    longitude = 7.8786


class EventFactory(factory.django.DjangoModelFactory):
    """A published event tomorrow evening (by the town's admin unless `acting_user`); `publish=False` keeps a draft."""

    class Meta:
        model = Event

    title = "Dorffest"
    starts_at = factory.LazyFunction(lambda: in_days(1, 18))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=4))
    acting_user = factory.LazyFunction(town_admin)
    publish = True

    @classmethod
    def _create(cls, model_class: type[Event], *, acting_user: Any, **fields: Any) -> Event:
        event = services.event_create(acting_user=acting_user, **fields)
        event.refresh_from_db()
        return event
