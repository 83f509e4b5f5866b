"""The printable yearly calendar of a pickup area (PDF, A4, the town's colour) through core.printing."""

from __future__ import annotations

from pathlib import Path

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.branding import town_profile, town_url
from modules.waste import selectors
from modules.waste.models import PickupArea

TEMPLATE = Path(__file__).resolve().parent / "print" / "year.typ"
FALLBACK_COLOUR = "#555555"


def year_pdf(*, area: PickupArea, year: int) -> bytes:
    """Twelve months of the area's collections on one A4 page; two queries and one compile."""
    import datetime

    from core.printing import qr_svg_bytes, render_pdf

    profile = town_profile()
    pickups = selectors.pickups_of_year(area=area, year=year)
    months: list[dict[str, object]] = [
        {"name": date_format(datetime.date(year, month, 1), "F"), "items": []} for month in range(1, 13)]
    legend: dict[str, str] = {}
    for pickup in pickups:
        colour = pickup.waste_type.colour or FALLBACK_COLOUR
        legend.setdefault(pickup.waste_type.name, colour)
        items = months[pickup.date.month - 1]["items"]
        assert isinstance(items, list)
        items.append({"day": date_format(pickup.date, "D j."), "type": pickup.waste_type.name, "colour": colour,
                      "moved": pickup.original_date is not None})
    url = town_url(area.get_absolute_url())
    data = {
        "town": profile.name if profile else "",
        "colour": getattr(profile, "primary_colour", "") or "#1f5f8b",
        "document_title": _("Waste calendar %(year)d – %(area)s") % {"year": year, "area": area.name},
        "title": _("Waste calendar %(year)d") % {"year": year},
        "subtitle": f"{area.name} ({area.ortsgemeinde.name})",
        "legend": [{"name": name, "colour": colour} for name, colour in legend.items()],
        "months": months,
        "note": _("* moved by hand. Please put the bins out by 6:00 in the morning. Changes and reminders: "),
        "footer": _("As of %(date)s") % {"date": date_format(selectors.today(), "j. F Y")},
        "url": url,
    }
    return render_pdf(TEMPLATE, data, files={"qr.svg": qr_svg_bytes(url)})
