"""Factories for the town's own data: Ortsgemeinden, organisations and their members (current schema)."""

from __future__ import annotations

import factory

from town.models import (
    MembershipRole,
    Organisation,
    OrganisationKind,
    OrganisationMembership,
    Ortsgemeinde,
    ResidentProfile,
)


class OrtsgemeindeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ortsgemeinde

    name = factory.Sequence(lambda n: f"Ort {n}")
    slug = factory.Sequence(lambda n: f"ort-{n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Verein {n}")
    slug = factory.Sequence(lambda n: f"verein-{n}")
    kind = OrganisationKind.VEREIN


class MembershipFactory(factory.django.DjangoModelFactory):
    """Someone who edits (or with role="manager": manages) an organisation's page and news."""

    class Meta:
        model = OrganisationMembership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory("tests.accounts.factories.UserFactory")
    role = MembershipRole.EDITOR


class ResidentProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResidentProfile

    user = factory.SubFactory("tests.accounts.factories.UserFactory")
    ortsgemeinde = factory.SubFactory(OrtsgemeindeFactory)
