"""Factories for Suche & Biete: listings made through the services (checks, moderation, saved-search hits)."""

from __future__ import annotations

from typing import Any

import factory
from django.utils.text import slugify

from accounts.models import User
from modules.marketplace import services
from modules.marketplace.models import Category, Listing, ListingKind, ListingType, PriceMode
from tests.accounts.factories import town_admin


class CategoryFactory(factory.django.DjangoModelFactory):
    """A category by name: one of the town's seeded ones (Garten, Haushalt ...) or a new one."""

    class Meta:
        model = Category
        django_get_or_create = ("name",)

    name = "Garten"
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class ListingFactory(factory.django.DjangoModelFactory):
    """A lawnmower for sale at 25 euros, offered by `owner` (the town's admin unless told)."""

    class Meta:
        model = Listing

    owner = factory.LazyFunction(town_admin)
    kind = ListingKind.OFFER
    listing_type = ListingType.SELL
    title = "Rasenmäher"
    description = "Benzin-Rasenmäher, läuft gut."
    price_mode = PriceMode.FIXED
    price_cents = 2500

    @classmethod
    def _create(cls, model_class: type[Listing], *, owner: User, **fields: Any) -> Listing:
        listing = services.listing_create(acting_user=owner, **fields)
        listing.refresh_from_db()
        return listing
