"""Factories of the waste calendar (current town schema). Areas and pickups are plain rows: their services
only add admin checks and the street rule, which the tests of those services exercise themselves."""

from __future__ import annotations

import datetime

import factory

from modules.waste.models import Pickup, PickupArea, WasteHome, WasteType
from tests.town.factories import OrtsgemeindeFactory


class WasteTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WasteType
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Abfall {n}")
    slug = factory.Sequence(lambda n: f"abfall-{n}")
    colour = "#3f3f46"


class PickupAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PickupArea

    name = factory.Sequence(lambda n: f"Bezirk {n}")
    slug = factory.Sequence(lambda n: f"bezirk-{n}")
    ortsgemeinde = factory.SubFactory(OrtsgemeindeFactory)


class PickupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pickup

    area = factory.SubFactory(PickupAreaFactory)
    waste_type = factory.SubFactory(WasteTypeFactory)
    date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=1))


class WasteHomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WasteHome

    area = factory.SubFactory(PickupAreaFactory)
    reminder_on = True
    reminder_time = datetime.time(19)
