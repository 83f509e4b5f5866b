"""Demo content of the Abfallkalender for Betzdorf-Gebhardshain: all 17 Ortsgemeinden, this year and next.

Each Ortsgemeinde is one pickup area, except Betzdorf, which the lorries serve in two districts
by street (from demo.data.PLACES). The dates come from rules through the same services an admin
uses (Restmüll and Bio every two weeks in turn, Gelber Sack every two weeks, Papier every four),
on a weekday per village, so the holiday shifts of Rhineland-Palatinate are in the demo too.
Maria Weber (Gebhardshain) has chosen her street and a reminder at 19:00.
Only what is missing is created: an existing area, or an area and type with dates in a year, is left alone.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

BETZDORF_NORTH = ("Bahnhofstraße", "Wilhelmstraße")
# (type slug, weeks, offset in weeks from the first Monday of the year)
PLAN = (("restmuell", 2, 0), ("bio", 2, 1), ("gelber-sack", 2, 1), ("papier", 4, 2))


def _first_monday(year: int) -> datetime.date:
    day = datetime.date(year, 1, 1)
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)


@transaction.atomic
def load() -> int:
    from accounts.models import Role, User
    from demo.data import ADMIN, ORTSGEMEINDEN, email_of
    from modules.waste.models import Pickup, PickupArea, WasteHome, WasteType
    from modules.waste.services import area_create, import_apply, import_prepare_rule, waste_types_seed
    from town.models import Ortsgemeinde, Street

    admin = User.objects.filter(email=ADMIN["email"]).first() or User.objects.filter(role=Role.ADMIN).first()
    if admin is None:
        return 0
    created = 0
    if not WasteType.objects.exists():
        waste_types_seed()
        created += WasteType.objects.count()
    places = {place.slug: place for place in Ortsgemeinde.objects.all()}
    for name, slug, _codes in ORTSGEMEINDEN:
        village = places.get(slug)
        if village is None or PickupArea.objects.filter(ortsgemeinde=village).exists():
            continue
        streets = list(Street.objects.filter(ortsgemeinde=village))
        if slug == "betzdorf" and streets:
            north = [s for s in streets if s.name in BETZDORF_NORTH]
            area_create(acting_user=admin, name="Betzdorf Nord", ortsgemeinde=village, streets=north)
            area_create(acting_user=admin, name="Betzdorf Süd", ortsgemeinde=village,
                        streets=[s for s in streets if s not in north])
            created += 2
        else:
            area_create(acting_user=admin, name=name, ortsgemeinde=village)
            created += 1
    types = {kind.slug: kind for kind in WasteType.objects.all()}
    this_year = timezone.localdate().year
    # Areas on the same weekday share one rule: one import per weekday, type and year.
    weekdays: dict[int, list[PickupArea]] = {}
    for index, area in enumerate(PickupArea.objects.order_by("name")):
        weekdays.setdefault(index % 5, []).append(area)
    for year in (this_year, this_year + 1):
        for slug, weeks, offset in PLAN:
            kind = types.get(slug)
            if kind is None:
                continue
            have = set(Pickup.objects.filter(waste_type=kind, date__year=year).values_list("area_id", flat=True))
            for weekday, group in weekdays.items():
                missing = [area for area in group if area.pk not in have]
                if not missing:
                    continue
                first = _first_monday(year) + datetime.timedelta(weeks=offset, days=weekday)
                waste_import = import_prepare_rule(acting_user=admin, areas=missing, waste_type=kind, first=first,
                                                   every_weeks=weeks, year=year)
                created += import_apply(acting_user=admin, waste_import=waste_import)
    maria = User.objects.filter(email=email_of("maria.weber")).first()
    area = PickupArea.objects.filter(ortsgemeinde__slug="gebhardshain").first()
    if maria is not None and area is not None and not WasteHome.objects.filter(user=maria).exists():
        WasteHome.objects.create(user=maria, area=area, reminder_on=True, reminder_time=datetime.time(19))
        created += 1
    return created
