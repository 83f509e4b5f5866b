"""The rule engine across a year with the Land's public holidays (holidays library)."""

from __future__ import annotations

import datetime

from modules.waste.rules import holiday_shifted, public_holidays, rule_dates

D = datetime.date


def test_every_second_tuesday_in_2027_moves_after_easter_monday_only():
    dates = rule_dates(first=D(2027, 1, 5), every_weeks=2, year=2027, land="RP")
    assert len(dates) == 26
    assert D(2027, 3, 31) in dates and D(2027, 3, 30) not in dates  # Easter Monday 29.3. pushes Tuesday on
    assert all(d.weekday() == 1 for d in dates if d != D(2027, 3, 31))


def test_a_holiday_pushes_the_rest_of_the_week_and_friday_to_saturday():
    holidays = public_holidays("RP", [2027])
    # Corpus Christi (Thursday 27.5.2027): Thursday → Friday, Friday → Saturday; Wednesday stays.
    assert holiday_shifted(D(2027, 5, 26), holidays) == D(2027, 5, 26)
    assert holiday_shifted(D(2027, 5, 27), holidays) == D(2027, 5, 28)
    assert holiday_shifted(D(2027, 5, 28), holidays) == D(2027, 5, 29)


def test_christmas_on_two_weekdays_pushes_by_two_days():
    holidays = public_holidays("RP", [2025])  # 25./26.12.2025 are Thursday and Friday
    assert holiday_shifted(D(2025, 12, 25), holidays) == D(2025, 12, 27)
    assert holiday_shifted(D(2025, 12, 26), holidays) == D(2025, 12, 29)  # Saturday+1 is Sunday: Monday


def test_the_land_decides_which_days_are_holidays():
    # Epiphany (6.1.) is a holiday in Bavaria, not in Rhineland-Palatinate.
    assert rule_dates(first=D(2027, 1, 6), every_weeks=4, year=2027, land="RP")[0] == D(2027, 1, 6)
    assert rule_dates(first=D(2027, 1, 6), every_weeks=4, year=2027, land="BY")[0] == D(2027, 1, 7)


def test_an_anchor_in_an_earlier_year_continues_its_rhythm():
    dates = rule_dates(first=D(2026, 12, 29), every_weeks=2, year=2027, land="RP")
    assert dates[0] == D(2027, 1, 12)


def test_a_rule_for_a_later_year_gives_nothing():
    assert rule_dates(first=D(2028, 1, 4), every_weeks=2, year=2027, land="RP") == []
