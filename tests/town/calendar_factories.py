"""Factories for the town's office hours (they write into whatever town schema is active)."""

from __future__ import annotations

import datetime

import factory

from town.models import OfficeHour


class OfficeHourFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficeHour

    weekday = 1
    starts_at = datetime.time(9, 0)
    ends_at = datetime.time(12, 0)
    title = factory.Sequence(lambda n: f"Sprechstunde {n}")
    place = "Rathaus, Zimmer 1"
