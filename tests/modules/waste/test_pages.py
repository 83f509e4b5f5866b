"""What residents and the town hall see: picking the street, next dates, month view, widget, import, correction."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from modules.waste.models import Pickup, WasteHome
from tests.accounts.factories import UserFactory
from tests.helpers import TownClient, host_of, logged_in_client, sql_statements
from tests.modules.waste.factories import PickupFactory
from tests.modules.waste.helpers import english


@pytest.fixture
def soon(areas, types):
    today = datetime.date.today()
    for offset, kind in ((1, "restmuell"), (1, "papier"), (8, "bio"), (15, "restmuell")):
        Pickup.objects.create(area=areas["sued"], waste_type=types[kind], date=today + datetime.timedelta(days=offset))
    return areas["sued"]


def test_a_visitor_picks_a_street_by_url_parameter_without_cookies(soon, town_a, places):
    client = english(TownClient(host_of(town_a)))
    page = client.get("/waste/")
    assert "Am Sportplatz, Gebhardshain" in page.content.decode()
    street = places["streets"]["Am Sportplatz"]
    response = client.get(f"/waste/?ort=s{street.pk}")
    assert response.status_code == 302 and response["Location"] == f"/waste/bereich/{soon.slug}/?ort=s{street.pk}"
    assert not response.cookies
    area_page = client.get(response["Location"]).content.decode()
    assert f'name="ort" value="s{street.pk}"' not in area_page  # the save form is for signed-in residents
    assert "Restmüll" in area_page and "Papier" in area_page
    assert f"/waste/bereich/{soon.slug}/abfall.ics" in area_page  # the feed address to copy


def test_an_unknown_choice_asks_again(soon, town_a):
    response = english(TownClient(host_of(town_a))).get("/waste/?ort=s999999", follow=True)
    assert "Please choose your street" in response.content.decode()


def test_a_resident_saves_the_street_sets_a_reminder_and_sees_the_next_pickups_at_home(soon, town_a, places):
    anna = UserFactory(email="anna-tonne@example.org")
    client = english(logged_in_client(town_a, anna))
    street = places["streets"]["Am Sportplatz"]
    client.post("/waste/mein-ort/", {"ort": f"s{street.pk}"})
    home = WasteHome.objects.get(user=anna)
    assert (home.area, home.street) == (soon, street)
    response = client.post("/waste/erinnerung/", {"reminder_on": "on", "reminder_time": "20:15"}, follow=True)
    assert "evening before at 20:15" in response.content.decode()
    home.refresh_from_db()
    assert home.reminder_on and home.reminder_time == datetime.time(20, 15)
    assert client.post("/waste/erinnerung/", {"reminder_on": "on", "reminder_time": "03:00"}).status_code == 302
    home.refresh_from_db()
    assert home.reminder_time == datetime.time(20, 15)  # refused: not in the evening
    start = client.get("/").content.decode()
    assert "Next bin collections" in start and "Restmüll" in start
    assert client.get("/waste/").status_code == 302  # straight to their own area


def test_the_month_view_shows_each_collection_on_its_day(soon, town_a):
    today = datetime.date.today()
    client = english(TownClient(host_of(town_a)))
    page = client.get(f"/waste/bereich/{soon.slug}/?monat={today:%Y-%m}").content.decode()
    assert "waste-has-pickup" in page
    assert client.get(f"/waste/bereich/{soon.slug}/?monat=1999-13").status_code == 200  # ignored, this month


def test_the_area_page_costs_the_same_queries_for_few_and_many_dates(soon, town_a, types, pages_rendered):
    client = english(TownClient(host_of(town_a)))
    url = f"/waste/bereich/{soon.slug}/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for day in range(2, 60):
        PickupFactory(area=soon, waste_type=types["gelber-sack"], date=datetime.date.today() + datetime.timedelta(day))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    # Data statements only: whether the connection needs its SET search_path depends on what ran before.
    assert _data(few) == _data(many)


def _data(captured) -> int:
    return len(sql_statements(captured))


def test_admin_imports_a_file_previews_and_applies_it(admin, areas, ics_file, town_a):
    client = english(logged_in_client(town_a, admin))
    upload = SimpleUploadedFile("awb-2027.ics", ics_file, content_type="text/calendar")
    response = client.post("/waste/manage/import/", {"file": upload, "areas": [areas["kausen"].pk]})
    assert response.status_code == 302 and Pickup.objects.count() == 0
    preview = client.get(response["Location"]).content.decode()
    assert "Restmüll" in preview and "26" in preview
    client.post(response["Location"])
    assert Pickup.objects.filter(area=areas["kausen"]).count() == 91


def test_a_file_that_is_not_a_calendar_gets_a_message_not_an_error_page(admin, areas, town_a):
    client = english(logged_in_client(town_a, admin))
    upload = SimpleUploadedFile("brief.ics", b"Sehr geehrte Damen und Herren", content_type="text/calendar")
    response = client.post("/waste/manage/import/", {"file": upload, "areas": [areas["kausen"].pk]})
    assert response.status_code == 400 and "not an iCalendar file" in response.content.decode()


def test_admin_moves_one_date(admin, areas, types, town_a):
    pickup = Pickup.objects.create(area=areas["kausen"], waste_type=types["bio"], date=datetime.date(2027, 5, 18))
    client = english(logged_in_client(town_a, admin))
    assert client.post(f"/waste/manage/pickups/{pickup.pk}/", {"date": "2027-05-19"}).status_code == 302
    pickup.refresh_from_db()
    assert pickup.date == datetime.date(2027, 5, 19)


def test_residents_do_not_reach_the_back_office(areas, town_a):
    client = english(logged_in_client(town_a, UserFactory(email="berta-tonne@example.org")))
    assert client.get("/waste/manage/").status_code == 403
    assert client.get("/waste/manage/import/").status_code == 403
