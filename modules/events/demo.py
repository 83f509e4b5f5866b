"""Demo content for events: venues, a weekly TuS training, a Feuerwehrfest with registration and more (idempotent).

Made through the services (sanitising, series end) but published directly, so loading the demo
announces nothing to anyone.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from core.calendar import TOWN_TZ

# name, street, postal code, place, Ortsgemeinde slug, lat, lon, step-free
VENUES = [
    ("Sportplatz Gebhardshain", "Am Sportplatz 1", "57580", "Gebhardshain", "gebhardshain", 50.7512, 7.8121, True),
    ("Feuerwehrhaus Betzdorf", "Hellerstraße 12", "57518", "Betzdorf", "betzdorf", 50.7901, 7.8725, True),
    ("Pfarrkirche St. Mariä Himmelfahrt", "Kirchstraße 2", "57580", "Gebhardshain", "gebhardshain", 50.7497,
     7.8102, False),
    ("Dorfgemeinschaftshaus Elkenroth", "Hauptstraße 30", "57578", "Elkenroth", "elkenroth", 50.7356, 7.8790, True),
    ("Backes Steinebach", "Kirchstraße 5", "57520", "Steinebach/Sieg", "steinebach-sieg", 50.7361, 7.8337, False),
]


def _next(weekday: int, weeks_ahead: int = 0) -> datetime.date:
    today = timezone.localtime(timezone.now(), TOWN_TZ).date()
    return today + datetime.timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks_ahead)


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TOWN_TZ)


def _events() -> list[dict[str, Any]]:
    """(editor's e-mail local part, organisation slug or None, venue, Ortsgemeinde, category, fields)."""
    saturday = _next(5)
    festival = _next(5, 2)
    backes = _next(5, 3)
    return [
        {"editor": "tus", "organisation": "tus-gebhardshain", "venue": "Sportplatz Gebhardshain",
         "ortsgemeinde": "gebhardshain", "category": "sport",
         "title": "TuS-Training: Fußball für Kinder (6–10 Jahre)",
         "description": "Jeden Dienstag trainieren unsere Jüngsten auf dem Sportplatz. Schnuppern ist jederzeit "
                        "möglich – bitte Turnschuhe und etwas zu trinken mitbringen.",
         "starts_at": _at(_next(1), 17), "ends_at": _at(_next(1), 18, 30), "rrule": "FREQ=WEEKLY;BYDAY=TU",
         "contact_name": "Lena Schmidt", "contact_email": "jugend@tus-gebhardshain.example"},
        {"editor": "feuerwehr", "organisation": "feuerwehr-betzdorf", "venue": "Feuerwehrhaus Betzdorf",
         "ortsgemeinde": "betzdorf", "category": "feste", "title": "Feuerwehrfest mit Tag der offenen Tür",
         "description": "Fahrzeugschau, Vorführungen der Jugendfeuerwehr, Hüpfburg und Grillstand. Für das "
                        "gemeinsame Mittagessen bitten wir um Anmeldung.",
         "starts_at": _at(festival, 11), "ends_at": _at(festival, 18), "registration_enabled": True,
         "capacity": 120, "max_places_per_registration": 6, "questions": "Wie viele möchten vegetarisch essen?",
         "step_free": True},
        {"editor": "gemeindeleben", "organisation": "kirchengemeinde-gebhardshain",
         "venue": "Pfarrkirche St. Mariä Himmelfahrt", "ortsgemeinde": "gebhardshain", "category": "kirche",
         "title": "Kirchenkonzert: Orgel und Chor zum Advent",
         "description": "Der Kirchenchor und Organist Bernhard Klein spielen Werke von Bach bis Rutter.",
         "starts_at": _at(saturday, 17), "ends_at": _at(saturday, 18, 30), "is_free": False,
         "price": "Eintritt frei, Spenden erbeten", "hearing_loop": True},
        {"editor": "gemeindeleben", "organisation": "heimatverein-steinebach", "venue": "Backes Steinebach",
         "ortsgemeinde": "steinebach-sieg", "category": "feste", "title": "Backesfest Steinebach",
         "description": "Frisches Brot und Flammkuchen aus dem alten Backes, zwei Tage lang.",
         "starts_at": _at(backes, 0), "ends_at": _at(backes + datetime.timedelta(days=1), 0), "all_day": True},
        {"editor": None, "organisation": None, "venue": None, "ortsgemeinde": None, "category": "senioren",
         "title": "Sitzgymnastik für Seniorinnen und Senioren", "address": "Gemeindesaal, Kirchstraße 2, Betzdorf",
         "description": "Jeden Donnerstag eine Stunde Bewegung im Sitzen. Die Plätze sind begrenzt: bitte für "
                        "den Termin anmelden, zu dem Sie kommen.",
         "starts_at": _at(_next(3), 10), "ends_at": _at(_next(3), 11), "rrule": "FREQ=WEEKLY;BYDAY=TH",
         "registration_enabled": True, "capacity": 12, "max_places_per_registration": 2, "step_free": True},
        {"editor": None, "organisation": None, "venue": None, "ortsgemeinde": None, "category": "rathaus",
         "title": "Bauernmarkt am Rathaus", "address": "Rathausplatz, Betzdorf",
         "description": "Regionale Erzeuger auf dem Rathausplatz, jeden ersten Samstag im Monat.",
         "starts_at": _at(_next(5), 8), "ends_at": _at(_next(5), 12),
         "rrule": f"FREQ=MONTHLY;BYDAY={(_next(5).day - 1) // 7 + 1}SA"},
    ]


@transaction.atomic
def load() -> int:
    """Add the venues and events that aren't there yet; returns how many objects were created."""
    from accounts.models import Role, User
    from demo.data import email_of
    from modules.events.models import Category, Event, EventStatus, Venue
    from modules.events.services import categories_seed, event_create
    from town.models import Organisation, Ortsgemeinde

    categories_seed()
    created = 0
    places = {o.slug: o for o in Ortsgemeinde.objects.all()}
    for name, street, code, locality, village, lat, lon, step_free in VENUES:
        _venue, made = Venue.objects.get_or_create(name=name, defaults={
            "street": street, "postal_code": code, "locality": locality, "ortsgemeinde": places.get(village),
            "latitude": lat, "longitude": lon, "step_free": step_free})
        created += made
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    if admin is None:
        return created
    venues = {v.name: v for v in Venue.objects.all()}
    categories = {c.slug: c for c in Category.objects.all()}
    organisations = {o.slug: o for o in Organisation.objects.all()}
    people = {u.email: u for u in User.objects.filter(email__endswith=email_of(""))}
    for spec in _events():
        data = dict(spec)
        if Event.objects.filter(title=data["title"]).exists():
            continue
        editor = people.get(email_of(data.pop("editor"))) if spec["editor"] else None
        organisation = organisations.get(data.pop("organisation") or "")
        if spec["organisation"] and organisation is None:
            continue
        data["venue"] = venues.get(data.pop("venue") or "")
        data["ortsgemeinde"] = places.get(data.pop("ortsgemeinde") or "")
        data["category"] = categories.get(data.pop("category"))
        acting = editor if editor is not None and organisation is not None else admin
        try:
            event = event_create(acting_user=acting, organisation=organisation, **data)
        except PermissionDenied:  # the editor is not (yet) a member of the club: the admin publishes it
            event = event_create(acting_user=admin, organisation=organisation, **data)
        Event.objects.filter(pk=event.pk).update(status=EventStatus.PUBLISHED, published_at=timezone.now())
        created += 1
    return created
