"""Factories for the Branchenbuch: businesses registered and approved through the services, branches."""

from __future__ import annotations

from typing import Any

import factory

from accounts.models import User
from core import opening_hours
from modules.directory import services
from modules.directory.models import Business, BusinessCategory
from tests.accounts.factories import UserFactory, town_admin


class BusinessCategoryFactory(factory.django.DjangoModelFactory):
    """A branch by slug: one of the town's seeded ones (baeckerei, hofladen ...) or a new one."""

    class Meta:
        model = BusinessCategory
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"branche-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())

    @classmethod
    def _create(cls, model_class: type[BusinessCategory], *args: Any, **kwargs: Any) -> BusinessCategory:
        services.categories_seed()  # the town's usual branches exist before any test asks for one
        return super()._create(model_class, *args, **kwargs)


class BusinessFactory(factory.django.DjangoModelFactory):
    """A business that `owner` registered, approved by the town unless `approve=False`; `hours` replaces its
    opening hours, `categories` names branches by slug."""

    class Meta:
        model = Business

    name = "Bäckerei Schmidt"
    owner = factory.SubFactory(UserFactory)
    approve = True
    hours: Any = None
    categories: Any = ()

    @classmethod
    def _create(cls, model_class: type[Business], *, owner: User, approve: bool,
                hours: list[opening_hours.Interval] | None, categories: tuple[str, ...], **fields: Any) -> Business:
        business = services.business_register(
            acting_user=owner, categories=[BusinessCategoryFactory(slug=slug) for slug in categories], **fields
        )
        if approve:
            services.business_approve(business=business, acting_user=town_admin())
        if hours is not None:
            services.opening_hours_replace(business=business, acting_user=owner, intervals=hours)
        business.refresh_from_db()
        return business
