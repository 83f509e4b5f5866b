"""Factories for the Mitbringdienst: requests and trips made through the services (limits and checks included)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory

from accounts.models import User
from modules.errands import services
from modules.errands.models import ErrandRequest, Trip
from tests.accounts.factories import UserFactory
from tests.modules.errands.helpers import soon


class ErrandFactory(factory.django.DjangoModelFactory):
    """An open request of `requester`: bread from the bakery, in two hours for six hours."""

    class Meta:
        model = ErrandRequest

    requester = factory.SubFactory(UserFactory)
    items = "1 Roggenbrot\n6 Brötchen"
    shop_name = "Bäckerei Becker"
    window_start = factory.LazyFunction(soon)
    window_end = factory.LazyAttribute(lambda o: o.window_start + timedelta(hours=6))

    @classmethod
    def _create(cls, model_class: type[ErrandRequest], *, requester: User, **fields: Any) -> ErrandRequest:
        return services.errand_request_create(acting_user=requester, **fields)


class TripFactory(factory.django.DjangoModelFactory):
    """A trip `helper` offers: to Betzdorf tomorrow-ish (in 20 hours), room for two errands."""

    class Meta:
        model = Trip

    helper = factory.SubFactory(UserFactory)
    destination = "Betzdorf"
    departure_at = factory.LazyFunction(lambda: soon(20))
    capacity = 2

    @classmethod
    def _create(cls, model_class: type[Trip], *, helper: User, **fields: Any) -> Trip:
        return services.trip_create(acting_user=helper, **fields)
