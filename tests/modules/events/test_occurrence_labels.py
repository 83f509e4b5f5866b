"""The list's date labels (Occurrence.labels, formatted in Python) say what Django's date filter said."""

from __future__ import annotations

import datetime

import pytest
from django.template import engines
from django.utils import translation

from modules.events import selectors, services
from tests.modules.events.factories import EventFactory, at

pytestmark = pytest.mark.django_db

_FILTERS = engines["django"].from_string(
    '{{ o.start|date:"D" }}|{{ o.start|date:"j" }}|{{ o.start|date:"M" }}|'
    '{% if o.event.all_day %}{{ o.start|date:"Y-m-d" }}{% else %}{{ o.start|date:"c" }}{% endif %}|'
    '{{ o.start|date:"l, j. F Y" }}|{% if not o.event.all_day %}{{ o.start|date:"H:i" }}{% endif %}|'
    '{% if o.event.all_day %}{{ o.end|date:"j. F" }}{% endif %}')


def _labels(occurrence: selectors.Occurrence) -> str:
    labels = occurrence.labels
    return "|".join([labels.weekday, labels.day, labels.month, labels.iso, labels.long, labels.time,
                     labels.last_day])


def test_the_card_labels_of_a_timed_and_an_all_day_event_match_the_date_filter(in_town_a):
    # given: an evening in summer time and the Kirmes over three days
    evening = at(datetime.date(2027, 5, 18), 19)
    EventFactory(title="Ratssitzung", starts_at=evening, ends_at=evening + datetime.timedelta(hours=2))
    first, last = services.all_day_bounds(datetime.date(2027, 5, 14), datetime.date(2027, 5, 16))
    EventFactory(title="Kirmes", starts_at=first, ends_at=last, all_day=True)

    # when
    with translation.override("de"):
        found = selectors.occurrence_list(*selectors.day_window(datetime.date(2027, 5, 13), datetime.date(2027, 5, 20)))
        pairs = [(_labels(o), _FILTERS.render({"o": o})) for o in found]

    # then
    assert [o.event.title for o in found] == ["Kirmes", "Ratssitzung"]
    assert pairs[0][0] == "Fr|14|Mai|2027-05-14|Freitag, 14. Mai 2027||16. Mai"
    assert pairs[1][0] == "Di|18|Mai|2027-05-18T19:00:00+02:00|Dienstag, 18. Mai 2027|19:00|"
    assert [ours for ours, _django in pairs] == [django for _ours, django in pairs]
