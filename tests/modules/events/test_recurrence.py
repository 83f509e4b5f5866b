"""Series are one row with a rule; their dates are expanded on read and agree with iCalendar tools."""

from __future__ import annotations

import datetime

import icalendar
import pytest
import recurring_ical_events
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.calendar import TOWN_TZ, SourcedEntry, calendar_sources, ical_document
from modules.events import recurrence, selectors, services
from modules.events.models import Event
from tests.accounts.factories import town_admin
from tests.modules.events.factories import EventFactory, at

pytestmark = pytest.mark.django_db


def _window(first: datetime.date, last: datetime.date):
    return selectors.day_window(first, last)


def test_a_weekly_training_across_dst_and_new_year_keeps_its_local_time_and_skips_cancelled_dates(in_town_a):
    # given: Tuesdays 19:00 from October to February, two dates cancelled (one in summer time, one after New Year)
    start = at(datetime.date(2026, 10, 6), 19)
    rule = recurrence.rule_build("weekly", start, datetime.date(2027, 2, 23))
    event = EventFactory(title="TuS-Training", starts_at=start, ends_at=start + datetime.timedelta(hours=2),
                         rrule=rule)
    for day in (datetime.date(2026, 10, 20), datetime.date(2027, 1, 5)):
        services.event_cancel_date(event=event, acting_user=town_admin(), day=day)
    event.refresh_from_db()

    # when
    dates = selectors.event_occurrences(event, *_window(datetime.date(2026, 10, 1), datetime.date(2027, 3, 31)))

    # then: every Tuesday but the two, always 19:00 local time, before and after the clocks change
    days = [o.day for o in dates]
    assert len(days) == 21 - 2
    assert datetime.date(2026, 10, 20) not in days and datetime.date(2027, 1, 5) not in days
    assert {o.start.astimezone(TOWN_TZ).time() for o in dates} == {datetime.time(19, 0)}
    assert {o.start.utcoffset() for o in dates} >= set()  # aware
    assert days[-1] == datetime.date(2027, 2, 23)
    assert Event.objects.count() == 1  # one row, not one per date


def test_the_ical_feed_expanded_by_recurring_ical_events_gives_the_same_dates_as_the_page(in_town_a):
    # given: a weekly series with an exception, across DST and New Year
    start = at(datetime.date(2026, 10, 6), 19)
    event = EventFactory(title="Chorprobe", starts_at=start, ends_at=start + datetime.timedelta(hours=2),
                         rrule=recurrence.rule_build("weekly", start, datetime.date(2027, 1, 26)))
    services.event_cancel_date(event=event, acting_user=town_admin(), day=datetime.date(2026, 12, 29))
    event.refresh_from_db()
    first, last = _window(datetime.date(2026, 10, 1), datetime.date(2027, 2, 28))

    # when: the series goes through an iCalendar document and back
    source = next(s for s in calendar_sources() if s.key == "veranstaltungen")
    entry = selectors.calendar_entry(event)
    document = ical_document([SourcedEntry(source, entry, first)], name="Test")
    parsed = icalendar.Calendar.from_ical(document)
    from_ical = [e.decoded("dtstart") for e in recurring_ical_events.of(parsed).between(first, last)]

    # then
    on_page = [o.start for o in selectors.event_occurrences(event, first, last)]
    assert [d.astimezone(TOWN_TZ) for d in from_ical] == [d.astimezone(TOWN_TZ) for d in on_page]
    assert len(on_page) == 17 - 1


def test_a_series_without_end_is_one_row_and_shows_in_any_month(in_town_a):
    start = at(datetime.date(2026, 1, 3), 8)
    event = EventFactory(title="Wochenmarkt", starts_at=start, ends_at=start + datetime.timedelta(hours=4),
                         rrule=recurrence.rule_build("monthly_weekday", start, None))
    assert event.series_ends_at is None
    found = selectors.occurrence_list(*_window(datetime.date(2030, 6, 1), datetime.date(2030, 6, 30)))
    assert [o.day for o in found] == [datetime.date(2030, 6, 1)]  # first Saturday


def test_a_multi_day_all_day_event_covers_each_of_its_days(in_town_a):
    first, last = services.all_day_bounds(datetime.date(2026, 7, 10), datetime.date(2026, 7, 12))
    EventFactory(title="Kirmes", starts_at=first, ends_at=last, all_day=True)
    on_11th = selectors.occurrence_list(*_window(datetime.date(2026, 7, 11), datetime.date(2026, 7, 11)))
    on_13th = selectors.occurrence_list(*_window(datetime.date(2026, 7, 13), datetime.date(2026, 7, 13)))
    assert [o.event.title for o in on_11th] == ["Kirmes"]
    assert on_13th == []
    entry = selectors.calendar_entry(on_11th[0].event)
    assert entry.start == datetime.date(2026, 7, 10) and entry.end == datetime.date(2026, 7, 13)


@pytest.mark.parametrize("rule", ["FREQ=SECONDLY", "FREQ=HOURLY;COUNT=5000", "FREQ=WEEKLY;BYDAY=XX", "nonsense"])
def test_unsupported_rules_are_refused_and_nothing_is_stored(in_town_a, rule):
    start = at(datetime.date(2026, 10, 6), 19)
    with pytest.raises(ValidationError) as error:
        EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=1), rrule=rule)
    assert "rrule" in error.value.message_dict
    assert not Event.objects.exists()


def test_an_event_ending_before_it_starts_is_refused(in_town_a):
    start = at(datetime.date(2026, 10, 6), 19)
    with pytest.raises(ValidationError) as error:
        EventFactory(starts_at=start, ends_at=start - datetime.timedelta(hours=1))
    assert error.value.message_dict["ends_at"] == [_("The event cannot end before it starts.")]
    assert not Event.objects.exists()
