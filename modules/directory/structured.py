"""Machine-readable forms of an entry: schema.org JSON-LD for search engines and a vCard for address books."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from modules.directory.models import Business

_SCHEMA_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _hours_spec(day: str | None, opens: Any, closes: Any, **extra: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {"@type": "OpeningHoursSpecification"}
    if day:
        spec["dayOfWeek"] = f"https://schema.org/{day}"
    spec["opens"] = f"{opens:%H:%M}"
    # schema.org reads a closing time before the opening time as "the next day".
    spec["closes"] = f"{closes:%H:%M}"
    spec.update(extra)
    return spec


def business_jsonld(business: Business, *, page_url: str, origin: str, today: date) -> dict[str, Any]:
    """schema.org LocalBusiness with PostalAddress, GeoCoordinates and OpeningHoursSpecification.

    Holidays and special hours from today on become specialOpeningHoursSpecification
    (closed days as opens = closes = 00:00, as schema.org suggests).
    """
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "LocalBusiness",
        "@id": page_url,
        "name": business.name,
        "url": business.website or page_url,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": business.street,
            "postalCode": business.postal_code,
            "addressLocality": business.locality or (business.ortsgemeinde.name if business.ortsgemeinde else ""),
            "addressCountry": "DE",
        },
        "openingHoursSpecification": [
            _hours_spec(_SCHEMA_DAYS[i.weekday], i.opens, i.closes) for i in business.opening_intervals.all()
        ],
    }
    if business.description:
        data["description"] = business.description
    if business.phone:
        data["telephone"] = business.phone
    if business.email:
        data["email"] = business.email
    if business.latitude is not None and business.longitude is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": float(business.latitude),
                       "longitude": float(business.longitude)}
    photos = [origin + photo.image.url for photo in business.photos.all()]
    if photos:
        data["image"] = photos
    special = []
    exceptions = getattr(business, "recent_exceptions", None)  # prefetched by the detail selector
    for exception in exceptions if exceptions is not None else business.opening_exceptions.all():
        if exception.end_date < today:
            continue
        period = {"validFrom": exception.start_date.isoformat(), "validThrough": exception.end_date.isoformat()}
        if exception.closed or exception.opens is None or exception.closes is None:
            special.append({"@type": "OpeningHoursSpecification", "opens": "00:00", "closes": "00:00", **period})
        else:
            special.append(_hours_spec(None, exception.opens, exception.closes, **period))
    if special:
        data["specialOpeningHoursSpecification"] = special
    return data


def jsonld_script_body(data: dict[str, Any]) -> str:
    """JSON safe inside <script type="application/ld+json">: no "</script>" or HTML comment can close it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# --- vCard (RFC 6350) ------------------------------------------------------------


def vcard_escape(value: str) -> str:
    """Escape a text value: backslash, comma, semicolon and line breaks (RFC 6350 section 3.4)."""
    return (
        (value or "")
        .replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character (RFC 6350 section 3.2)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, current, size, limit = [], [], 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, 74  # continuation lines start with a space
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def business_vcard(business: Business, *, page_url: str) -> str:
    """A vCard 4.0 of the business (CRLF line ends, folded, escaped)."""
    name = vcard_escape(business.name)
    lines = ["BEGIN:VCARD", "VERSION:4.0", "KIND:org", f"FN:{name}", f"ORG:{name}"]
    if business.phone:
        lines.append(f"TEL;VALUE=text;TYPE=work:{vcard_escape(business.phone)}")
    if business.email:
        lines.append(f"EMAIL;TYPE=work:{vcard_escape(business.email)}")
    if business.street or business.locality or business.postal_code:
        locality = business.locality or (business.ortsgemeinde.name if business.ortsgemeinde else "")
        # ADR: post office box; extended address; street; locality; region; postal code; country
        components = ["", "", business.street, locality, "", business.postal_code, "Deutschland"]
        lines.append("ADR;TYPE=work:" + ";".join(vcard_escape(part) for part in components))
    if business.latitude is not None and business.longitude is not None:
        lines.append(f"GEO:geo:{business.latitude},{business.longitude}")
    lines.append(f"URL:{business.website or page_url}")
    if business.description:
        lines.append(f"NOTE:{vcard_escape(business.description[:1000])}")
    lines.append("END:VCARD")
    return "".join(_fold(line) + "\r\n" for line in lines)
