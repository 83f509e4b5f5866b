"""Fixtures for the API tests: people, organisations and tokens in one town."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from tests.accounts.factories import user_in_town
from tests.town.factories import OrganisationFactory, OrtsgemeindeFactory


@pytest.fixture
def resident_a(town_a):
    return user_in_town(town_a, email="rita@example.org", name="Rita Resident")


@pytest.fixture
def villages_a(town_a):
    with schema_context(town_a.schema_name):
        return [
            OrtsgemeindeFactory(name="Oberdorf", slug="oberdorf", postal_codes="57518, 57520"),
            OrtsgemeindeFactory(name="Unterdorf", slug="unterdorf", postal_codes="57580"),
        ]


@pytest.fixture
def organisations_a(town_a, villages_a):
    oberdorf, unterdorf = villages_a
    with schema_context(town_a.schema_name):
        return {
            "feuerwehr": OrganisationFactory(
                name="Freiwillige Feuerwehr Oberdorf",
                slug="ff-oberdorf",
                kind="feuerwehr",
                ortsgemeinde=oberdorf,
                email="wehr@example.org",
            ),
            "verein": OrganisationFactory(
                name="Sportverein Unterdorf", slug="sv-unterdorf", kind="verein", ortsgemeinde=unterdorf
            ),
            "hidden": OrganisationFactory(
                name="Noch nicht freigegeben", slug="unapproved", kind="verein", is_approved=False
            ),
        }
