"""Places without a database: reading the town's GeoJSON and street lists, normalising street names,
splitting a typed address, and testing whether a point lies in a polygon.

Pure Python on purpose: the platform runs without PostGIS, an Ortsgemeinde's outline has a few
hundred to a few thousand corners, and a point test on that takes well under a millisecond once a
bounding box has ruled out the other villages (town.places_selectors does that in SQL).

Coordinates follow GeoJSON: a position is [longitude, latitude] in WGS 84 (EPSG:4326). A polygon
is a list of rings, the outer ring first and holes after it; an area is a list of polygons.
"""

from __future__ import annotations

import csv
import json
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

Ring = list[list[float]]
Polygon = list[Ring]
Area = list[Polygon]

BOUNDARY_MAX_BYTES = 5 * 1024 * 1024
BOUNDARY_MAX_FEATURES = 200
BOUNDARY_MAX_POSITIONS = 250_000
STREETS_MAX_BYTES = 1024 * 1024
STREETS_MAX_ROWS = 5000
STREET_NAME_MAX_LENGTH = 150
# Property names tried, in this order, when the town names none (GEN is the name in the
# official VG250 files of the Bundesamt für Kartographie und Geodäsie).
NAME_PROPERTIES = ("name", "Name", "NAME", "GEN", "gen", "ortsgemeinde", "Ortsgemeinde", "gemeinde", "Gemeinde")
_MAX_ERRORS_SHOWN = 10


# --- names --------------------------------------------------------------------------

_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u"})
_STREET_WORD = re.compile(r"(strasse|str\.?)(?=[\s\-.]|$)")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def _fold(text: str) -> str:
    # casefold turns ß into ss; "Müller", "Mueller" and "Muller" all become "muller".
    text = unicodedata.normalize("NFC", text).casefold().translate(_UMLAUTS)
    return text.replace("ae", "a").replace("oe", "o").replace("ue", "u")


def street_key(name: str) -> str:
    """A street name reduced for matching: "Hauptstr. ", "Haupt-Straße" and "hauptstrasse" agree."""
    return _NOT_ALNUM.sub("", _STREET_WORD.sub("str", _fold(name)))


def place_key(name: str) -> str:
    """An Ortsgemeinde's name reduced for matching ("Ortsgemeinde Steinebach/Sieg" → "steinebachsieg")."""
    name = re.sub(r"^\s*(ortsgemeinde|gemeinde|stadt|og)\s+", "", name.strip(), flags=re.IGNORECASE)
    return _NOT_ALNUM.sub("", _fold(name))


@dataclass(frozen=True)
class TypedAddress:
    street: str  # as typed, without the number
    number: str  # "5", "5a", "12-14" or ""
    place: str  # the part after the first comma without a postal code, or ""
    postal_code: str


_NUMBER = re.compile(r"^(?P<street>.*?\D)\s*(?P<number>\d+\s*[a-zA-Z]?(?:\s*[-/]\s*\d+\s*[a-zA-Z]?)?)\s*$")


def address_split(text: str) -> TypedAddress:
    """Split "Hauptstr. 5a, 57578 Elkenroth" into street, house number, place and postal code."""
    head, _comma, tail = text.strip().partition(",")
    head = head.strip()
    found = _NUMBER.match(head)
    street, number = (found["street"].strip(), re.sub(r"\s+", "", found["number"])) if found else (head, "")
    tail = tail.strip()
    postal = re.search(r"\b(\d{5})\b", tail)
    place = re.sub(r"\b\d{5}\b", "", tail).strip(" ,")
    return TypedAddress(street=street, number=number, place=place, postal_code=postal.group(1) if postal else "")


# --- geometry -------------------------------------------------------------------------


def _in_ring(lon: float, lat: float, ring: Ring) -> bool:
    # Ray casting: count the edges a ray from the point to the east crosses.
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def point_in_area(lon: float, lat: float, area: Area) -> bool:
    """True when the point lies in one of the area's polygons and in none of that polygon's holes."""
    for polygon in area:
        if polygon and _in_ring(lon, lat, polygon[0]) and not any(_in_ring(lon, lat, hole) for hole in polygon[1:]):
            return True
    return False


@dataclass(frozen=True)
class BBox:
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float


def bbox_of(area: Area) -> BBox:
    lons = [p[0] for polygon in area for p in polygon[0]]
    lats = [p[1] for polygon in area for p in polygon[0]]
    return BBox(min(lons), min(lats), max(lons), max(lats))


# --- reading the town's GeoJSON ---------------------------------------------------------


@dataclass
class BoundaryFeature:
    name: str  # the value of the name property, as in the file
    area: Area = field(default_factory=list)


class _Invalid(Exception):
    pass


def _position(value: object) -> list[float]:
    if (not isinstance(value, list) or len(value) < 2
            or not all(isinstance(n, (int, float)) and not isinstance(n, bool) for n in value[:2])):
        raise _Invalid(_("a corner is not a pair of numbers"))
    lon, lat = float(value[0]), float(value[1])
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise _Invalid(_(
            "the coordinates are not longitude and latitude (WGS 84). Please save the file as GeoJSON "
            "in EPSG:4326, for example with QGIS."
        ))
    return [lon, lat]


def _polygon(value: object) -> Polygon:
    if not isinstance(value, list) or not value:
        raise _Invalid(_("a polygon has no outline"))
    rings = []
    for raw in value:
        if not isinstance(raw, list):
            raise _Invalid(_("a polygon has no outline"))
        ring = [_position(p) for p in raw]
        if ring and ring[0] != ring[-1]:
            ring.append(list(ring[0]))  # tolerate an outline that isn't closed
        if len(ring) < 4:
            raise _Invalid(_("an outline has fewer than three corners"))
        rings.append(ring)
    return rings


def _area(geometry: object) -> Area:
    if not isinstance(geometry, dict):
        raise _Invalid(_("it has no geometry"))
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon":
        return [_polygon(coordinates)]
    if kind == "MultiPolygon" and isinstance(coordinates, list) and coordinates:
        return [_polygon(polygon) for polygon in coordinates]
    raise _Invalid(_("its geometry is a %(kind)s, not an area (Polygon or MultiPolygon)") % {"kind": kind or "?"})


def _feature_name(properties: dict, name_property: str) -> str:
    names = (name_property,) if name_property else NAME_PROPERTIES
    for key in names:
        value = properties.get(key)
        if isinstance(value, (str, int)) and str(value).strip():
            return str(value).strip()
    return ""


def boundaries_parse(data: bytes, *, name_property: str = "") -> list[BoundaryFeature]:
    """The areas of a GeoJSON FeatureCollection, by the name each carries; ValidationError in plain German.

    Features with the same name are joined into one area (a village in two parts).
    """
    if len(data) > BOUNDARY_MAX_BYTES:
        raise ValidationError(_("The file is larger than %(size)s MB.") % {"size": BOUNDARY_MAX_BYTES // (1024 * 1024)})
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise ValidationError(_("The file is not a GeoJSON file (it could not be read as JSON).")) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection" \
            or not isinstance(document.get("features"), list):
        raise ValidationError(_("The file must contain a GeoJSON FeatureCollection."))
    features = document["features"]
    if not features:
        raise ValidationError(_("The file contains no areas."))
    if len(features) > BOUNDARY_MAX_FEATURES:
        raise ValidationError(_("The file contains more than %(count)s areas.") % {"count": BOUNDARY_MAX_FEATURES})
    found: dict[str, BoundaryFeature] = {}
    errors: list[str] = []
    positions = 0
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        name = _feature_name(properties if isinstance(properties, dict) else {}, name_property)
        label = f"„{name}“" if name else _("Area no. %(number)s") % {"number": number}
        if not name:
            errors.append(_("%(area)s has no name (property “%(property)s”).")
                          % {"area": label, "property": name_property or "name"})
            continue
        try:
            area = _area(feature.get("geometry"))
        except _Invalid as problem:
            errors.append(_("%(area)s cannot be used: %(problem)s.") % {"area": label, "problem": problem})
            continue
        positions += sum(len(ring) for polygon in area for ring in polygon)
        if positions > BOUNDARY_MAX_POSITIONS:
            raise ValidationError(_("The areas have more than %(count)s corners in all; please simplify them.")
                                  % {"count": f"{BOUNDARY_MAX_POSITIONS:,}".replace(",", ".")})
        found.setdefault(place_key(name), BoundaryFeature(name)).area.extend(area)
    if errors:
        raise ValidationError(errors[:_MAX_ERRORS_SHOWN])
    return list(found.values())


# --- reading the town's street list ---------------------------------------------------------


@dataclass(frozen=True)
class StreetRow:
    name: str
    postal_code: str = ""


_STREET_HEADERS = {"strasse", "str", "strassenname", "name", "street", "bezeichnung"}
_POSTAL_HEADERS = {"plz", "postleitzahl", "postalcode", "zip"}


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # Excel's "CSV" on German Windows


def streets_parse(data: bytes) -> tuple[list[StreetRow], int]:
    """The streets of a CSV file (one a line; a header row and a PLZ column are optional), and how
    many lines repeated a street already read. ValidationError names the lines that are wrong."""
    if len(data) > STREETS_MAX_BYTES:
        raise ValidationError(_("The file is larger than %(size)s MB.") % {"size": STREETS_MAX_BYTES // (1024 * 1024)})
    text = _decode(data)
    if "\0" in text:
        raise ValidationError(_("The file is not a CSV text file."))
    lines = text.splitlines()
    delimiter = max(";,\t", key=lambda d: sum(line.count(d) for line in lines[:20]))
    rows = list(csv.reader(lines, delimiter=delimiter))
    street_col, postal_col, start = 0, None, 0
    if rows and rows[0]:
        header = [_NOT_ALNUM.sub("", _fold(cell)) for cell in rows[0]]
        if any(cell in _STREET_HEADERS for cell in header):
            street_col = next(i for i, cell in enumerate(header) if cell in _STREET_HEADERS)
            postal_col = next((i for i, cell in enumerate(header) if cell in _POSTAL_HEADERS), None)
            start = 1
        elif len(rows[0]) > 1 and re.fullmatch(r"\d{5}", rows[0][1].strip()):
            postal_col = 1
    if len(rows) - start > STREETS_MAX_ROWS:
        raise ValidationError(_("The file has more than %(count)s lines.") % {"count": STREETS_MAX_ROWS})
    found: dict[str, StreetRow] = {}
    errors: list[str] = []
    duplicates = 0
    for line_number, row in enumerate(rows[start:], start=start + 1):
        name = row[street_col].strip() if len(row) > street_col else ""
        if not name:
            continue
        postal = row[postal_col].strip() if postal_col is not None and len(row) > postal_col else ""
        if len(name) > STREET_NAME_MAX_LENGTH:
            errors.append(_("Line %(line)s: the name is longer than %(count)s characters.")
                          % {"line": line_number, "count": STREET_NAME_MAX_LENGTH})
        elif not street_key(name) or not re.search(r"[^\W\d_]", name):
            errors.append(_("Line %(line)s: “%(name)s” is not a street name.") % {"line": line_number, "name": name})
        elif postal and not re.fullmatch(r"\d{5}", postal):
            errors.append(_("Line %(line)s: “%(code)s” is not a postal code (five digits).")
                          % {"line": line_number, "code": postal})
        elif street_key(name) in found:
            duplicates += 1
        else:
            found[street_key(name)] = StreetRow(name=re.sub(r"\s+", " ", name), postal_code=postal)
    if errors:
        more = len(errors) - _MAX_ERRORS_SHOWN
        shown = errors[:_MAX_ERRORS_SHOWN]
        if more > 0:
            shown.append(ngettext("… and %(count)s more line.", "… and %(count)s more lines.", more) % {"count": more})
        raise ValidationError(shown)
    if not found:
        raise ValidationError(_("The file contains no street names."))
    return list(found.values()), duplicates


def names_list(names: Iterable[str]) -> str:
    return ", ".join(f"„{name}“" for name in names)
