"""Writes of the town's places: the Ortsgemeinden's boundaries (GeoJSON) and street lists (CSV).

Both imports check the whole file first and change nothing when anything in it is wrong; a new
upload replaces the old data (no duplicates: streets are kept by their normalised name).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.page_cache import generation_bump
from town.models import Ortsgemeinde, OrtsgemeindeBoundary, Street
from town.places import bbox_of, boundaries_parse, names_list, place_key, street_key, streets_parse


@dataclass(frozen=True)
class BoundaryImport:
    saved: list[str]  # names of the Ortsgemeinden that got a boundary
    without: list[str]  # names of the Ortsgemeinden that still have none


@transaction.atomic
def boundaries_import(*, data: bytes, name_property: str = "") -> BoundaryImport:
    """Give each Ortsgemeinde named in the GeoJSON its area (replacing an older one).

    A feature is matched by its name (the `name_property`, or a usual one such as name or GEN) to an
    Ortsgemeinde's name or short name, ignoring case, umlaut spelling and "Ortsgemeinde"/"Stadt".
    A name that matches no Ortsgemeinde fails the whole import, so a typo can't leave a village out
    unnoticed.
    """
    features = boundaries_parse(data, name_property=name_property)
    villages = list(Ortsgemeinde.objects.order_by("name"))
    by_key = {place_key(v.name): v for v in villages} | {place_key(v.slug): v for v in villages}
    unknown = [f.name for f in features if place_key(f.name) not in by_key]
    if unknown:
        raise ValidationError(
            _("These areas match no Ortsgemeinde: %(names)s. Check the spelling, or add the Ortsgemeinde first.")
            % {"names": names_list(unknown)}
        )
    saved: dict[int, str] = {}
    for feature in features:
        village = by_key[place_key(feature.name)]
        box = bbox_of(feature.area)
        OrtsgemeindeBoundary.objects.update_or_create(
            ortsgemeinde=village,
            defaults={"area": feature.area, "min_lat": box.min_lat, "max_lat": box.max_lat,
                      "min_lon": box.min_lon, "max_lon": box.max_lon},
        )
        saved[village.pk] = village.name
    with_boundary = set(OrtsgemeindeBoundary.objects.values_list("ortsgemeinde_id", flat=True))
    return BoundaryImport(
        saved=sorted(saved.values()),
        without=[v.name for v in villages if v.pk not in with_boundary],
    )


@dataclass(frozen=True)
class StreetImport:
    added: int
    removed: int
    kept: int
    duplicates: int  # lines that repeated a street of the same file


@transaction.atomic
def streets_import(*, ortsgemeinde: Ortsgemeinde, data: bytes) -> StreetImport:
    """Make the CSV file the Ortsgemeinde's street list: new names are added, missing ones removed."""
    rows, duplicates = streets_parse(data)
    existing = {street.key: street for street in Street.objects.filter(ortsgemeinde=ortsgemeinde)}
    wanted = {street_key(row.name): row for row in rows}
    added = [Street(ortsgemeinde=ortsgemeinde, name=row.name, key=key, postal_code=row.postal_code)
             for key, row in wanted.items() if key not in existing]
    changed = []
    for key, street in existing.items():
        row = wanted.get(key)
        if row is not None and (street.name, street.postal_code) != (row.name, row.postal_code):
            street.name, street.postal_code = row.name, row.postal_code
            changed.append(street)
    gone = [street.pk for key, street in existing.items() if key not in wanted]
    Street.objects.filter(pk__in=gone).delete()
    Street.objects.bulk_update(changed, ["name", "postal_code"])
    Street.objects.bulk_create(added)
    generation_bump("town")  # bulk writes send no signal: pages that cache street names (waste) read them anew
    return StreetImport(added=len(added), removed=len(gone), kept=len(wanted) - len(added), duplicates=duplicates)
