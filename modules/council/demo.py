"""Demo content for Digitaler Rat & Gremien in Betzdorf-Gebhardshain: the council's members, a past meeting
with minutes and a recommendation the Gemeinderat took up, the next meeting with the bench proposal on its
agenda, and a small RIS mirror (Verbandsgemeinderat and two Ortsgemeinderäte with their meetings and papers),
so the council pages and the town calendar show something without an OParl server.

Idempotent (found again by title / OParl id); stored directly, so loading the demo notifies nobody.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

AFTER = ("proposals",)  # the next meeting's agenda lists the demo's bench proposal

# (name, account, group, seat, chair)
MEMBERS = [
    ("Maria Weber", "maria.weber", "resident", "Bürgerin aus Gebhardshain", True),
    ("Peter Schneider", "peter.schneider", "club", "für die Vereine (Sportverein Steinebach)", False),
    ("Hannah Klein", "hannah.klein", "youth", "für die Jugend", False),
    ("Gisela Hoffmann", "gisela.hoffmann", "resident", "Bürgerin aus Fensdorf", False),
    ("Bäckerei Becker (Jonas Becker)", "", "business", "für das Gewerbe", False),
]
RIS = "https://ris.betzdorf-gebhardshain.example/oparl/v1.1"


def _at(days: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


@transaction.atomic
def load() -> int:
    from accounts.models import User
    from demo.data import PEOPLE, email_of
    from modules.council.models import AgendaItem, Document, Meeting, Member, Recommendation

    created = 0
    people = {u.email: u for u in User.objects.filter(email__in=[email_of(local) for local in PEOPLE])}
    start = timezone.localdate() - datetime.timedelta(days=300)
    for name, local, group, seat, chair in MEMBERS:
        if Member.objects.filter(name=name).exists():
            continue
        Member.objects.create(name=name, user=people.get(email_of(local)) if local else None, group=group,
                              seat=seat, is_chair=chair, term_start=start,
                              term_end=start + datetime.timedelta(days=3 * 365))
        created += 1
    if not Meeting.objects.filter(title="3. Sitzung des Digitalen Rats").exists():
        past = Meeting.objects.create(
            title="3. Sitzung des Digitalen Rats", starts_at=_at(-28, 19), ends_at=_at(-28, 21),
            location="Bürgerhaus Gebhardshain, Kleiner Saal",
            minutes="Anwesend: 5 von 5 Mitgliedern. Der Rat empfiehlt einstimmig, die Spielplätze der "
                    "Ortsgemeinden gemeinsam prüfen zu lassen. Nächste Sitzung in vier Wochen.")
        item = AgendaItem.objects.create(meeting=past, position=1, title="Spielplätze in den Ortsgemeinden",
                                         text="Bericht der Jugendvertreterin über eine Umfrage unter Kindern.")
        AgendaItem.objects.create(meeting=past, position=2, title="Haushalt des Rats (nicht öffentlich)",
                                  is_public=False)
        Document.objects.create(meeting=past, title="Umfrage: Was Kinder sich wünschen",
                                text="42 Kinder aus 6 Ortsgemeinden haben mitgemacht. Am häufigsten gewünscht: "
                                     "Schaukeln, Wasserspiel, ein Bolzplatz mit Toren.")
        Recommendation.objects.create(
            meeting=past, agenda_item=item, title="Spielplätze gemeinsam prüfen lassen",
            text="Der Digitale Rat empfiehlt dem Verbandsgemeinderat, alle Spielplätze einmal im Jahr gemeinsam "
                 "prüfen zu lassen und gesperrte Geräte innerhalb von drei Monaten zu ersetzen.",
            status="in_progress", yes_count=5, follow_up="Der Verbandsgemeinderat hat die Prüfung für das "
            "Frühjahr beauftragt; die Schaukel in Fensdorf wird im März ersetzt.",
            status_changed_at=timezone.now() - datetime.timedelta(days=10))
        created += 5
    if not Meeting.objects.filter(title="4. Sitzung des Digitalen Rats").exists():
        upcoming = Meeting.objects.create(title="4. Sitzung des Digitalen Rats", starts_at=_at(9, 19),
                                          ends_at=_at(9, 21), location="Jugendraum Elkenroth")
        proposal_id = _bench_proposal_id()
        AgendaItem.objects.create(meeting=upcoming, position=1, title="Bank an der Bushaltestelle Elkenroth",
                                  text="Vorschlag aus dem Ort; der Rat berät eine Empfehlung.",
                                  proposal_id=proposal_id)
        AgendaItem.objects.create(meeting=upcoming, position=2, title="Mitfahrbänke in der Verbandsgemeinde")
        created += 3
    return created + _load_ris()


def _bench_proposal_id() -> int | None:
    from modules.proposals.facade import proposals_for_council

    found = next((p for p in proposals_for_council() if p.title == "Bank an der Bushaltestelle"), None)
    return found.pk if found is not None else None


def _load_ris() -> int:
    from modules.council.models import (
        OparlAgendaItem,
        OparlBody,
        OparlFile,
        OparlMeeting,
        OparlOrganization,
        OparlPaper,
    )

    if OparlBody.objects.filter(oparl_id=f"{RIS}/body/1").exists():
        return 0
    body = OparlBody.objects.create(oparl_id=f"{RIS}/body/1", name="Verbandsgemeinde Betzdorf-Gebhardshain",
                                    short_name="VG Betzdorf-Gebhardshain")
    councils = [OparlOrganization.objects.create(oparl_id=f"{RIS}/organization/{n}", body=body, name=name,
                                                 organization_type="Gremium", classification=kind)
                for n, (name, kind) in enumerate([("Verbandsgemeinderat", "Rat"),
                                                  ("Ortsgemeinderat Elkenroth", "Rat"),
                                                  ("Ortsgemeinderat Steinebach/Sieg", "Rat"),
                                                  ("Bau- und Umweltausschuss", "Ausschuss")], start=1)]
    made = 1 + len(councils)
    papers = [OparlPaper.objects.create(oparl_id=f"{RIS}/paper/{n}", body=body, name=name, reference=ref,
                                        date=timezone.localdate() - datetime.timedelta(days=days),
                                        paper_type="Beschlussvorlage")
              for n, (name, ref, days) in enumerate([
                  ("Haushaltssatzung und Haushaltsplan 2027", "VG/2026/118", 12),
                  ("Mitfahrbank am Ortsausgang Richtung Gebhardshain", "OG-St/2026/07", 8),
                  ("Sanierung der Dorfstraße, 2. Bauabschnitt", "OG-El/2026/11", 20)], start=1)]
    for paper in papers:
        OparlFile.objects.create(oparl_id=f"{paper.oparl_id}/file", paper=paper, role="mainFile",
                                 name=f"Vorlage {paper.reference}", mime_type="application/pdf",
                                 access_url=f"{paper.oparl_id}/vorlage.pdf")
    made += 2 * len(papers)
    for n, (organization, days, paper_items) in enumerate([
            (councils[0], 14, [("Haushalt 2027", papers[0])]),
            (councils[2], 6, [("Mitfahrbank am Ortsausgang", papers[1])]),
            (councils[1], 21, [("Dorfstraße, 2. Bauabschnitt", papers[2])]),
            (councils[3], -12, [("Bauanträge", None)])], start=1):
        meeting = OparlMeeting.objects.create(
            oparl_id=f"{RIS}/meeting/{n}", body=body, name=f"Sitzung {organization.name}",
            start=_at(days, 18), end=_at(days, 20), location="Rathaus Betzdorf, Sitzungssaal")
        meeting.organizations.add(organization)
        for order, (name, paper) in enumerate([("Eröffnung und Feststellung der Beschlussfähigkeit", None),
                                               *paper_items, ("Mitteilungen und Anfragen", None)], start=1):
            OparlAgendaItem.objects.create(oparl_id=f"{meeting.oparl_id}/ti/{order}", meeting=meeting,
                                           number=str(order), order=order, name=name, paper=paper)
        OparlFile.objects.create(oparl_id=f"{meeting.oparl_id}/einladung", meeting=meeting, role="invitation",
                                 name="Einladung", mime_type="application/pdf",
                                 access_url=f"{meeting.oparl_id}/einladung.pdf")
        made += 5
    return made
