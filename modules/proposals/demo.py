"""Demo content for Vorschläge: four proposals of the demo town's residents, one of them near its
threshold, one answered and one accepted with progress (idempotent: found again by title).

Stored directly, not through the services: loading the demo should not notify anyone.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

# (title, author, Ortsgemeinde slug, category slug, text, supporters, threshold, status, answer, days ago)
PROPOSALS = [
    ("Bank an der Bushaltestelle", "hannah.klein", "elkenroth", "verkehr",
     "An der Haltestelle „Ortsmitte“ in Elkenroth gibt es keine Sitzgelegenheit. Gerade ältere Leute warten dort "
     "oft lange auf den Bus nach Betzdorf. Eine überdachte Bank würde vielen helfen.",
     8, 10, "collecting", "", 9),
    ("Mitfahrbank nach Gebhardshain", "peter.schneider", "steinebach-sieg", "verkehr",
     "Eine Mitfahrbank am Ortsausgang Richtung Gebhardshain: Wer dort sitzt, möchte mitgenommen werden.",
     10, 10, "referred",
     "Danke für den Vorschlag! Der Ortsgemeinderat Steinebach berät ihn in seiner nächsten Sitzung; "
     "dort wird auch der Standort besprochen.", 30),
    ("Blühwiese am Friedhof", "maria.weber", "gebhardshain", "umwelt",
     "Die Rasenfläche neben dem Friedhof könnte eine Blühwiese für Bienen und Schmetterlinge werden.",
     12, 10, "accepted",
     "Angenommen: Der Bauhof legt die Wiese im Frühjahr an; Saatgut spendet der Obst- und Gartenbauverein.", 60),
    ("Neue Schaukel für den Spielplatz", "gisela.hoffmann", "fensdorf", "spielen",
     "Die alte Schaukel am Spielplatz ist seit dem Sommer gesperrt. Die Kinder vermissen sie sehr.",
     3, 10, "collecting", "", 4),
]
STEPS = [("Fläche vermessen und Saatgut bestellt", -20, True), ("Boden vorbereitet", -6, True),
         ("Aussaat mit der Grundschule", 25, False)]


@transaction.atomic
def load() -> int:
    from accounts.models import Role, User
    from demo.data import PEOPLE, email_of
    from modules.proposals.models import Category, ProgressStep, Proposal, Support
    from modules.proposals.services import categories_seed
    from town.models import Ortsgemeinde

    categories_seed()
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    people = {u.email: u for u in User.objects.filter(email__in=[email_of(local) for local in PEOPLE])}
    places = {o.slug: o for o in Ortsgemeinde.objects.all()}
    categories = {c.slug: c for c in Category.objects.all()}
    now = timezone.now()
    created = 0
    for title, local, place, category, text, support_count, threshold, status, answer, days in PROPOSALS:
        author = people.get(email_of(local))
        if author is None or Proposal.objects.filter(title=title).exists():
            continue
        proposal = Proposal.objects.create(
            author=author, title=title, text=text, ortsgemeinde=places.get(place), category=categories.get(category),
            threshold=threshold, status=status, answer=answer,
            answered_at=now - timedelta(days=days // 2) if answer else None, answered_by=admin if answer else None,
        )
        Proposal.objects.filter(pk=proposal.pk).update(created_at=now - timedelta(days=days))
        backers = [p for email, p in sorted(people.items()) if p.pk != author.pk][:support_count]
        Support.objects.bulk_create(Support(proposal=proposal, user=p) for p in backers)
        Proposal.objects.filter(pk=proposal.pk).update(support_count=len(backers))
        created += 1 + len(backers)
        if status == "accepted":
            ProgressStep.objects.bulk_create(
                ProgressStep(proposal=proposal, title=step, date=(now + timedelta(days=offset)).date(), is_done=done)
                for step, offset, done in STEPS)
            created += len(STEPS)
    return created
