"""Demo reports for Betzdorf-Gebhardshain: ten problems across five Ortsgemeinden in every state."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

# (reporter local part, category slug, Ortsgemeinde slug, (lat, lon), address, days ago, status, answer, text)
REPORTS = [
    ("thomas.mueller", "strassenbeleuchtung", "betzdorf", (50.7891, 7.8702), "Bahnhofstraße 12", 2, "received", "",
     "Die Straßenlaterne vor Hausnummer 12 ist seit drei Tagen dunkel."),
    ("maria.weber", "schlagloch", "gebhardshain", (50.7512, 7.8105), "Hauptstraße 40", 9, "in_progress",
     "Der Bauhof füllt das Loch diese Woche provisorisch.",
     "Tiefes Schlagloch in der Fahrbahn, Radfahrer müssen ausweichen."),
    ("hannah.klein", "muell", "elkenroth", (50.7351, 7.8790), "Birkenweg, Glascontainer", 4, "done",
     "Der Platz wurde am Montag gereinigt. Danke für den Hinweis!",
     "Neben den Glascontainern liegen seit dem Wochenende Säcke mit Müll."),
    ("peter.schneider", "gruenpflege", "steinebach-sieg", (50.7361, 7.8340), "Kirchstraße 3", 20, "done",
     "Die Hecke ist zurückgeschnitten.",
     "Die Hecke an der Kirchstraße ragt weit in den Gehweg, Kinderwagen passen nicht vorbei."),
    ("gisela.hoffmann", "spielplatz", "kausen", (50.7205, 7.8401), "Am Weiher, Spielplatz", 6, "in_progress",
     "Die Schaukel ist gesperrt, ein neues Kettenglied ist bestellt.",
     "An der großen Schaukel ist ein Kettenglied aufgebogen."),
    ("thomas.mueller", "strassenbeleuchtung", "betzdorf", (50.7803, 7.8611), "Wilhelmstraße 30", 30, "done",
     "Leuchtmittel getauscht.", "Laterne an der Wilhelmstraße flackert die ganze Nacht."),
    ("maria.weber", "schlagloch", "gebhardshain", (50.7485, 7.8150), "Betzdorfer Straße (L 280)", 12,
     "forwarded", "Die Landesstraße gehört dem Landesbetrieb Mobilität; wir haben die Meldung weitergegeben.",
     "Absenkung am Fahrbahnrand der Betzdorfer Straße kurz vor dem Ortsausgang."),
    ("hannah.klein", "muell", "elkenroth", (50.7402, 7.8702), "Nisterweg, Wanderparkplatz", 25,
     "not_responsible", "Der Parkplatz gehört dem Forstamt; bitte wenden Sie sich an das Forstamt Altenkirchen.",
     "Auf dem Wanderparkplatz wurden alte Reifen abgeladen."),
    ("peter.schneider", "gruenpflege", "steinebach-sieg", (50.7330, 7.8260), "Bindweider Straße", 1, "received", "",
     "Ein umgestürzter Ast liegt halb auf dem Radweg."),
    ("gisela.hoffmann", "sonstiges", "kausen", (50.7190, 7.8388), "Schulstraße 8", 3, "received", "",
     "Das Verkehrsschild „Spielstraße“ ist umgefahren worden."),
]


def load() -> int:
    """Add the demo reports that aren't there yet; returns how many were created."""
    from accounts.models import User
    from demo.data import email_of
    from modules.reports.models import Category, Follower, Report, StatusChange
    from modules.reports.services import categories_seed
    from town.models import Ortsgemeinde

    categories_seed()
    categories = {c.slug: c for c in Category.objects.all()}
    places = {o.slug: o for o in Ortsgemeinde.objects.all()}
    people = {u.email: u for u in User.objects.filter(email__endswith=email_of(""))}
    staff = User.objects.filter(email=email_of("moderation")).first()
    now = timezone.now()
    created = 0
    for local, slug, place, (lat, lon), address, days, status, answer, text in REPORTS:
        reporter = people.get(email_of(local))
        category = categories.get(slug)
        if reporter is None or category is None or Report.objects.filter(description=text).exists():
            continue
        when = now - timedelta(days=days)
        report = Report.objects.create(
            category=category, description=text, latitude=lat, longitude=lon, address=address,
            ortsgemeinde=places.get(place), reporter=reporter, status=status, public_answer=answer,
            photos_released=True, forwarded_to="Landesbetrieb Mobilität" if status == "forwarded" else "",
            closed_at=when + timedelta(days=2) if status in ("done", "not_responsible") else None,
        )
        Report.objects.filter(pk=report.pk).update(created_at=when)
        Follower.objects.create(report=report, user=reporter)
        StatusChange.objects.create(report=report, status="received", by=reporter)
        if status != "received":
            StatusChange.objects.create(report=report, status=status, public_answer=answer, by=staff)
        created += 1
    return created
