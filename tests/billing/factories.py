"""Factories for billing (public schema): a sponsor's running promotion in one of a town's slots."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from billing.models import Promotion


class PromotionFactory(factory.django.DjangoModelFactory):
    """An active promotion that started an hour ago and runs open-ended; pass `tenant` and `slot_key`."""

    class Meta:
        model = Promotion

    sponsor_organisation_id = 1
    sponsor_name = factory.Sequence(lambda n: f"Sponsor {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
