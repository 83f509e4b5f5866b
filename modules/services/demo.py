"""Demo content for Rathaus & Bürgerservice in Betzdorf-Gebhardshain (idempotent).

Two Bürgerbüros and the Standesamt with hours, a closed day and one named contact person, twelve
services with what to bring and fees (as a Verbandsgemeinde in Rhineland-Palatinate has them in
2026), a form to download, and a few found items. Made through the module's services, so every
row passes the same checks as a real one. The Bürgerbüro Betzdorf takes over the town's demo
office hours titled "Bürgerbüro" (platform/demo; they then carry the office's name), so its hours
exist once. Dates are relative to
the day of the first load; an office, service or found item whose name exists is left alone.
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

MON, TUE, WED, THU, FRI = range(5)

OFFICES: list[dict[str, Any]] = [
    {
        "fields": {"name": "Bürgerbüro Betzdorf", "street": "Hellerstraße 2 (Demo)", "postal_code": "57518",
                   "locality": "Betzdorf", "room": "Erdgeschoss", "latitude": "50.789600",
                   "longitude": "7.871800", "phone": "02741 291-0",
                   "email": "buergerbuero@betzdorf-gebhardshain.example",
                   "booking_url": "https://termine.betzdorf-gebhardshain.example/buergerbuero",
                   "description": "Ausweise und Pässe, An- und Ummeldung, Meldebescheinigungen, Führungszeugnisse "
                                  "und das Fundbüro der Verbandsgemeinde.", "position": 10},
        "adopt_title": "Bürgerbüro",
        "hours": [(MON, "08:30", "12:00"), (TUE, "08:30", "12:00"), (THU, "14:00", "18:00"), (FRI, "08:30", "12:00")],
        "closed": [(21, "Betriebsausflug")],
        "contacts": [("Anja Hoffmann (Demo-Person)", "Leitung Bürgerbüro", "02741 291-120")],
    },
    {
        "fields": {"name": "Bürgerbüro Gebhardshain", "street": "Hauptstraße 45 (Demo)", "postal_code": "57580",
                   "locality": "Gebhardshain", "latitude": "50.750500", "longitude": "7.811000",
                   "ortsgemeinde": "gebhardshain", "phone": "02747 809-0",
                   "email": "buergerbuero.gebhardshain@betzdorf-gebhardshain.example",
                   "description": "Die Außenstelle für die Ortsgemeinden rund um Gebhardshain: Ausweise, "
                                  "Meldeangelegenheiten und Hundesteuer.", "position": 20},
        "hours": [(TUE, "08:30", "12:00"), (THU, "14:00", "17:30")],
        "closed": [],
        "contacts": [],
    },
    {
        "fields": {"name": "Standesamt", "street": "Hellerstraße 2 (Demo)", "postal_code": "57518",
                   "locality": "Betzdorf", "room": "1. Obergeschoss, Zimmer 104", "latitude": "50.789700",
                   "longitude": "7.872000", "ortsgemeinde": "betzdorf", "phone": "02741 291-140",
                   "email": "standesamt@betzdorf-gebhardshain.example",
                   "booking_url": "https://termine.betzdorf-gebhardshain.example/standesamt",
                   "description": "Geburten, Eheschließungen und Sterbefälle; "
                                  "Urkunden aus den Personenstandsregistern.",
                   "position": 30},
        "hours": [(MON, "08:30", "12:00"), (TUE, "08:30", "12:00"), (THU, "08:30", "12:00"), (FRI, "08:30", "12:00")],
        "closed": [],
        "contacts": [],
    },
]

BB, GB, STA = "Bürgerbüro Betzdorf", "Bürgerbüro Gebhardshain", "Standesamt"

# title, office, life situation slug, summary, documents, fees, appointment, online URL, form title
SERVICES: list[tuple[str, str, str, str, str, str, bool, str, str]] = [
    ("Personalausweis beantragen", BB, "ausweise-dokumente",
     "Den neuen Personalausweis beantragen Sie persönlich; er ist nach etwa drei Wochen abholbereit.",
     "Bisheriger Personalausweis oder Reisepass\nBiometrisches Passfoto (im Bürgerbüro oder digital vom Fotografen)\n"
     "Bei geändertem Namen: Heirats- oder Namensänderungsurkunde",
     "37,00 € ab 24 Jahren, 22,80 € unter 24 Jahren", True, "", ""),
    ("Reisepass beantragen", BB, "ausweise-dokumente",
     "Für Reisen außerhalb der EU. Der Pass kommt nach drei bis vier Wochen, im Expressverfahren nach wenigen Tagen.",
     "Bisheriger Reisepass oder Personalausweis\nBiometrisches Passfoto\n"
     "Für Kinder: Geburtsurkunde und Zustimmung beider Sorgeberechtigten",
     "70,00 € ab 24 Jahren, 37,50 € unter 24 Jahren; Expresszuschlag 32,00 €", True, "", ""),
    ("Wohnsitz anmelden", BB, "umzug-wohnen",
     "Nach dem Einzug in eine neue Wohnung melden Sie sich innerhalb von zwei Wochen an.",
     "Personalausweis oder Reisepass\nWohnungsgeberbestätigung (vom Vermieter ausgefüllt)",
     "gebührenfrei", False, "https://www.wohnsitzanmeldung.gov.de/", "Wohnungsgeberbestätigung"),
    ("Wohnsitz abmelden", BB, "umzug-wohnen",
     "Abmelden müssen Sie sich nur, wenn Sie ins Ausland ziehen oder eine Nebenwohnung aufgeben.",
     "Personalausweis oder Reisepass", "gebührenfrei", False, "", ""),
    ("Meldebescheinigung beantragen", GB, "umzug-wohnen",
     "Eine Bescheinigung über Ihre Anschrift, etwa für Behörden oder den Arbeitgeber.",
     "Personalausweis oder Reisepass", "10,00 €", False, "", ""),
    ("Führungszeugnis beantragen", BB, "gewerbe",
     "Das Bundesamt für Justiz schickt das Führungszeugnis per Post, meist innerhalb von zwei Wochen.",
     "Personalausweis oder Reisepass\nFür ein Zeugnis für Ehrenamtliche: Bestätigung des Vereins",
     "13,00 €; für Ehrenamtliche gebührenfrei", False, "https://www.fuehrungszeugnis.bund.de/", ""),
    ("Gewerbe anmelden", BB, "gewerbe",
     "Wer ein Gewerbe beginnt, meldet es bei der Verbandsgemeinde an.",
     "Personalausweis oder Reisepass\nBei Handwerk: Eintragung in die Handwerksrolle\n"
     "Bei erlaubnispflichtigem Gewerbe: die Erlaubnis",
     "26,00 €", False, "", ""),
    ("Hund anmelden (Hundesteuer)", GB, "umzug-wohnen",
     "Ein Hund ist innerhalb von zwei Wochen nach Anschaffung oder Zuzug anzumelden.",
     "Personalausweis\nBei gefährlichen Hunden: Haftpflichtnachweis und Erlaubnis",
     "Steuer je nach Satzung: erster Hund 60,00 € im Jahr (Demo)", False, "", "Anmeldung zur Hundesteuer"),
    ("Geburt beurkunden", STA, "familie",
     "Das Standesamt des Geburtsorts beurkundet die Geburt und stellt die Geburtsurkunden aus.",
     "Geburtsbescheinigung der Klinik oder Hebamme\nPersonalausweise der Eltern\n"
     "Eheurkunde oder Geburtsurkunden der Eltern",
     "Drei Urkunden für Elterngeld, Kindergeld und Mutterschaft gebührenfrei; jede weitere 12,00 €", True, "", ""),
    ("Eheschließung anmelden", STA, "familie",
     "Vor der Trauung melden Sie die Eheschließung beim Standesamt Ihres Wohnorts an.",
     "Personalausweise oder Reisepässe\nBeglaubigte Ausdrucke aus dem Geburtenregister (nicht älter als sechs Monate)\n"
     "Bei früheren Ehen: Nachweis über deren Auflösung",
     "60,00 €; Trauung außerhalb der Dienstzeit zusätzlich", True, "", ""),
    ("Sterbefall beurkunden", STA, "familie",
     "Ein Sterbefall wird beim Standesamt des Sterbeorts beurkundet; oft übernimmt das der Bestatter.",
     "Todesbescheinigung des Arztes\nPersonalausweis der verstorbenen Person\nGeburts- oder Eheurkunde",
     "Sterbeurkunde 12,00 €", False, "", ""),
    ("Briefwahl beantragen", BB, "ausweise-dokumente",
     "Sie bekommen die Wahlunterlagen per Post oder wählen gleich im Bürgerbüro.",
     "Wahlbenachrichtigung\nFür eine andere Person: schriftliche Vollmacht", "gebührenfrei", False, "", ""),
]

# title, category, place, days ago, office, description
FOUND: list[tuple[str, str, str, int, str, str]] = [
    ("Schlüsselbund mit rotem Anhänger", "keys", "Bahnhof Betzdorf, Bahnsteig 2", 3, BB,
     "Drei Schlüssel an einem Ring."),
    ("Schwarze Geldbörse", "wallet", "Hauptstraße, Gebhardshain", 9, GB, "Leder, ohne Bargeld."),
    ("Blaues Kinderfahrrad", "bicycle", "Sportplatz Elkenroth", 15, BB, "20 Zoll, mit Klingel."),
    ("Brille in braunem Etui", "glasses", "Bürgerhaus Gebhardshain", 30, GB, ""),
]


def _pdf(title: str) -> bytes:
    """A small, valid one-page PDF that says what the real form would be."""
    text = f"{title} (Demo-Formular)".encode("latin-1", "replace")
    stream = b"BT /F1 18 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


@transaction.atomic
def load() -> int:
    """Add the demo offices, services and found items that aren't there yet; returns how many were made."""
    from accounts.models import Role, User
    from modules.services import services
    from modules.services.models import FoundItem, LifeSituation, Office, OfficeHourLink, Service
    from town.models import OfficeHour, Ortsgemeinde

    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    if admin is None:
        return 0
    services.life_situations_seed()
    situations = {s.slug: s for s in LifeSituation.objects.all()}
    places = {place.slug: place for place in Ortsgemeinde.objects.all()}
    today = services.today_local()
    created = 0

    offices = {office.name: office for office in Office.objects.all()}
    for spec in OFFICES:
        fields = dict(spec["fields"])
        if fields["name"] in offices:
            continue
        fields["ortsgemeinde"] = places.get(fields.get("ortsgemeinde", ""))
        office = services.office_create(acting_user=admin, data=fields)
        offices[office.name] = office
        created += 1
        adopted = 0
        if spec.get("adopt_title"):
            taken = OfficeHourLink.objects.values("hour_id")
            for hour in OfficeHour.objects.filter(title=spec["adopt_title"], ortsgemeinde__isnull=True).exclude(
                    pk__in=taken):
                services.office_hour_adopt(office=office, acting_user=admin, hour=hour)
                adopted += 1
        if not adopted:
            for weekday, opens, closes in spec["hours"]:
                services.office_hour_add(office=office, acting_user=admin, weekday=weekday,
                                         starts_at=time.fromisoformat(opens), ends_at=time.fromisoformat(closes))
                created += 1
        for days_ahead, note in spec["closed"]:
            services.office_day_add(office=office, acting_user=admin, start_date=today + timedelta(days=days_ahead),
                                    note=note)
            created += 1
        for name, responsibility, phone in spec["contacts"]:
            services.office_contact_add(office=office, acting_user=admin, name=name, responsibility=responsibility,
                                        phone=phone)
            created += 1

    existing = set(Service.objects.values_list("title", flat=True))
    for title, office_name, situation, summary, documents, fees, appointment, online, form_title in SERVICES:
        if title in existing:
            continue
        service = services.service_create(acting_user=admin, data={
            "title": title, "office": offices.get(office_name), "life_situation": situations.get(situation),
            "summary": summary, "documents": documents, "fees": fees, "appointment_required": appointment,
            "online_url": online,
        })
        created += 1
        if form_title:
            upload = SimpleUploadedFile(f"{form_title}.pdf", _pdf(form_title), content_type="application/pdf")
            services.service_form_add(service=service, acting_user=admin, title=form_title, upload=upload)
            created += 1

    listed = set(FoundItem.objects.values_list("title", flat=True))
    for title, category, place, days_ago, office_name, description in FOUND:
        if title in listed:
            continue
        services.found_item_create(acting_user=admin, data={
            "title": title, "category": category, "place_found": place, "found_on": today - timedelta(days=days_ago),
            "office": offices.get(office_name), "description": description,
        })
        created += 1
    return created
