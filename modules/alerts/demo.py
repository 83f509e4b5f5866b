"""Demo content for Warnungen & Bekanntmachungen (idempotent).

The demo never reaches the real NINA API: it does not enter an ARS for the demo town (only a town
with an ARS is polled), and instead stores one recorded-looking weather notice with its "Stand",
as a poll would have. The district of Altenkirchen's ARS, 071320000000 (Kreisschlüssel 07 1 32),
is what a real Betzdorf-Gebhardshain would enter in the module settings to get live warnings.
Bekanntmachungen are stored directly: loading the demo must not notify everybody.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

DEMO_ARS = "071320000000"  # Landkreis Altenkirchen (Westerwald)
DEMO_WARNING_ID = "dwd.demo.betzdorf-gebhardshain.glaette"

# (title, kind, Ortsgemeinde slug, place, lat, lon, starts in days, lasts days, text)
NOTICES = [
    ("Vollsperrung der Hauptstraße in Gebhardshain", "road", "gebhardshain",
     "Hauptstraße zwischen Kirche und Bürgerhaus", Decimal("50.749410"), Decimal("7.819890"), 2, 12,
     "Wegen der Erneuerung des Abwasserkanals ist die Hauptstraße in Gebhardshain zwischen Kirche und "
     "Bürgerhaus voll gesperrt. Die Umleitung ist ausgeschildert und führt über die Betzdorfer Straße.\n\n"
     "Anlieger erreichen ihre Grundstücke von beiden Seiten. Die Bushaltestelle „Kirche“ wird an die "
     "Betzdorfer Straße verlegt. (Demo)"),
    ("Öffentliche Sitzung des Verbandsgemeinderates", "council", None,
     "Ratssaal, Rathaus Betzdorf, Hellerstraße 2", Decimal("50.790560"), Decimal("7.873060"), 6, 1,
     "Der Verbandsgemeinderat Betzdorf-Gebhardshain tritt um 18:00 Uhr im Ratssaal des Rathauses Betzdorf "
     "zu einer öffentlichen Sitzung zusammen.\n\nTagesordnung (öffentlicher Teil):\n"
     "1. Einwohnerfragestunde\n2. Haushaltssatzung 2027\n3. Ausbau der Kindertagesstätte Elkenroth\n"
     "4. Mitteilungen und Anfragen\n\nZuhörerinnen und Zuhörer sind willkommen. (Demo)"),
]


@transaction.atomic
def load() -> int:
    """Add the demo notices and the demo warning where missing; returns how many objects were created."""
    from accounts.models import User
    from demo.data import ADMIN
    from modules.alerts.models import Notice, OfficialWarning, PollState
    from modules.alerts.selectors import forget_banner
    from town.models import Ortsgemeinde

    admin = User.objects.filter(email=ADMIN["email"]).first()
    places = {place.slug: place for place in Ortsgemeinde.objects.all()}
    today = timezone.localdate()
    created = 0
    for title, kind, village, place, lat, lon, starts, lasts, body in NOTICES:
        if Notice.objects.filter(title=title).exists():
            continue
        Notice.objects.create(
            title=title, kind=kind, body=body, ortsgemeinde=places.get(village) if village else None, place=place,
            latitude=lat, longitude=lon, valid_from=today + timedelta(days=starts),
            valid_until=today + timedelta(days=starts + lasts - 1), created_by=admin,
        )
        created += 1
    if not OfficialWarning.objects.filter(identifier=DEMO_WARNING_ID).exists():
        now = timezone.now()
        OfficialWarning.objects.create(
            identifier=DEMO_WARNING_ID, version=1, provider="DWD", severity="Minor", msg_type="Alert",
            headline="Amtliche WARNUNG vor GLÄTTE (Demo)", sender_name="Deutscher Wetterdienst",
            description="Es tritt leichte Glätte durch überfrierende Nässe auf. (Beispielwarnung der Demo, "
                        "nicht von NINA abgerufen.)",
            instruction="Passen Sie Ihre Fahrweise an und rechnen Sie mit glatten Gehwegen.",
            area="Kreis Altenkirchen (Westerwald)", sent=now,
        )
        PollState.objects.update_or_create(pk=1, defaults={"last_success_at": now, "last_attempt_at": now,
                                                           "last_error": "", "region_key": DEMO_ARS})
        created += 1
        transaction.on_commit(forget_banner)
    return created
