"""The demo town's places agree with its businesses: the map, a point's Ortsgemeinde and typed addresses."""

from __future__ import annotations

from django_tenants.utils import tenant_context

from demo import data
from tests.test_commands import demo_town  # noqa: F401 (the fixture that loads the demo)


def test_demo_places_agree_with_the_demo_businesses(demo_town):  # noqa: F811
    from modules.directory.models import Business
    from town.places_selectors import address_matches, ortsgemeinde_at

    with tenant_context(demo_town):
        # every demo business with a position lies in the Ortsgemeinde it names, where the demo has a boundary
        businesses = Business.objects.filter(latitude__isnull=False, ortsgemeinde__slug__in=data.PLACES)
        assert businesses.count() >= 4
        for business in businesses:
            found = ortsgemeinde_at(lat=float(business.latitude), lon=float(business.longitude))
            assert found == business.ortsgemeinde, business.name
        [match] = address_matches("Birkenweg 3, Elkenroth")
        assert match.ortsgemeinde.slug == "elkenroth"
        assert len(address_matches("Hauptstr. 1")) == 3  # Gebhardshain, Steinebach/Sieg, Elkenroth
