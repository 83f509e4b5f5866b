"""Demo content for the Branchenbuch: six approved businesses in different Ortsgemeinden (idempotent).

Made through the directory's own services, so every entry passes the same checks
as a real one (postal code, coordinates, opening hours without overlaps, offers
ending in the future): the owner registers, the town admin approves (which makes
the owner the business's manager), then the owner enters hours, a holiday and
the 'Angebot der Woche'. The application notice this would send is dropped by
the notification task because the entry is approved by the time it runs; the
owner gets the usual "your business is now in the directory" notice.

A business whose name exists already is left alone, so a second load creates
nothing. Dates (the holiday, the offer's end) are relative to the day of the
first load.
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from django.db import transaction

HoursSpec = tuple[int, str, str] | tuple[int, str, str, bool]  # (weekday 0=Mon, opens, closes[, past midnight])

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def _days(days: tuple[int, ...], *spans: tuple[str, str]) -> list[HoursSpec]:
    return [(day, opens, closes) for day in days for opens, closes in spans]


# Each business: its owner's e-mail local part (see demo.data.PEOPLE), the entry's fields,
# category names (from services.DEFAULT_CATEGORIES), regular hours, exceptions
# (days from today, length in days, note, special hours or None for closed) and offers
# (title, description, price, valid for that many days).
BUSINESSES: list[dict[str, Any]] = [
    {
        "owner": "katrin.jung",
        "name": "Dorfbäckerei Jung",
        "categories": ("Bäckerei",),
        "fields": {
            "description": (
                "Handwerksbäckerei in dritter Generation: Brot aus Natursauerteig, Brötchen vom Steinofen und "
                "samstags Westerwälder Streuselkuchen. Sonntags frische Brötchen bis 10:30 Uhr. (Demo)"
            ),
            "street": "Hauptstraße 14", "postal_code": "57580", "locality": "Gebhardshain",
            "ortsgemeinde": "gebhardshain", "latitude": "50.749180", "longitude": "7.816950",
            "phone": "02747 000-101 (Demo)", "email": "baeckerei-jung@betzdorf-gebhardshain.example",
            "delivers": True, "pickup": True,
            "delivery_notes": (
                "Brötchen-Lieferdienst samstags und sonntags nach Gebhardshain, Elben und Fensdorf; "
                "Vorbestellung bis 18 Uhr am Vortag. Torten auf Bestellung zum Abholen."
            ),
        },
        # Wednesday afternoon closed, a lunch break on weekdays, short Sunday morning.
        "hours": [
            *_days((MON, TUE, THU, FRI), ("06:00", "12:30"), ("14:30", "18:00")),
            (WED, "06:00", "12:30"),
            (SAT, "06:00", "12:00"),
            (SUN, "07:30", "10:30"),
        ],
        "exceptions": [(21, 5, "Betriebsferien – Vorbestellungen für die Zeit danach nehmen wir gern entgegen.", None)],
        "offers": [(
            "Westerwälder Bauernbrot, 1 kg",
            "Roggenmischbrot mit Natursauerteig, kräftig ausgebacken – diese Woche zum Aktionspreis.",
            "3,90 € statt 4,60 €", 6,
        )],
    },
    {
        "owner": "juergen.schaefer",
        "name": "Hofladen Birkenhof",
        "categories": ("Hofladen", "Lebensmittel"),
        "fields": {
            "description": (
                "Eier von freilaufenden Hühnern, Kartoffeln, Honig und Wurst aus eigener Schlachtung. "
                "Rund um die Uhr: unser Eier- und Kartoffelautomat an der Hofeinfahrt. "
                "Donnerstags finden Sie uns auch auf dem Wochenmarkt in Betzdorf. (Demo)"
            ),
            "street": "Birkenweg 3", "postal_code": "57578", "locality": "Elkenroth",
            "ortsgemeinde": "elkenroth", "latitude": "50.735410", "longitude": "7.878620",
            "phone": "02747 000-202 (Demo)",
            "delivers": False, "pickup": True,
            "delivery_notes": "Gemüsekisten auf Bestellung zum Abholen am Freitagnachmittag.",
        },
        # Open only three days; Sunday and Monday not at all.
        "hours": [
            *_days((TUE, FRI), ("09:00", "12:00"), ("15:00", "18:00")),
            (SAT, "08:00", "13:00"),
        ],
        "exceptions": [],
        "offers": [],
    },
    {
        "owner": "michael.koelsch",
        "name": "Metzgerei Kölsch",
        "categories": ("Metzgerei", "Gastronomie"),
        "fields": {
            "description": (
                "Fleisch und Wurst aus der Region, hausgemachte Leberwurst und Sülze. Mittagstisch "
                "montags bis freitags von 11:30 bis 14:00 Uhr, jeden Tag ein anderes Gericht – "
                "auch zum Mitnehmen. Partyservice für Feiern im Verein und in der Familie. (Demo)"
            ),
            "street": "Bahnhofstraße 21", "postal_code": "57518", "locality": "Betzdorf",
            "ortsgemeinde": "betzdorf", "latitude": "50.789640", "longitude": "7.871480",
            "phone": "02741 000-303 (Demo)", "website": "https://metzgerei-koelsch.example",
            "delivers": True, "pickup": True,
            "delivery_notes": "Mittagstisch ab 5 Essen Lieferung in Betzdorf und Scheuerfeld; Partyservice frei Haus.",
        },
        "hours": [
            *_days((MON, TUE, WED, THU, FRI), ("07:30", "18:00")),
            (SAT, "07:00", "13:00"),
        ],
        "exceptions": [],
        "offers": [],
    },
    {
        "owner": "sandra.brenner",
        "name": "Salon Haarmonie",
        "categories": ("Dienstleistungen",),
        "fields": {
            "description": (
                "Friseursalon für Damen, Herren und Kinder. Termine gern telefonisch; dienstags und "
                "donnerstags kommen wir auch zu Ihnen nach Hause, wenn Sie nicht mehr gut aus dem Haus "
                "kommen. (Demo)"
            ),
            "street": "Kirchstraße 5", "postal_code": "57520", "locality": "Steinebach/Sieg",
            "ortsgemeinde": "steinebach-sieg", "latitude": "50.739250", "longitude": "7.834180",
            "phone": "02747 000-404 (Demo)",
            "delivers": False, "pickup": False,
            "delivery_notes": "Hausbesuche dienstags und donnerstags nach Vereinbarung.",
        },
        # Monday closed; Thursday until 20:00 for people who work.
        "hours": [
            *_days((TUE, WED, FRI), ("09:00", "12:00"), ("13:30", "18:00")),
            (THU, "09:00", "12:00"), (THU, "13:30", "20:00"),
            (SAT, "08:00", "13:00"),
        ],
        "exceptions": [],
        "offers": [],
    },
    {
        "owner": "ulrike.brandt",
        "name": "Hausarztpraxis Dr. Brandt",
        "categories": ("Ärzte & Gesundheit",),
        "fields": {
            "description": (
                "Hausärztliche Versorgung für Kausen und die umliegenden Orte: Vorsorge, Impfungen, "
                "Hausbesuche. Offene Sprechstunde montags 8–10 Uhr, sonst bitte mit Termin. "
                "In Notfällen außerhalb der Sprechzeiten: ärztlicher Bereitschaftsdienst 116 117. (Demo)"
            ),
            "street": "Schulstraße 2", "postal_code": "57520", "locality": "Kausen",
            "ortsgemeinde": "kausen", "latitude": "50.724010", "longitude": "7.839760",
            "phone": "02747 000-505 (Demo)",
            "delivers": False, "pickup": True,
            "delivery_notes": "Folgerezepte können telefonisch bestellt und am nächsten Werktag abgeholt werden.",
        },
        # Wednesday and Friday afternoons without consultations.
        "hours": [
            *_days((MON, TUE, THU), ("08:00", "12:00"), ("15:00", "18:00")),
            *_days((WED, FRI), ("08:00", "12:00")),
        ],
        "exceptions": [],
        "offers": [],
    },
    {
        "owner": "frank.lohmann",
        "name": "Gasthaus Zur Linde",
        "categories": ("Gastronomie",),
        "fields": {
            "description": (
                "Dorfgasthaus mit Westerwälder Küche, Kegelbahn und Saal für 80 Personen. Freitags "
                "Schnitzeltag, sonntags Mittagstisch. Freitag und Samstag ist die Küche bis 22 Uhr "
                "geöffnet, die Theke bis 1 Uhr. (Demo)"
            ),
            "street": "Siegstraße 40", "postal_code": "57584", "locality": "Scheuerfeld",
            "ortsgemeinde": "scheuerfeld", "latitude": "50.792600", "longitude": "7.844700",
            "phone": "02741 000-606 (Demo)",
            "delivers": False, "pickup": True,
            "delivery_notes": "Alle Gerichte auch zum Mitnehmen; bitte vorher anrufen.",
        },
        # Friday and Saturday past midnight; Monday and Tuesday closed (Ruhetage).
        "hours": [
            *_days((WED, THU), ("17:00", "23:00")),
            (FRI, "17:00", "01:00", True),
            (SAT, "17:00", "01:00", True),
            (SUN, "11:30", "14:30"), (SUN, "17:00", "22:00"),
        ],
        "exceptions": [],
        "offers": [],
    },
]


def _interval(spec: HoursSpec) -> Any:
    from core.opening_hours import Interval

    weekday, opens, closes, *rest = spec
    return Interval(weekday, time.fromisoformat(opens), time.fromisoformat(closes), bool(rest and rest[0]))


@transaction.atomic
def load() -> int:
    """Add the demo businesses that aren't there yet; returns how many objects were created
    (businesses, their opening intervals, exceptions and offers)."""
    from accounts.models import Role, User
    from demo.data import email_of
    from modules.directory import selectors, services
    from modules.directory.models import Business, BusinessCategory
    from town.models import Ortsgemeinde

    # The town's first admin approves; in the demo that is its Digitallotsin.
    approver = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    if approver is None:
        return 0
    services.categories_seed()
    categories = {category.name: category for category in BusinessCategory.objects.all()}
    places = {place.slug: place for place in Ortsgemeinde.objects.all()}
    people = {user.email: user for user in User.objects.filter(email__endswith=email_of(""), is_active=True)}
    existing = set(Business.objects.values_list("name", flat=True))
    today = selectors.today_local()
    created = 0
    for item in BUSINESSES:
        owner = people.get(email_of(item["owner"]))
        if owner is None or item["name"] in existing:
            continue
        fields = dict(item["fields"])
        fields["ortsgemeinde"] = places.get(fields["ortsgemeinde"])
        business = services.business_register(
            acting_user=owner, name=item["name"],
            categories=[categories[name] for name in item["categories"] if name in categories], **fields,
        )
        services.business_approve(business=business, acting_user=approver)
        rows = services.opening_hours_replace(
            business=business, acting_user=owner, intervals=[_interval(spec) for spec in item["hours"]]
        )
        created += 1 + len(rows)
        for days_ahead, length, note, special in item["exceptions"]:
            start = today + timedelta(days=days_ahead)
            opens, closes = (time.fromisoformat(t) for t in special) if special else (None, None)
            services.opening_exception_add(
                business=business, acting_user=owner, start_date=start, end_date=start + timedelta(days=length - 1),
                closed=special is None, opens=opens, closes=closes, note=note,
            )
            created += 1
        for title, description, price, days in item["offers"]:
            services.offer_add(
                business=business, acting_user=owner, title=title, description=description, price=price,
                valid_until=today + timedelta(days=days),
            )
            created += 1
    return created
