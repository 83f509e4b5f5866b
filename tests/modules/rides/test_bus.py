"""The Bürgerbus: the town types a line's timetable, residents see it at each stop, next departures and on
the start page; bad timetables are refused in German with nothing stored."""

from __future__ import annotations

import datetime

from django.utils import timezone

from modules.rides import bus
from modules.rides.models import BusLine, BusStopTime
from tests.helpers import TownClient, admin_of, host_of, logged_in_client, shown
from tests.modules.rides.helpers import next_weekday

TIMETABLE = "Gebhardshain | 07:45 13:45\nElkenroth | 07:55 13:55\nKausen | 08:00 14:00\nBetzdorf | 08:10 14:10"


def _local(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def test_the_town_enters_a_line_and_residents_see_it_at_the_stop(stops, town_a):
    admin = logged_in_client(town_a, admin_of(town_a))
    response = admin.post("/rides/manage/lines/", {
        "name": "Bürgerbus Gebhardshain", "operator": "Bürgerbus-Verein", "phone": "02741 123",
        "weekdays": [str(d) for d in range(7)], "timetable": TIMETABLE})
    assert response.status_code == 302
    line = BusLine.objects.get()
    assert line.trips.count() == 2 and BusStopTime.objects.count() == 8

    page = TownClient(host_of(town_a)).get(f"/rides/stops/{stops['kausen'].pk}/").content.decode()
    assert "Bürgerbus Gebhardshain" in page and "08:00" in page and "14:00" in page and "02741 123" in page
    assert shown("Next departures") in page
    # The terminus has a timetable of arrivals only: no departures there.
    terminus = TownClient(host_of(town_a)).get(f"/rides/stops/{stops['betzdorf'].pk}/").content.decode()
    assert "08:10" not in terminus and shown("Timetables of the Verkehrsverbund") in terminus


def test_bad_timetables_are_refused_and_nothing_is_stored(stops, town_a):
    admin = logged_in_client(town_a, admin_of(town_a))
    base = {"name": "Bürgerbus", "weekdays": ["0"]}
    cases = [
        ("Gebhardshain | 07:45\nNirgendwo | 07:55", "Row %(row)s: there is no stop called “%(name)s”. Add it under "
         "Stops and benches first.", {"row": 2, "name": "Nirgendwo"}),
        ("Gebhardshain | 07:45 09:00\nKausen | 08:00", "Every stop needs the same number of times (“%(stop)s” has "
         "%(count)s, the first stop %(first)s).", {"stop": "Kausen", "count": 1, "first": 2}),
        ("Gebhardshain | 08:45\nKausen | 08:00", "Journey %(journey)s reaches “%(stop)s” before the stop above it.",
         {"journey": 1, "stop": "Kausen"}),
        ("Gebhardshain | 7Uhr\nKausen | 08:00", "Row %(row)s: “%(value)s” is not a time like 07:15.",
         {"row": 1, "value": "7Uhr"}),
        ("Gebhardshain | 07:45", "A timetable needs at least two stops, one per row.", {}),
    ]
    for timetable, message, params in cases:
        response = admin.post("/rides/manage/lines/", base | {"timetable": timetable})
        assert response.status_code == 400, timetable
        assert shown(message, **params) in response.content.decode()
    assert admin.post("/rides/manage/lines/", {"name": "", "weekdays": [], "timetable": TIMETABLE}).status_code == 400
    assert not BusLine.objects.exists() and not BusStopTime.objects.exists()


def test_a_resident_cannot_enter_or_delete_lines(stops, passenger, town_a):
    line = bus.line_create(acting_user=admin_of(town_a), name="Bürgerbus", weekdays=[0], timetable=TIMETABLE)
    client = logged_in_client(town_a, passenger)
    assert client.post("/rides/manage/lines/", {"name": "X", "weekdays": ["0"], "timetable": TIMETABLE}
                       ).status_code in (302, 403)
    assert client.post(f"/rides/manage/lines/{line.pk}/delete/").status_code in (302, 403)
    assert BusLine.objects.count() == 1


def test_next_departures_follow_the_weekdays_and_the_start_page_shows_them(stops, town_a):
    bus.line_create(acting_user=admin_of(town_a), name="Bürgerbus Gebhardshain", weekdays=[0, 2, 4],
                    timetable=TIMETABLE)
    monday = next_weekday(0)
    found = bus.next_departures(stop=stops["kausen"], now=_local(monday, 9, 0))
    assert [(d.when, d.headsign) for d in found[:2]] == [
        (_local(monday, 14, 0), "Betzdorf"), (_local(monday + datetime.timedelta(days=2), 8, 0), "Betzdorf")]
    # Tuesday evening: nothing on Tuesday, the next bus is Wednesday morning.
    assert bus.next_departures(stop=stops["kausen"], now=_local(monday + datetime.timedelta(days=1), 18, 0)
                               )[0].when == _local(monday + datetime.timedelta(days=2), 8, 0)
    home = TownClient(host_of(town_a)).get("/").content.decode()
    assert shown("Bürgerbus: next departures") in home and "Bürgerbus Gebhardshain" in home


def test_the_site_search_finds_stops_with_their_next_bus_and_lines(stops, town_a):
    bus.line_create(acting_user=admin_of(town_a), name="Bürgerbus Gebhardshain", operator="Bürgerbus-Verein",
                    weekdays=list(range(7)), timetable=TIMETABLE)
    client = TownClient(host_of(town_a))
    page = client.get("/suche/", {"q": "Kausen"}).content.decode()
    assert f"/rides/stops/{stops['kausen'].pk}/" in page and "Bürgerbus Gebhardshain" in page
    found = client.get("/suche/", {"q": "Bürgerbus"}).content.decode()
    assert shown("Bus line") in found and "-Verein" in found  # the operator, with the word found highlighted


def test_the_api_lists_stops_departures_and_offers_without_free_points(stops, driver, town_a):
    from tests.modules.rides.factories import RideFactory

    bus.line_create(acting_user=admin_of(town_a), name="Bürgerbus Gebhardshain", phone="02741 123",
                    weekdays=list(range(7)), timetable=TIMETABLE)
    RideFactory(person=driver, from_stop=None, from_lat=50.73512, from_lon=7.87833, to_stop=stops["betzdorf"],
                weekdays=[1], time=datetime.time(7, 15))
    client = TownClient(host_of(town_a))
    listed = client.get("/api/v1/rides/stops/").json()
    assert {s["name"] for s in listed["results"]} >= {"Kausen", "Betzdorf", "Mitfahrbank Kausen"}
    departures = client.get(f"/api/v1/rides/stops/{stops['kausen'].pk}/departures/", {"limit": 2}).json()
    assert len(departures) == 2 and departures[0]["line"] == "Bürgerbus Gebhardshain"
    assert departures[0]["phone"] == "02741 123"
    assert client.get(f"/api/v1/rides/stops/{stops['kausen'].pk}/departures/", {"limit": 99}).status_code == 400
    assert client.get("/api/v1/rides/stops/999999/departures/").status_code == 404
    offers = client.get("/api/v1/rides/offers/").content.decode()
    assert "Betzdorf" in offers and "50.73512" not in offers and "7.87833" not in offers


def test_the_ride_form_offers_a_map_for_free_points_and_works_without_it(stops, driver, town_a, settings,
                                                                          pages_rendered):
    client = logged_in_client(town_a, driver)
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    page = client.get("/rides/offer/").content.decode()
    assert 'id="rides-pin-map"' in page and "rides/pin_map.js" in page and 'name="from_lat"' in page
    settings.MAP_TILE_URL = ""
    page = client.get("/rides/offer/").content.decode()
    assert "rides-pin-map" not in page and 'name="from_lat"' in page


def test_the_ride_search_also_shows_the_bus_in_the_right_direction(stops, town_a):
    bus.line_create(acting_user=admin_of(town_a), name="Bürgerbus Gebhardshain", phone="02741 123",
                    weekdays=[0], timetable=TIMETABLE)
    client = TownClient(host_of(town_a))
    monday = next_weekday(0)
    search = {"from_stop": stops["elkenroth"].pk, "to_stop": stops["betzdorf"].pk, "date": monday.isoformat(),
              "time": "09:00"}
    page = client.get("/rides/", search).content.decode()
    assert shown("%(line)s: leaves %(departs)s, arrives %(arrives)s", line="Bürgerbus Gebhardshain",
                 departs="13:55", arrives="14:10") in page
    assert "07:55" not in page  # already gone at 9:00
    back = client.get("/rides/", search | {"from_stop": stops["betzdorf"].pk, "to_stop": stops["elkenroth"].pk})
    assert "Bürgerbus Gebhardshain" not in back.content.decode()  # the line runs the other way
