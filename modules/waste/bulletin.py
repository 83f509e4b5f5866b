"""The waste calendar in the town's Mitteilungsblatt (modules.bulletin's BulletinSource).

An issue prints what was published in its period; collections are dates ahead, so the waste module
offers the collections of the seven days after the period's end: one entry per pickup area, in its
Ortsgemeinde's section, e.g. "Restmüll Mo 14.12., Papier Do 17.12.".
"""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

DAYS_AHEAD = 7


def bulletin_items(start: datetime.datetime, end: datetime.datetime) -> list[Any]:
    """The coming week's collections per area (one query); the uid names the week, so a redrafted issue of
    the same period recognises them."""
    from modules.bulletin.capabilities import BulletinCandidate
    from modules.waste.models import Pickup

    first = end.date()
    last = first + datetime.timedelta(days=DAYS_AHEAD - 1)
    per_area: dict[int, tuple[Any, list[str]]] = {}
    for pickup in (Pickup.objects.filter(date__range=(first, last)).select_related("area", "waste_type")
                   .order_by("area__name", "date", "waste_type__position", "waste_type__name")):
        day = formats.date_format(pickup.date, "D d.m.")
        per_area.setdefault(pickup.area_id, (pickup.area, []))[1].append(f"{pickup.waste_type.name} {day}")
    return [BulletinCandidate(uid=f"{area.pk}:{first.isoformat()}",
                              title=_("Waste collection in %(area)s") % {"area": area.name},
                              text=", ".join(collections), path=reverse("waste:area", kwargs={"slug": area.slug}),
                              date=first, ortsgemeinde_id=area.ortsgemeinde_id, kind_label=_("Waste calendar"))
            for area, collections in per_area.values()]
