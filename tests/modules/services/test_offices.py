"""Offices: weekly hours are the town's office hours, closed days and special hours win, "open now"."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from modules.services import selectors, services
from modules.services.models import OfficeHourLink
from tests.accounts.factories import town_admin
from tests.helpers import shown
from tests.modules.services.factories import OfficeFactory
from town.calendar_services import office_hour_create, office_hour_delete
from town.models import OfficeHour

TUESDAY = "2026-12-08"  # a Tuesday; the office below opens Monday, Tuesday and Thursday


@pytest.fixture
def office(in_town_a):
    return OfficeFactory(name="Bürgerbüro Altdorf", street="Rathausplatz 1", postal_code="57518", locality="Altdorf",
                         hours=[(0, "08:30", "12:00"), (1, "08:30", "12:00"), (3, "14:00", "18:00")])


def _state(office, when):
    return selectors.office_open_state(selectors.office_get(office.slug), when)


def test_office_is_open_during_its_weekly_hours_and_closed_outside(office, clock):
    assert _state(office, clock(f"{TUESDAY} 10:00")).is_open
    assert _state(office, clock(f"{TUESDAY} 10:00")).until == datetime.time(12)
    assert not _state(office, clock(f"{TUESDAY} 12:00")).is_open  # closing time is exclusive
    assert not _state(office, clock("2026-12-09 10:00")).is_open  # Wednesday: no hours


def test_a_closed_day_closes_it_and_special_hours_replace_the_weekly_ones(office, clock):
    clock(f"{TUESDAY} 09:00")
    admin = town_admin()
    services.office_day_add(office=office, acting_user=admin, start_date=datetime.date(2026, 12, 8), note="Ausflug")
    services.office_day_add(office=office, acting_user=admin, start_date=datetime.date(2026, 12, 9), closed=False,
                            opens=datetime.time(15), closes=datetime.time(19), note="Langer Mittwoch")
    assert not _state(office, clock(f"{TUESDAY} 10:00")).is_open
    assert _state(office, clock("2026-12-09 16:00")).is_open
    assert _state(office, clock("2026-12-09 16:00")).today_text == "15:00–19:00"


def test_special_hours_without_times_are_refused_with_a_german_message(office):
    with pytest.raises(ValidationError) as refused:
        services.office_day_add(office=office, acting_user=town_admin(), start_date=datetime.date(2026, 12, 9),
                                closed=False)
    assert "opens" in refused.value.message_dict


def test_weekly_hours_are_the_towns_office_hours_one_source_for_card_feed_and_office(office):
    # given: the office's three weekly times
    rows = OfficeHour.objects.filter(pk__in=OfficeHourLink.objects.values("hour_id"))
    # then: they are the town's own rows (contact card, calendar feed), titled and placed like the office
    assert rows.count() == 3
    assert set(rows.values_list("title", flat=True)) == {"Bürgerbüro Altdorf"}
    # when: the town renames the office, the rows follow; when it deletes a row on its Sprechzeiten page ...
    services.office_update(office=office, acting_user=town_admin(), data={"name": "Bürgerbüro Altdorf-Mitte"})
    assert set(rows.values_list("title", flat=True)) == {"Bürgerbüro Altdorf-Mitte"}
    office_hour_delete(hour=rows.first())
    # ... the office has one time less: there is no second copy to drift apart
    assert len(selectors.office_intervals(selectors.office_get(office.slug))) == 2


def test_existing_town_office_hours_can_be_taken_over_once(office):
    hour = office_hour_create(weekday=4, starts_at=datetime.time(8), ends_at=datetime.time(12), title="Bürgerbüro")
    assert hour in selectors.office_hours_unlinked()
    services.office_hour_adopt(office=office, acting_user=town_admin(), hour=hour)
    assert hour not in selectors.office_hours_unlinked()
    other = OfficeFactory(name="Standesamt")
    with pytest.raises(ValidationError, match="Amt"):
        services.office_hour_adopt(office=other, acting_user=town_admin(), hour=hour)


def test_an_overlapping_time_is_refused_and_nothing_is_stored(office, admin_client_a):
    before = OfficeHour.objects.count()
    response = admin_client_a.post(f"/services/manage/offices/{office.slug}/hours/",
                                   {"weekday": 1, "starts_at": "11:00", "ends_at": "13:00"})
    assert response.status_code == 400
    assert shown("This time overlaps with another opening time of the same day.") in response.content.decode()
    assert OfficeHour.objects.count() == before


def test_office_page_shows_open_now_hours_and_only_the_people_the_town_entered(office, client_a, clock):
    clock(f"{TUESDAY} 10:00")
    page = client_a.get(office.get_absolute_url()).content.decode()
    assert shown("Open now, until %(time)s", time="12:00") in page
    assert "Rathausplatz 1" in page
    assert shown("Contact persons") not in page
    services.office_contact_add(office=office, acting_user=town_admin(), name="Erika Muster",
                                responsibility="Pässe")
    page = client_a.get(office.get_absolute_url()).content.decode()
    assert "Erika Muster" in page


def test_only_town_admins_manage_offices(office, town_a):
    from tests.accounts.factories import UserFactory
    from tests.helpers import logged_in_client

    resident = logged_in_client(town_a, UserFactory(email="anna@example.org"))
    assert resident.get(f"/services/manage/offices/{office.slug}/").status_code == 403
    assert resident.post(f"/services/manage/offices/{office.slug}/delete/").status_code == 403


def test_offices_with_a_position_are_on_the_map(office, in_town_a, rf):
    assert selectors.map_points(rf.get("/")) == []
    services.office_update(office=office, acting_user=town_admin(), data={"latitude": "50.79", "longitude": "7.87"})
    [point] = selectors.map_points(rf.get("/"))
    assert point.title == "Bürgerbüro Altdorf" and point.url == office.get_absolute_url()


def test_a_closed_period_ending_before_it_starts_is_refused(office, admin_client_a):
    response = admin_client_a.post(f"/services/manage/offices/{office.slug}/days/",
                                   {"start_date": "2026-12-10", "end_date": "2026-12-01", "closed": "on"})
    assert response.status_code == 400
    assert shown("The last day must not be before the first.") in response.content.decode()
    assert not office.days.exists()


def test_an_admin_takes_over_a_town_office_hour_on_the_office_page(office, admin_client_a):
    hour = office_hour_create(weekday=4, starts_at=datetime.time(8), ends_at=datetime.time(12), title="Rathaus")
    page = admin_client_a.get(f"/services/manage/offices/{office.slug}/").content.decode()
    assert shown("Or take over one of the town's existing office hours") in page
    assert admin_client_a.post(f"/services/manage/offices/{office.slug}/hours/adopt/",
                               {"hour": hour.pk}).status_code == 302
    assert OfficeHourLink.objects.filter(office=office, hour=hour).exists()
    assert admin_client_a.post(f"/services/manage/offices/{office.slug}/hours/adopt/",
                               {"hour": "x"}).status_code == 404
