"""Demo content for Mitfahren: the town's stops, two Mitfahrbänke, three regular offers and a request.

Positions are the real village centres of the Verbandsgemeinde Betzdorf-Gebhardshain (rounded).
Hannah Klein commutes Elkenroth → Betzdorf Bahnhof on weekdays, Peter Schneider drives
Steinebach → Betzdorf on Tuesdays and Thursdays, Lena Schmidt Gebhardshain → Betzdorf on weekdays
at 8:00; Gisela Hoffmann needs a ride from Fensdorf to the doctors in Betzdorf next Tuesday.
The Bürgerbus runs Fensdorf → Gebhardshain → Steinebach → Kausen → Elkenroth → Betzdorf and back
on Monday, Wednesday and Friday.
Made through the services (validation, matching, notices as in real use); a second load creates nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

# (name, kind, latitude, longitude, Ortsgemeinde slug)
STOPS = [
    ("Betzdorf Bahnhof", "station", 50.7883, 7.8716, "betzdorf"),
    ("Betzdorf Ärztehaus", "doctor", 50.7861, 7.8762, "betzdorf"),
    ("Elkenroth Dorfmitte", "centre", 50.7347, 7.8783, "elkenroth"),
    ("Gebhardshain Marktplatz", "centre", 50.7447, 7.8179, "gebhardshain"),
    ("Kausen Dorfplatz", "centre", 50.7526, 7.8486, "kausen"),
    ("Steinebach Supermarkt", "supermarket", 50.7419, 7.8477, "steinebach-sieg"),
    ("Fensdorf Kapelle", "centre", 50.7322, 7.8033, "fensdorf"),
    ("Scheuerfeld Kirche", "centre", 50.7905, 7.8433, "scheuerfeld"),
]
# (name, latitude, longitude, Ortsgemeinde slug, directions)
BENCHES = [
    ("Mitfahrbank Elkenroth, Bushaltestelle", 50.7351, 7.8790, "elkenroth",
     ("Betzdorf Bahnhof", "Gebhardshain Marktplatz")),
    ("Mitfahrbank Gebhardshain, Kirche", 50.7452, 7.8190, "gebhardshain",
     ("Betzdorf Bahnhof", "Steinebach Supermarkt", "Elkenroth Dorfmitte")),
]
# (person, from, to, weekdays, time, return time, seats, detour km, note)
OFFERS = [
    ("hannah.klein", "Elkenroth Dorfmitte", "Betzdorf Bahnhof", [0, 1, 2, 3, 4], (7, 15), (17, 30), 3, 4,
     "Ich fahre jeden Werktag zur Arbeit und nehme gern jemanden mit. Abfahrt pünktlich an der Dorfmitte."),
    ("peter.schneider", "Steinebach Supermarkt", "Betzdorf Bahnhof", [1, 3], (9, 0), (12, 30), 2, 6,
     "Dienstags und donnerstags in die Stadt, Platz für Einkäufe. Ein Rollator passt in den Kofferraum."),
    ("tus", "Gebhardshain Marktplatz", "Betzdorf Bahnhof", [0, 1, 2, 3, 4], (8, 0), (16, 30), 3, 6,
     "Morgens nach Betzdorf, nachmittags zurück. Kindersitz vorhanden."),
]
# The Bürgerbus of the Verbandsgemeinde: Monday, Wednesday and Friday from Fensdorf through the
# villages to Betzdorf and back (one row per stop, one column per journey).
BUS_OPERATOR = "Bürgerbus-Verein Betzdorf-Gebhardshain e. V."
BUS_PHONE = "02741 1234-56"
BUS_LINES = [
    ("Bürgerbus Gebhardshain → Betzdorf", "Fensdorf Kapelle | 07:45 10:15 13:45\n"
     "Gebhardshain Marktplatz | 07:52 10:22 13:52\nSteinebach Supermarkt | 08:00 10:30 14:00\n"
     "Kausen Dorfplatz | 08:05 10:35 14:05\nElkenroth Dorfmitte | 08:12 10:42 14:12\n"
     "Betzdorf Ärztehaus | 08:25 10:55 14:25\nBetzdorf Bahnhof | 08:30 11:00 14:30"),
    ("Bürgerbus Betzdorf → Gebhardshain", "Betzdorf Bahnhof | 09:00 12:00 16:00\n"
     "Betzdorf Ärztehaus | 09:05 12:05 16:05\nElkenroth Dorfmitte | 09:18 12:18 16:18\n"
     "Kausen Dorfplatz | 09:25 12:25 16:25\nSteinebach Supermarkt | 09:30 12:30 16:30\n"
     "Gebhardshain Marktplatz | 09:38 12:38 16:38\nFensdorf Kapelle | 09:45 12:45 16:45"),
]
REQUEST = ("gisela.hoffmann", "Fensdorf Kapelle", "Betzdorf Ärztehaus", 1, (8, 30),
           "Arzttermin um 9 Uhr. Ich bin etwas langsam zu Fuß.")


def _next(weekday: int) -> datetime.date:
    today = timezone.localdate()
    return today + datetime.timedelta(days=(weekday - today.weekday()) % 7 or 7)


@transaction.atomic
def load() -> int:
    """Add the stops, benches, offers and the request where missing; returns how many were created."""
    from accounts.models import User
    from demo.data import email_of
    from modules.rides.models import Ride, Stop
    from modules.rides.services import ride_create
    from town.models import Ortsgemeinde

    places = {place.slug: place for place in Ortsgemeinde.objects.all()}
    created = 0
    stops = {stop.name: stop for stop in Stop.objects.all()}
    for name, kind, lat, lon, slug in STOPS:
        if name not in stops:
            stops[name] = Stop.objects.create(name=name, kind=kind, latitude=lat, longitude=lon,
                                              ortsgemeinde=places.get(slug))
            created += 1
    for name, lat, lon, slug, directions in BENCHES:
        if name not in stops:
            bench = Stop.objects.create(name=name, kind="bench", is_bench=True, latitude=lat, longitude=lon,
                                        ortsgemeinde=places.get(slug))
            bench.directions.set([stops[d] for d in directions])
            stops[name] = bench
            created += 1
    people = {u.email: u for u in User.objects.filter(email__endswith=email_of(""), is_active=True)}
    for local, origin, destination, days, at, back, seats, detour, note in OFFERS:
        person = people.get(email_of(local))
        if person is None or Ride.objects.filter(person=person, kind="offer").exists():
            continue
        ride_create(acting_user=person, kind="offer", from_stop=stops[origin], to_stop=stops[destination],
                    weekdays=days, time=datetime.time(*at), return_time=datetime.time(*back) if back else None,
                    seats=seats, detour_km=detour, note=note, luggage=True, wheelchair=local == "peter.schneider",
                    child_seat=local == "tus")
        created += 1
    local, origin, destination, weekday, at, note = REQUEST
    person = people.get(email_of(local))
    if person is not None and not Ride.objects.filter(person=person, kind="request").exists():
        ride_create(acting_user=person, kind="request", from_stop=stops[origin], to_stop=stops[destination],
                    date=_next(weekday), time=datetime.time(*at), flex_minutes=45, note=note)
        created += 1
    from modules.rides.bus import line_create_demo
    from modules.rides.models import BusLine

    for name, timetable in BUS_LINES:
        if not BusLine.objects.filter(name=name).exists():
            line_create_demo(name=name, operator=BUS_OPERATOR, phone=BUS_PHONE, weekdays=[0, 2, 4],
                             timetable=timetable, note="Bitte bis zum Vortag 12 Uhr telefonisch anmelden. "
                             "Die Fahrt kostet nichts, Spenden an den Verein sind willkommen.")
            created += 1
    created += _load_bus_bookings(people)
    return created


# The Bürgerbus-Verein's phone: Peter Schneider takes the calls; two callers have a seat on Monday.
BUS_SEATS = 8
BUS_DISPATCHER = "peter.schneider"
BUS_CALLERS = [("Erna Klöckner", "02747 3311", "Fensdorf Kapelle", "Betzdorf Ärztehaus", "Rollator"),
               ("Willi Hombach", "", "Gebhardshain Marktplatz", "Betzdorf Bahnhof", "")]


def _load_bus_bookings(people: dict[str, Any]) -> int:
    from modules.rides.bus import booking_create
    from modules.rides.models import BusBooking, BusLine, Stop

    line = BusLine.objects.filter(name=BUS_LINES[0][0]).first()
    dispatcher = people.get(_email(BUS_DISPATCHER))
    if line is None or dispatcher is None or BusBooking.objects.exists():
        return 0
    line.seats = BUS_SEATS
    line.save(update_fields=["seats"])
    line.dispatchers.add(dispatcher)
    trip = line.trips.order_by("pk").first()
    stops = {stop.name: stop for stop in Stop.objects.all()}
    for name, phone, origin, destination, note in BUS_CALLERS:
        booking_create(acting_user=dispatcher, trip=trip, day=_next(0), from_stop=stops[origin],
                       to_stop=stops[destination], name=name, phone=phone, note=note)
    return len(BUS_CALLERS)


def _email(local: str) -> str:
    from demo.data import email_of

    return email_of(local)
