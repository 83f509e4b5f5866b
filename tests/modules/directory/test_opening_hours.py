"""'Open now' at edge times: midnight, the DST changes in March and October, holidays (pure functions, no DB)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from core.opening_hours import (
    BERLIN,
    Exception_,
    Interval,
    hours_on,
    intervals_problems,
    is_open_at,
    open_until,
)

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
BAKERY = [
    Interval(day, time(7), time(12)) for day in (MON, TUE, WED, THU, FRI, SAT)
] + [Interval(day, time(14), time(18)) for day in (MON, TUE, WED, THU, FRI)]
PUB = [Interval(FRI, time(18), time(2), closes_next_day=True), Interval(SAT, time(18), time(3), closes_next_day=True)]


def berlin(*args: int, fold: int = 0) -> datetime:
    return datetime(*args, tzinfo=BERLIN, fold=fold)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- ordinary days ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (berlin(2026, 6, 15, 6, 59), False),  # Monday before opening
        (berlin(2026, 6, 15, 7, 0), True),  # opening minute counts
        (berlin(2026, 6, 15, 11, 59), True),
        (berlin(2026, 6, 15, 12, 0), False),  # closing minute does not
        (berlin(2026, 6, 15, 13, 0), False),  # lunch break
        (berlin(2026, 6, 15, 14, 0), True),
        (berlin(2026, 6, 20, 15, 0), False),  # Saturday: mornings only
        (berlin(2026, 6, 21, 9, 0), False),  # Sunday closed
    ],
)
def test_two_intervals_a_day_with_a_lunch_break(moment, expected):
    assert is_open_at(moment, BAKERY) is expected


def test_open_until_names_the_closing_time_of_the_current_interval():
    assert open_until(berlin(2026, 6, 15, 15, 30), BAKERY) == time(18)
    assert open_until(berlin(2026, 6, 15, 12, 30), BAKERY) is None


def test_the_moment_is_read_in_berlin_whatever_its_zone():
    # 05:30 UTC in June is 07:30 in Berlin (UTC+2): open, although 05:30 "looks" closed.
    assert is_open_at(utc(2026, 6, 15, 5, 30), BAKERY)
    # 10:30 UTC is 12:30 in Berlin: lunch break.
    assert not is_open_at(utc(2026, 6, 15, 10, 30), BAKERY)


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError):
        is_open_at(datetime(2026, 6, 15, 9, 0), BAKERY)


# --- midnight -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (berlin(2026, 6, 19, 17, 59), False),  # Friday before
        (berlin(2026, 6, 19, 23, 59), True),
        (berlin(2026, 6, 20, 0, 0), True),  # Saturday midnight: still Friday's interval
        (berlin(2026, 6, 20, 1, 59), True),
        (berlin(2026, 6, 20, 2, 0), False),
        (berlin(2026, 6, 20, 17, 0), False),
        (berlin(2026, 6, 21, 2, 30), True),  # Saturday night runs until 03:00 on Sunday
        (berlin(2026, 6, 21, 3, 0), False),
        (berlin(2026, 6, 22, 1, 0), False),  # Sunday night: nothing started on Sunday
    ],
)
def test_intervals_crossing_midnight_belong_to_the_day_they_start(moment, expected):
    assert is_open_at(moment, PUB) is expected


def test_open_until_for_an_interval_past_midnight_is_the_next_mornings_time():
    assert open_until(berlin(2026, 6, 19, 22, 0), PUB) == time(2)
    assert open_until(berlin(2026, 6, 20, 1, 0), PUB) == time(2)


def test_sunday_night_runs_into_monday_morning():
    late = [Interval(SUN, time(20), time(1), closes_next_day=True)]
    assert is_open_at(berlin(2026, 6, 22, 0, 30), late)  # Monday 00:30
    assert not is_open_at(berlin(2026, 6, 22, 1, 0), late)


def test_next_day_with_equal_times_means_24_hours():
    always = [Interval(day, time(0), time(0), closes_next_day=True) for day in range(7)]
    moment = berlin(2026, 6, 15, 0, 0)
    for minutes in range(0, 7 * 24 * 60, 37):
        assert is_open_at(moment + timedelta(minutes=minutes), always)


# --- daylight saving time ------------------------------------------------------------------
# 2026: clocks go forward on Sunday 29 March (02:00 CET → 03:00 CEST, at 01:00 UTC)
# and back on Sunday 25 October (03:00 CEST → 02:00 CET, at 01:00 UTC).


def test_march_the_skipped_hour_never_happens():
    # An interval inside the hour that does not exist is never open, at no instant of that day.
    ghost = [Interval(SUN, time(2), time(3))]
    start = utc(2026, 3, 28, 22, 0)  # Saturday 23:00 CET
    assert not any(is_open_at(start + timedelta(minutes=m), ghost) for m in range(0, 26 * 60))


def test_march_the_last_minute_before_the_change_and_the_first_after():
    early = [Interval(SUN, time(1), time(2, 30))]
    assert is_open_at(utc(2026, 3, 29, 0, 59), early)  # 01:59 CET
    assert not is_open_at(utc(2026, 3, 29, 1, 0), early)  # 03:00 CEST: 02:xx never came


def test_march_the_night_is_an_hour_shorter_for_a_pub():
    # Saturday 18:00 until 03:00 Sunday: 03:00 CEST arrives at 01:00 UTC, so the pub closes then.
    assert is_open_at(utc(2026, 3, 29, 0, 59), PUB)  # 01:59 CET
    assert not is_open_at(utc(2026, 3, 29, 1, 0), PUB)  # 03:00 CEST


def test_march_daytime_hours_follow_the_clock_not_a_fixed_offset():
    sunday = [Interval(SUN, time(9), time(17))]
    assert not is_open_at(utc(2026, 3, 29, 6, 59), sunday)  # 08:59 CEST
    assert is_open_at(utc(2026, 3, 29, 7, 0), sunday)  # 09:00 CEST (a fixed UTC+1 would say 08:00)
    assert is_open_at(utc(2026, 3, 29, 14, 59), sunday)  # 16:59 CEST
    assert not is_open_at(utc(2026, 3, 29, 15, 0), sunday)  # 17:00 CEST


def test_october_the_repeated_hour_counts_both_times():
    # Saturday 18:00 until 03:00 Sunday: 02:xx happens twice, the pub is open through both.
    first_0230 = berlin(2026, 10, 25, 2, 30, fold=0)
    second_0230 = berlin(2026, 10, 25, 2, 30, fold=1)
    assert first_0230.utcoffset() != second_0230.utcoffset()
    assert is_open_at(first_0230, PUB)
    assert is_open_at(second_0230, PUB)
    assert is_open_at(utc(2026, 10, 25, 1, 59), PUB)  # 02:59 CET, the second time round
    assert not is_open_at(utc(2026, 10, 25, 2, 0), PUB)  # 03:00 CET


def test_october_an_interval_inside_the_repeated_hour_is_open_twice():
    # Wall-clock hours: a market stall open 02:00–03:00 is open at both 02:15s.
    night_market = [Interval(SUN, time(2), time(3))]
    instants = [utc(2026, 10, 25, 0, 0) + timedelta(minutes=m) for m in range(0, 180, 15)]
    open_instants = [moment for moment in instants if is_open_at(moment, night_market)]
    assert len(open_instants) == 8  # 2 × 4 quarter hours
    assert is_open_at(utc(2026, 10, 25, 0, 15), night_market)  # 02:15 CEST
    assert is_open_at(utc(2026, 10, 25, 1, 15), night_market)  # 02:15 CET


def test_october_daytime_hours_after_the_change():
    sunday = [Interval(SUN, time(9), time(17))]
    assert not is_open_at(utc(2026, 10, 25, 7, 59), sunday)  # 08:59 CET
    assert is_open_at(utc(2026, 10, 25, 8, 0), sunday)  # 09:00 CET


# --- holidays and special hours --------------------------------------------------------------


def test_a_holiday_closes_the_whole_day():
    holiday = [Exception_(date(2026, 6, 15), date(2026, 6, 15))]
    assert not is_open_at(berlin(2026, 6, 15, 9, 0), BAKERY, holiday)
    assert is_open_at(berlin(2026, 6, 16, 9, 0), BAKERY, holiday)


def test_holidays_cover_a_date_range_inclusive():
    summer = [Exception_(date(2026, 7, 20), date(2026, 8, 2))]
    assert is_open_at(berlin(2026, 7, 17, 9, 0), BAKERY, summer)
    assert not is_open_at(berlin(2026, 7, 20, 9, 0), BAKERY, summer)
    assert not is_open_at(berlin(2026, 8, 1, 9, 0), BAKERY, summer)
    assert is_open_at(berlin(2026, 8, 3, 9, 0), BAKERY, summer)


def test_special_hours_replace_the_regular_hours_of_that_date():
    christmas_eve = [Exception_(date(2026, 12, 24), date(2026, 12, 24), closed=False, opens=time(6), closes=time(11))]
    assert is_open_at(berlin(2026, 12, 24, 6, 30), BAKERY, christmas_eve)  # earlier than usual
    assert not is_open_at(berlin(2026, 12, 24, 11, 30), BAKERY, christmas_eve)
    assert not is_open_at(berlin(2026, 12, 24, 15, 0), BAKERY, christmas_eve)  # no afternoon


def test_special_hours_open_a_day_without_regular_hours():
    sunday_sale = [Exception_(date(2026, 6, 21), date(2026, 6, 21), closed=False, opens=time(13), closes=time(17))]
    assert is_open_at(berlin(2026, 6, 21, 14, 0), BAKERY, sunday_sale)


def test_a_closed_exception_wins_over_special_hours_on_the_same_date():
    both = [
        Exception_(date(2026, 6, 15), date(2026, 6, 15), closed=False, opens=time(8), closes=time(10)),
        Exception_(date(2026, 6, 15), date(2026, 6, 15)),
    ]
    assert not is_open_at(berlin(2026, 6, 15, 9, 0), BAKERY, both)


def test_a_holiday_does_not_cut_short_the_night_before():
    # Closed on Saturday 20 June; Friday's 18:00–02:00 still runs into Saturday morning.
    holiday = [Exception_(date(2026, 6, 20), date(2026, 6, 20))]
    assert is_open_at(berlin(2026, 6, 20, 1, 0), PUB, holiday)
    assert not is_open_at(berlin(2026, 6, 20, 19, 0), PUB, holiday)
    # A holiday on the Friday closes the night that starts then.
    friday_off = [Exception_(date(2026, 6, 19), date(2026, 6, 19))]
    assert not is_open_at(berlin(2026, 6, 20, 1, 0), PUB, friday_off)


def test_hours_on_lists_the_applicable_intervals():
    assert [h.opens for h in hours_on(date(2026, 6, 15), BAKERY, [])] == [time(7), time(14)]
    assert hours_on(date(2026, 6, 21), BAKERY, []) == []


# --- what cannot be stored ------------------------------------------------------------------


def test_closing_before_opening_without_midnight_is_refused():
    assert intervals_problems([Interval(MON, time(18), time(2))]) == ["inverted:0"]
    assert intervals_problems([Interval(MON, time(9), time(9))]) == ["inverted:0"]


def test_closing_before_opening_is_fine_when_it_explicitly_runs_past_midnight():
    assert intervals_problems([Interval(MON, time(18), time(2), closes_next_day=True)]) == []


def test_more_than_24_hours_is_refused():
    assert intervals_problems([Interval(MON, time(8), time(9), closes_next_day=True)]) == ["too-long:0"]


def test_overlapping_intervals_are_refused():
    assert intervals_problems([Interval(MON, time(7), time(12)), Interval(MON, time(11), time(14))]) == ["overlap:1"]
    # One long interval swallowing two short ones.
    assert intervals_problems(
        [Interval(MON, time(7), time(20)), Interval(MON, time(8), time(9)), Interval(MON, time(10), time(11))]
    ) == ["overlap:1", "overlap:2"]


def test_touching_intervals_are_fine():
    assert intervals_problems([Interval(MON, time(7), time(12)), Interval(MON, time(12), time(14))]) == []


def test_a_night_overlapping_the_next_morning_is_refused():
    assert intervals_problems(
        [Interval(FRI, time(18), time(8), closes_next_day=True), Interval(SAT, time(7), time(12))]
    ) == ["overlap:1"]
    # Across the end of the week: Sunday night into Monday morning.
    assert intervals_problems(
        [Interval(MON, time(0, 30), time(6)), Interval(SUN, time(22), time(1), closes_next_day=True)]
    ) == ["overlap:0"]
