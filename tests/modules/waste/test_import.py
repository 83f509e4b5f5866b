"""Importing the disposal company's dates: ICS, CSV and rules go through a preview, then one transaction."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from modules.waste import selectors, services
from modules.waste.models import Pickup, PickupSource
from tests.accounts.factories import UserFactory

D = datetime.date


def _messages(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


def test_ics_import_shows_a_preview_then_fills_the_year(admin, areas, ics_file):
    # given a real-world-shaped file: four types, 91 dates, holidays moved
    waste_import = services.import_prepare_ics(acting_user=admin, data=ics_file, filename="awb.ics",
                                               areas=[areas["nord"], areas["sued"]])
    assert Pickup.objects.count() == 0  # nothing changes before "apply"
    lines = selectors.import_preview(waste_import)
    assert {(line.area, line.waste_type, len(line.added)) for line in lines} >= {
        ("Gebhardshain Nord", "Restmüll", 26), ("Gebhardshain Süd", "Papier", 13)}
    # when
    count = services.import_apply(acting_user=admin, waste_import=waste_import)
    # then
    assert count == 182 == Pickup.objects.count()
    restmuell = [p.date for p in Pickup.objects.filter(area=areas["nord"], waste_type__slug="restmuell")]
    assert D(2027, 3, 31) in restmuell and D(2027, 3, 30) not in restmuell  # after Easter Monday
    assert set(Pickup.objects.values_list("source", flat=True)) == {PickupSource.IMPORT}


def test_importing_the_same_year_again_replaces_without_duplicates(admin, areas, ics_file, types):
    other = Pickup.objects.create(area=areas["kausen"], waste_type=types["restmuell"], date=D(2027, 2, 2))
    last_year = Pickup.objects.create(area=areas["nord"], waste_type=types["restmuell"], date=D(2026, 12, 29))
    stale = Pickup.objects.create(area=areas["nord"], waste_type=types["restmuell"], date=D(2027, 6, 1))
    for _round in range(2):
        waste_import = services.import_prepare_ics(acting_user=admin, data=ics_file, filename="awb.ics",
                                                   areas=[areas["nord"]])
        services.import_apply(acting_user=admin, waste_import=waste_import)
    assert Pickup.objects.filter(area=areas["nord"], date__year=2027).count() == 91
    assert not Pickup.objects.filter(pk=stale.pk).exists()  # the old plan's date is gone
    assert Pickup.objects.filter(pk__in=[other.pk, last_year.pk]).count() == 2  # other area and year untouched
    second = services.import_prepare_ics(acting_user=admin, data=ics_file, filename="awb.ics", areas=[areas["nord"]])
    assert all(not line.added and not line.removed for line in selectors.import_preview(second))


def test_an_import_is_applied_once(admin, areas, ics_file):
    waste_import = services.import_prepare_ics(acting_user=admin, data=ics_file, filename="a.ics",
                                               areas=[areas["nord"]])
    services.import_apply(acting_user=admin, waste_import=waste_import)
    with pytest.raises(ValidationError):
        services.import_apply(acting_user=admin, waste_import=waste_import)


def test_residents_cannot_import(areas, ics_file):
    with pytest.raises(PermissionDenied):
        services.import_prepare_ics(acting_user=UserFactory(), data=ics_file, filename="a.ics", areas=[areas["nord"]])


ICS_HEAD = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//DE\r\n"


def _event(day: str, summary: str) -> str:
    return f"BEGIN:VEVENT\r\nUID:{day}{summary}@x\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:{day}\r\n" \
           f"SUMMARY:{summary}\r\nEND:VEVENT\r\n"


@pytest.mark.parametrize(("content", "message"), [
    (b"%PDF-1.4 not a calendar", "not an iCalendar file"),
    ((ICS_HEAD + "END:VCALENDAR\r\n").encode(), "no collection dates"),
    ((ICS_HEAD + _event("20271228", "Restmüll") + _event("20280104", "Restmüll") + "END:VCALENDAR\r\n").encode(),
     "mixes the years 2027, 2028"),
    ((ICS_HEAD + _event("20270105", "Glascontainer") + "END:VCALENDAR\r\n").encode(), "“Glascontainer”"),
    ((ICS_HEAD + "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:2027XX05\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n").encode(),
     "damaged"),
])
def test_bad_ics_files_are_refused_with_a_clear_message(admin, areas, content, message):
    with pytest.raises(ValidationError) as exc:
        services.import_prepare_ics(acting_user=admin, data=content, filename="x.ics", areas=[areas["nord"]])
    assert message in _messages(exc)
    assert not services.WasteImport.objects.exists()


def test_csv_import_by_area_name_and_type_alias(admin, areas):
    data = "Datum;Abfallart;Gebiet\n05.01.2027;Restabfall;Kausen\n2027-01-12;Biotonne;kausen\n".encode("cp1252")
    waste_import = services.import_prepare_csv(acting_user=admin, data=data, filename="plan.csv")
    services.import_apply(acting_user=admin, waste_import=waste_import)
    assert sorted(Pickup.objects.values_list("date", "waste_type__slug")) == [
        (D(2027, 1, 5), "restmuell"), (D(2027, 1, 12), "bio")]


def test_a_csv_with_unknown_types_and_impossible_dates_names_every_line(admin, areas):
    data = b"05.01.2027;Hausmuell;Kausen\n31.02.2027;Papier;Kausen\n06.01.2027;Glas;Kausen\n07.01.2027;Papier;Mond\n"
    with pytest.raises(ValidationError) as exc:
        services.import_prepare_csv(acting_user=admin, data=data, filename="plan.csv")
    text = _messages(exc)
    assert "Line 1: unknown waste type “Hausmuell”" in text
    assert "Line 2: “31.02.2027” is not a date" in text
    assert "Line 3: unknown waste type “Glas”" in text
    assert "Line 4: unknown pickup area “Mond”" in text
    assert not services.WasteImport.objects.exists()


def test_a_failing_apply_leaves_the_calendar_as_it_was(admin, areas, types, monkeypatch):
    kept = Pickup.objects.create(area=areas["kausen"], waste_type=types["restmuell"], date=D(2027, 1, 5))
    waste_import = services.import_prepare_csv(acting_user=admin, data=b"12.01.2027;Restmuell2;Kausen\n"
                                               .replace(b"Restmuell2", "Restmüll".encode()), filename="p.csv")
    original = Pickup.objects.bulk_create

    def broken(*args, **kwargs):
        original(*args, **kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(Pickup.objects, "bulk_create", broken)
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        services.import_apply(acting_user=admin, waste_import=waste_import)
    assert list(Pickup.objects.values_list("pk", flat=True)) == [kept.pk]
    waste_import.refresh_from_db()
    assert waste_import.applied_at is None


def test_rules_make_dates_with_the_same_preview(admin, areas, types):
    waste_import = services.import_prepare_rule(acting_user=admin, areas=[areas["kausen"]], waste_type=types["bio"],
                                                first=D(2027, 1, 12), every_weeks=2, year=2027)
    [line] = selectors.import_preview(waste_import)
    assert len(line.added) == 26 and D(2027, 5, 19) in line.added  # after Pentecost Monday
    services.import_apply(acting_user=admin, waste_import=waste_import)
    assert Pickup.objects.filter(source=PickupSource.RULE).count() == 26


def test_a_rule_that_gives_no_date_is_refused(admin, areas, types):
    with pytest.raises(ValidationError) as exc:
        services.import_prepare_rule(acting_user=admin, areas=[areas["kausen"]], waste_type=types["bio"],
                                     first=D(2028, 3, 1), every_weeks=2, year=2027)
    assert "gives no date in 2027" in _messages(exc)


def test_one_date_can_be_moved_by_hand(admin, areas, types):
    pickup = Pickup.objects.create(area=areas["kausen"], waste_type=types["papier"], date=D(2027, 3, 4))
    Pickup.objects.create(area=areas["kausen"], waste_type=types["papier"], date=D(2027, 4, 1))
    services.pickup_move(acting_user=admin, pickup=pickup, date=D(2027, 3, 6))
    pickup.refresh_from_db()
    assert (pickup.date, pickup.original_date, pickup.source) == (D(2027, 3, 6), D(2027, 3, 4), PickupSource.MANUAL)
    with pytest.raises(ValidationError):
        services.pickup_move(acting_user=admin, pickup=pickup, date=D(2027, 4, 1))
