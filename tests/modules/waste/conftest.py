"""Fixtures of the waste calendar tests: Gebhardshain (by streets) and Kausen (whole), the usual types (town A)."""

from __future__ import annotations

from pathlib import Path

import pytest

from accounts.models import Role
from modules.waste.models import PickupArea, WasteType
from modules.waste.services import area_create, waste_types_seed
from tests.accounts.factories import UserFactory
from tests.town.factories import OrtsgemeindeFactory
from town.models import Street

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def admin(in_town_a):
    return UserFactory(role=Role.ADMIN, email="waste-admin@example.org")


@pytest.fixture
def types(in_town_a) -> dict[str, WasteType]:
    waste_types_seed()
    return {kind.slug: kind for kind in WasteType.objects.all()}


@pytest.fixture
def places(in_town_a):
    gebhardshain = OrtsgemeindeFactory(name="Gebhardshain", slug="gebhardshain")
    kausen = OrtsgemeindeFactory(name="Kausen", slug="kausen")
    streets = {name: Street.objects.create(ortsgemeinde=gebhardshain, name=name, key=name.lower())
               for name in ("Hauptstraße", "Schulstraße", "Am Sportplatz")}
    return {"gebhardshain": gebhardshain, "kausen": kausen, "streets": streets}


@pytest.fixture
def areas(places, admin, types) -> dict[str, PickupArea]:
    streets = places["streets"]
    return {
        "nord": area_create(acting_user=admin, name="Gebhardshain Nord", ortsgemeinde=places["gebhardshain"],
                            streets=[streets["Hauptstraße"], streets["Schulstraße"]]),
        "sued": area_create(acting_user=admin, name="Gebhardshain Süd", ortsgemeinde=places["gebhardshain"],
                            streets=[streets["Am Sportplatz"]]),
        "kausen": area_create(acting_user=admin, name="Kausen", ortsgemeinde=places["kausen"]),
    }


@pytest.fixture
def ics_file() -> bytes:
    return (FIXTURES / "awb-gebhardshain-2027.ics").read_bytes()


@pytest.fixture(autouse=True)
def _english():
    """Messages in English, as the assertions are written (the town's default language is German)."""
    from django.utils import translation

    with translation.override("en"):
        yield

