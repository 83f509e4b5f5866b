"""Factories for Mitfahren: stops directly (town data), rides and bookings through the services."""

from __future__ import annotations

import datetime
from typing import Any

import factory

from accounts.models import User
from modules.rides import services
from modules.rides.models import Booking, Ride, Stop, StopKind
from tests.accounts.factories import UserFactory
from tests.modules.rides.helpers import next_weekday


class StopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stop

    name = factory.Sequence(lambda n: f"Haltestelle {n}")
    kind = StopKind.CENTRE
    latitude = 50.75
    longitude = 7.87


class RideFactory(factory.django.DjangoModelFactory):
    """An offer of `person`: next Tuesday 07:15, 3 seats, 3 km detour (give from_stop and to_stop)."""

    class Meta:
        model = Ride

    person = factory.SubFactory(UserFactory)
    kind = "offer"
    date = factory.LazyFunction(lambda: next_weekday(1))
    time = datetime.time(7, 15)
    seats = 3
    detour_km = 3

    @classmethod
    def _create(cls, model_class: type[Ride], *, person: User, **fields: Any) -> Ride:
        if fields.get("weekdays"):
            fields["date"] = None
        return services.ride_create(acting_user=person, **fields)


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    passenger = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class: type[Booking], *, passenger: User, ride: Ride, **fields: Any) -> Booking:
        day = fields.pop("day", None) or ride.next_dates(1)[0]
        return services.booking_create(ride=ride, day=day, acting_user=passenger, **fields)
