"""Factories for Rathaus & Bürgerservice, made through the module's services (slugs, search index, checks)."""

from __future__ import annotations

import datetime
from typing import Any

import factory

from modules.services import services
from modules.services.models import FoundItem, Office, Service
from tests.accounts.factories import town_admin

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class OfficeFactory(factory.django.DjangoModelFactory):
    """An office; `hours=[(weekday, "08:30", "12:00"), ...]` become its weekly hours (town OfficeHour rows)."""

    class Meta:
        model = Office

    name = factory.Sequence(lambda n: f"Bürgerbüro {n}")
    hours: Any = ()

    @classmethod
    def _create(cls, model_class: type[Office], *, hours: Any, **fields: Any) -> Office:
        admin = town_admin()
        office = services.office_create(acting_user=admin, data=fields)
        for weekday, opens, closes in hours:
            services.office_hour_add(office=office, acting_user=admin, weekday=weekday,
                                     starts_at=datetime.time.fromisoformat(opens),
                                     ends_at=datetime.time.fromisoformat(closes))
        return office


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    title = factory.Sequence(lambda n: f"Leistung {n}")

    @classmethod
    def _create(cls, model_class: type[Service], **fields: Any) -> Service:
        return services.service_create(acting_user=town_admin(), data=fields)


class FoundItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FoundItem

    title = "Schlüsselbund"
    place_found = "Marktplatz"
    found_on = factory.LazyFunction(services.today_local)

    @classmethod
    def _create(cls, model_class: type[FoundItem], **fields: Any) -> FoundItem:
        photo, alt = fields.pop("photo", None), fields.pop("photo_alt", "")
        return services.found_item_create(acting_user=town_admin(), data=fields, photo=photo, photo_alt=alt)
