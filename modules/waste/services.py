"""Writes of the Abfallkalender: types, areas, imports (ICS, CSV, rules), corrections, residents' choices.

Every import goes the same way: ``import_prepare_*`` reads and checks the input and stores a
``WasteImport`` (nothing in the calendar changes yet); the admin sees the preview
(``selectors.import_preview``) and ``import_apply`` replaces, in one transaction, that year's
dates of exactly the areas and types the import names. Applying the same file twice changes
nothing; a file for Bio does not touch Restmüll.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from core.access import user_passes
from core.slugs import german_slugify, slug_free
from core.taxonomy.services import terms_seed
from core.taxonomy.spec import Taxonomy, TaxonomyTexts
from modules.waste import parsing
from modules.waste.conf import land_get
from modules.waste.models import (
    AreaStreet,
    ImportKind,
    Pickup,
    PickupArea,
    PickupSource,
    WasteHome,
    WasteImport,
    WasteType,
)
from modules.waste.rules import rule_dates
from town.models import Ortsgemeinde, Street

WASTE_TYPES = Taxonomy(
    model=WasteType, app_name="waste", noun="type", path="manage/types/", role="town_admin",
    texts=TaxonomyTexts(
        title=gettext_lazy("Waste types"),
        empty=gettext_lazy("No waste types yet."),
        add_heading=gettext_lazy("Add a waste type"),
        added=gettext_lazy("The waste type is added."),
        renamed=gettext_lazy("The waste type is renamed."),
        deleted=gettext_lazy("The waste type is deleted."),
        exists=gettext_lazy("This waste type exists already."),
        not_allowed=gettext_lazy("Only town administrators can change the waste types."),
        in_use=ngettext_lazy(
            "“%(name)s” can't be deleted: %(count)d pickup date uses it.",
            "“%(name)s” can't be deleted: %(count)d pickup dates use it.",
            "count",
        ),
        usage=ngettext_lazy("%(count)d date", "%(count)d dates", "count"),
    ),
    used_by="pickups", delete_rule="refuse", fallback_slug="abfallart",
    defaults=(("restmuell", "Restmüll"), ("bio", "Bioabfall"), ("papier", "Papier"), ("gelber-sack", "Gelber Sack"),
              ("sperrmuell", "Sperrmüll")),
)

# Colours and icons of the usual types (the bins' colours in most German districts) and the names
# disposal companies use for them in their files.
TYPE_STYLE = {
    "restmuell": ("#3f3f46", "trash", "Restabfall,Restmülltonne,Graue Tonne,Schwarze Tonne"),
    "bio": ("#6b4f1d", "leaf", "Bio,Biotonne,Biomüll,Braune Tonne"),
    "papier": ("#1d4ed8", "newspaper", "Altpapier,Papiertonne,Blaue Tonne,PPK"),
    "gelber-sack": ("#a16207", "recycle", "Gelbe Tonne,Wertstoffe,Leichtverpackungen,LVP"),
    "sperrmuell": ("#7c2d12", "sofa", "Sperrgut"),
}

MAX_IMPORT_YEARS_AHEAD = 3


def _require_admin(user: Any) -> None:
    if not user_passes(user, "town_admin"):
        raise PermissionDenied(_("Only town administrators can change the waste calendar."))


def waste_types_seed() -> None:
    """The usual waste types with their colours, the first time the module is switched on."""
    terms_seed(WASTE_TYPES)
    for slug, (colour, icon, names) in TYPE_STYLE.items():
        WasteType.objects.filter(slug=slug, colour="").update(colour=colour, icon=icon, import_names=names)


# --- areas -------------------------------------------------------------------------


def _check_streets(*, area: PickupArea | None, ortsgemeinde: Ortsgemeinde, streets: Sequence[Street]) -> None:
    wrong = [s.name for s in streets if s.ortsgemeinde_id != ortsgemeinde.pk]
    if wrong:
        raise ValidationError({"streets": _("These streets are not in %(place)s: %(names)s.")
                               % {"place": ortsgemeinde.name, "names": ", ".join(wrong)}})
    others = PickupArea.objects.filter(ortsgemeinde=ortsgemeinde).exclude(pk=getattr(area, "pk", None))
    taken = (AreaStreet.objects.filter(street__in=streets).exclude(area=area)
             .select_related("area", "street").order_by("street__name"))
    if taken:
        raise ValidationError({"streets": [
            _("“%(street)s” is already in the pickup area “%(area)s”. A street can only be in one area.")
            % {"street": link.street.name, "area": link.area.name} for link in taken]})
    if not streets and others.exists():
        raise ValidationError({"streets": _("%(place)s already has pickup areas by street. Choose the streets of "
                                            "this area.") % {"place": ortsgemeinde.name}})
    if streets and others.filter(area_streets__isnull=True).exists():
        raise ValidationError({"streets": _("All of %(place)s is already one pickup area. Give that area its "
                                            "streets first.") % {"place": ortsgemeinde.name}})


@transaction.atomic
def area_create(*, acting_user: Any, name: str, ortsgemeinde: Ortsgemeinde,
                streets: Sequence[Street] = ()) -> PickupArea:
    """A pickup area: the whole Ortsgemeinde (no streets) or these of its streets."""
    _require_admin(acting_user)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Please give the area a name.")})
    _check_streets(area=None, ortsgemeinde=ortsgemeinde, streets=streets)
    slug = slug_free(german_slugify(name)[:70] or "gebiet",
                     taken=lambda value: PickupArea.objects.filter(slug=value).exists())
    area = PickupArea.objects.create(name=name, slug=slug, ortsgemeinde=ortsgemeinde)
    AreaStreet.objects.bulk_create(AreaStreet(area=area, street=street) for street in streets)
    return area


@transaction.atomic
def area_update(*, acting_user: Any, area: PickupArea, name: str, streets: Sequence[Street]) -> PickupArea:
    _require_admin(acting_user)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Please give the area a name.")})
    _check_streets(area=area, ortsgemeinde=area.ortsgemeinde, streets=streets)
    area.name = name
    area.save(update_fields=["name"])
    area.area_streets.exclude(street__in=streets).delete()
    have = set(area.area_streets.values_list("street_id", flat=True))
    AreaStreet.objects.bulk_create(AreaStreet(area=area, street=s) for s in streets if s.pk not in have)
    return area


# --- imports ------------------------------------------------------------------------------


def _check_year(year: int) -> None:
    this_year = timezone.localdate().year
    if not this_year - 1 <= year <= this_year + MAX_IMPORT_YEARS_AHEAD:
        raise ValidationError(_("The dates are for %(year)d. Only last year, this year and the next %(count)d years "
                                "can be imported.") % {"year": year, "count": MAX_IMPORT_YEARS_AHEAD})


def _store(*, acting_user: Any, kind: str, label: str, year: int, rows: Sequence[parsing.Row]) -> WasteImport:
    _check_year(year)
    return WasteImport.objects.create(
        kind=kind, label=label[:200], year=year, created_by=acting_user if acting_user.is_authenticated else None,
        rows=[[row.date.isoformat(), row.waste_type_id, row.area_id] for row in rows],
    )


@transaction.atomic
def import_prepare_ics(*, acting_user: Any, data: bytes, filename: str, areas: Sequence[PickupArea]) -> WasteImport:
    """Read a disposal company's iCalendar file for these areas; nothing changes until import_apply."""
    _require_admin(acting_user)
    year, rows = parsing.ics_rows(data, areas=areas, types=list(WasteType.objects.all()))
    return _store(acting_user=acting_user, kind=ImportKind.ICS, label=filename, year=year, rows=rows)


@transaction.atomic
def import_prepare_csv(*, acting_user: Any, data: bytes, filename: str) -> WasteImport:
    """Read a CSV file (date;type;area); nothing changes until import_apply."""
    _require_admin(acting_user)
    year, rows = parsing.csv_rows(data, areas=list(PickupArea.objects.all()), types=list(WasteType.objects.all()))
    return _store(acting_user=acting_user, kind=ImportKind.CSV, label=filename, year=year, rows=rows)


@transaction.atomic
def import_prepare_rule(*, acting_user: Any, areas: Sequence[PickupArea], waste_type: WasteType,
                        first: datetime.date, every_weeks: int, year: int) -> WasteImport:
    """Dates from a rule ("every 2 weeks from Tuesday 6 January"), moved around public holidays."""
    _require_admin(acting_user)
    if not areas:
        raise ValidationError({"areas": _("Choose at least one pickup area.")})
    if every_weeks not in (1, 2, 3, 4, 6, 8):
        raise ValidationError({"every_weeks": _("Choose every 1, 2, 3, 4, 6 or 8 weeks.")})
    days = rule_dates(first=first, every_weeks=every_weeks, year=year, land=land_get())
    if not days:
        raise ValidationError(_("This rule gives no date in %(year)d. Is the first date in that year or before it?")
                              % {"year": year})
    rows = [parsing.Row(day, waste_type.pk, area.pk) for day in days for area in areas]
    weeks = _("every week") if every_weeks == 1 else _("every %(count)d weeks") % {"count": every_weeks}
    label = f"{waste_type.name}: {weeks}, {_('from')} {first:%d.%m.%Y}"
    return _store(acting_user=acting_user, kind=ImportKind.RULE, label=label, year=year, rows=rows)


def _scope(waste_import: WasteImport) -> tuple[set[int], set[int]]:
    areas = {row[2] for row in waste_import.rows}
    types = {row[1] for row in waste_import.rows}
    return areas, types


@transaction.atomic
def import_apply(*, acting_user: Any, waste_import: WasteImport) -> int:
    """Replace the year's dates of the import's areas and types with the import's; returns the number of dates.

    One transaction: if anything fails (an area deleted meanwhile), the calendar stays as it was.
    """
    _require_admin(acting_user)
    locked = WasteImport.objects.select_for_update().get(pk=waste_import.pk)
    if locked.applied_at is not None:
        raise ValidationError(_("This import has already been applied."))
    areas, types = _scope(locked)
    if PickupArea.objects.filter(pk__in=areas).count() != len(areas) or \
            WasteType.objects.filter(pk__in=types).count() != len(types):
        raise ValidationError(_("A pickup area or waste type of this import was deleted meanwhile. Import again."))
    Pickup.objects.filter(area_id__in=areas, waste_type_id__in=types, date__year=locked.year).delete()
    source = PickupSource.RULE if locked.kind == ImportKind.RULE else PickupSource.IMPORT
    Pickup.objects.bulk_create(
        [Pickup(date=datetime.date.fromisoformat(day), waste_type_id=kind, area_id=area, source=source)
         for day, kind, area in locked.rows],
        batch_size=2000,
    )
    locked.applied_at = timezone.now()
    locked.save(update_fields=["applied_at"])
    return len(locked.rows)


# --- corrections ----------------------------------------------------------------------------


@transaction.atomic
def pickup_move(*, acting_user: Any, pickup: Pickup, date: datetime.date) -> Pickup:
    """Move one collection to another day (the lorry broke down, a road is closed)."""
    _require_admin(acting_user)
    if date == pickup.date:
        return pickup
    if Pickup.objects.filter(area=pickup.area, waste_type=pickup.waste_type, date=date).exists():
        raise ValidationError({"date": _("On %(date)s there is already a %(type)s collection in this area.")
                               % {"date": f"{date:%d.%m.%Y}", "type": pickup.waste_type.name}})
    if pickup.original_date is None:
        pickup.original_date = pickup.date
    pickup.date = date
    pickup.source = PickupSource.MANUAL
    try:
        with transaction.atomic():
            pickup.save()
    except IntegrityError:  # the same date added by someone else at the same moment
        raise ValidationError({"date": _("This date exists already.")}) from None
    return pickup


@transaction.atomic
def pickup_delete(*, acting_user: Any, pickup: Pickup) -> None:
    _require_admin(acting_user)
    pickup.delete()


@transaction.atomic
def pickup_add(*, acting_user: Any, area: PickupArea, waste_type: WasteType, date: datetime.date) -> Pickup:
    _require_admin(acting_user)
    pickup, created = Pickup.objects.get_or_create(area=area, waste_type=waste_type, date=date,
                                                   defaults={"source": PickupSource.MANUAL})
    if not created:
        raise ValidationError({"date": _("This date exists already.")})
    return pickup


# --- residents ---------------------------------------------------------------------------------


@transaction.atomic
def home_set(*, acting_user: Any, area: PickupArea, street: Street | None = None) -> WasteHome:
    """Remember where this resident lives, for their start page, reminders and feed."""
    if not acting_user.is_authenticated:
        raise PermissionDenied
    home, _created = WasteHome.objects.update_or_create(user=acting_user,
                                                        defaults={"area": area, "street": street})
    return home


@transaction.atomic
def reminder_set(*, acting_user: Any, on: bool, at: datetime.time) -> WasteHome:
    """Switch the evening reminder on or off, at the resident's time (between 15:00 and 23:00)."""
    home = WasteHome.objects.select_for_update().filter(user=acting_user).first()
    if home is None:
        raise ValidationError(_("Choose your street first."))
    if not datetime.time(15) <= at <= datetime.time(23):
        raise ValidationError({"reminder_time": _("Choose a time between 15:00 and 23:00.")})
    home.reminder_on, home.reminder_time = on, at
    home.save(update_fields=["reminder_on", "reminder_time", "updated_at"])
    return home
