"""Demo content for Umfragen: an open poll for Elkenroth about its Dorfplatz, and a closed town-wide one
with results (idempotent: polls are found again by title).

Stored directly, not through the services: the closed poll's votes lie in the past, where the
services would refuse them, and loading the demo should not notify anyone.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

DORFPLATZ = "Wie soll der neue Dorfplatz in Elkenroth aussehen?"
BUERGERBUERO = "Längere Öffnungszeiten im Bürgerbüro?"
# The closed poll's votes: (e-mail local part of the voter, option)
BUERGERBUERO_VOTES = [
    ("maria.weber", "Donnerstag bis 19 Uhr"), ("thomas.mueller", "Samstagvormittag"),
    ("hannah.klein", "Donnerstag bis 19 Uhr"), ("peter.schneider", "So lassen, wie es ist"),
    ("gisela.hoffmann", "Samstagvormittag"), ("katrin.jung", "Donnerstag bis 19 Uhr"),
    ("juergen.schaefer", "Donnerstag bis 19 Uhr"), ("michael.koelsch", "Samstagvormittag"),
    ("sandra.brenner", "Donnerstag bis 19 Uhr"), ("frank.lohmann", "So lassen, wie es ist"),
]


@transaction.atomic
def load() -> int:
    from accounts.models import Role, User
    from demo.data import email_of
    from modules.polls.models import Ballot, BallotAnswer, Option, Participation, Poll, Question
    from town.models import Ortsgemeinde

    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    elkenroth = Ortsgemeinde.objects.filter(slug="elkenroth").first()
    if admin is None:
        return 0
    now = timezone.now()
    created = 0
    if elkenroth is not None and not Poll.objects.filter(title=DORFPLATZ).exists():
        poll = Poll.objects.create(
            title=DORFPLATZ, audience="ortsgemeinde", ortsgemeinde=elkenroth, is_published=True,
            description=("Der Platz vor dem Dorfgemeinschaftshaus wird 2027 neu gestaltet. Der Ortsgemeinderat "
                         "möchte wissen, was Ihnen wichtig ist. Die Ergebnisse zeigen wir nach dem Ende der Umfrage."),
            opens_at=now - timedelta(days=3), closes_at=now + timedelta(days=18), results_visibility="after_close",
            allow_change=True, created_by=admin,
        )
        wishes = Question.objects.create(poll=poll, text="Was soll auf den Dorfplatz?", kind="multiple", position=0)
        Option.objects.bulk_create(Option(question=wishes, text=text, position=n) for n, text in enumerate(
            ["Sitzbänke im Schatten", "Bäume", "Ein Brunnen", "Spielgeräte für Kinder", "Eine Boulebahn"]))
        Question.objects.create(poll=poll, text="Wie gefällt Ihnen der Platz heute?", kind="rating", position=1)
        Question.objects.create(poll=poll, text="Was fehlt Ihnen im Ortskern?", kind="text", position=2,
                                required=False)
        created += 5
    if not Poll.objects.filter(title=BUERGERBUERO).exists():
        poll = Poll.objects.create(
            title=BUERGERBUERO, audience="town", is_published=True, results_visibility="after_close",
            description="Das Bürgerbüro in Betzdorf könnte an einem Tag länger oder am Samstag öffnen.",
            opens_at=now - timedelta(days=40), closes_at=now - timedelta(days=12), created_by=admin,
        )
        question = Question.objects.create(poll=poll, text="Welche Öffnungszeit wäre Ihnen am liebsten?",
                                           kind="single", position=0)
        options = {text: Option.objects.create(question=question, text=text, position=n) for n, text in enumerate(
            ["Donnerstag bis 19 Uhr", "Samstagvormittag", "So lassen, wie es ist"])}
        people = {u.email: u for u in User.objects.filter(email__in=[email_of(v) for v, _o in BUERGERBUERO_VOTES])}
        for offset, (local, choice) in enumerate(BUERGERBUERO_VOTES):
            voter = people.get(email_of(local))
            if voter is None:
                continue
            day = (now - timedelta(days=35 - offset * 2)).date()
            Participation.objects.create(poll=poll, user=voter, day=day)
            ballot = Ballot.objects.create(poll=poll, day=day)
            BallotAnswer.objects.create(ballot=ballot, question=question, option=options[choice])
            created += 1
        created += 5
    return created
