"""Reads of the town's places: which Ortsgemeinde a point lies in, and which street a typed address names.

These are the reusable pieces for every module that takes a location (Mängelmelder, Abfallkalender,
rides): a map pin goes through :func:`ortsgemeinde_at`, and the non-map alternative every such form
must offer, a typed address, through :func:`address_matches` (or town.forms.AddressField).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, QuerySet

from town.models import Ortsgemeinde, OrtsgemeindeBoundary, Street
from town.places import address_split, place_key, point_in_area, street_key


def ortsgemeinde_at(*, lat: float, lon: float) -> Ortsgemeinde | None:
    """The Ortsgemeinde whose uploaded boundary holds the point, or None (one query)."""
    candidates = OrtsgemeindeBoundary.objects.filter(
        min_lat__lte=lat, max_lat__gte=lat, min_lon__lte=lon, max_lon__gte=lon
    ).select_related("ortsgemeinde").order_by("ortsgemeinde__name")
    for boundary in candidates:
        if point_in_area(lon, lat, boundary.area):
            return boundary.ortsgemeinde
    return None


@dataclass(frozen=True)
class AddressMatch:
    street: Street  # with .ortsgemeinde loaded
    number: str  # the house number as typed ("5a"), or ""

    @property
    def ortsgemeinde(self) -> Ortsgemeinde:
        return self.street.ortsgemeinde

    def __str__(self) -> str:
        return f"{self.street.name} {self.number}, {self.street.ortsgemeinde.name}".replace(" ,", ",")


def _place_matches(ortsgemeinde: Ortsgemeinde, place: str, postal_code: str) -> bool:
    if postal_code and postal_code not in ortsgemeinde.postal_codes:
        return False
    if not place:
        return True
    wanted = place_key(place)
    name = place_key(ortsgemeinde.name)
    # "Steinebach" names "Steinebach/Sieg"; the slug ("steinebach-sieg") works too.
    first_word = place_key(ortsgemeinde.name.replace("/", " ").replace("(", " ").split()[0])
    return wanted in (name, first_word, place_key(ortsgemeinde.slug))


def address_matches(text: str, *, ortsgemeinde_id: int | None = None) -> list[AddressMatch]:
    """The streets a typed address can mean ("Hauptstr. 5", "Hauptstraße 5, Elkenroth"), in one query.

    One match: found. Several: the street exists in several villages and the address named none
    (ask which). None: unknown street, or not in the named (or given) Ortsgemeinde.
    """
    typed = address_split(text)
    key = street_key(typed.street)
    if not key:
        return []
    streets = Street.objects.filter(key=key).select_related("ortsgemeinde").order_by("ortsgemeinde__name")
    if ortsgemeinde_id is not None:
        streets = streets.filter(ortsgemeinde_id=ortsgemeinde_id)
    return [
        AddressMatch(street=street, number=typed.number)
        for street in streets
        if _place_matches(street.ortsgemeinde, typed.place, typed.postal_code)
    ]


def places_overview() -> QuerySet[Ortsgemeinde]:
    """Ortsgemeinden with ``has_boundary`` and ``street_count`` for the back office (one query)."""
    return Ortsgemeinde.objects.annotate(
        has_boundary=Exists(OrtsgemeindeBoundary.objects.filter(ortsgemeinde=OuterRef("pk"))),
        street_count=Count("streets"),
    ).order_by("name")


def street_list(*, ortsgemeinde: Ortsgemeinde) -> QuerySet[Street]:
    return Street.objects.filter(ortsgemeinde=ortsgemeinde).order_by("name")
