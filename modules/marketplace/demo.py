"""Demo content for Suche & Biete: seven listings of every type by residents of several Ortsgemeinden.

Made through ``services.listing_create``, so titles, descriptions, prices and
expiry pass the same checks as a resident's listing; the only thing it tells
anybody is the saved-search mail, and the demo has no saved searches. Each
listing is placed in its owner's Ortsgemeinde and dated a little in the past,
so the list reads like a lived-in town. A listing with the same owner and
title exists already: it is left alone, so a second load creates nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

# (owner's e-mail local part, kind, type, category, title, description, price mode, price in cents,
#  posted that many hours ago, visible for that many more days)
LISTINGS = [
    ("maria.weber", "offer", "give_away", "Kinder", "Kombi-Kinderwagen zu verschenken",
     "Gut erhaltener Kinderwagen mit Babywanne und Sportsitz, Regenverdeck dabei. Unsere Kleine läuft jetzt "
     "selbst. Abzuholen in Gebhardshain.",
     "free", None, 4, 28),
    ("thomas.mueller", "offer", "lend", "Werkzeug", "Tapeziertisch und Kleistergerät zu verleihen",
     "Wer renovieren will: Tapeziertisch (3 m, klappbar) und ein elektrisches Kleistergerät, gern für ein "
     "Wochenende. Bitte sauber zurückbringen.",
     "none", None, 20, 30),
    ("hannah.klein", "offer", "sell", "Kinder", "Kinderfahrrad 20 Zoll, blau",
     "7-Gang-Schaltung, Licht und Ständer, vor einem Jahr neu bereift. Für Kinder von etwa 6 bis 9 Jahren. "
     "Probefahrt in Elkenroth gern möglich.",
     "fixed", 4500, 30, 21),
    ("peter.schneider", "offer", "sell", "Garten", "Brennholz Buche, ofenfertig (1 Raummeter)",
     "Zwei Jahre getrocknet, 33 cm lang. Ich liefere in Steinebach und den Nachbarorten mit dem Anhänger "
     "an die Einfahrt. Preis je Raummeter, bei mehreren Raummetern reden wir.",
     "negotiable", 9000, 50, 45),
    ("gemeindeleben", "offer", "swap", "Haushalt", "Tausche Strickwolle gegen Stoffreste",
     "Ich habe eine große Kiste Sockenwolle in vielen Farben und nähe inzwischen lieber. Suche Baumwollstoffe "
     "für Kinderkleidung und Taschen.",
     "none", None, 70, 30),
    ("gisela.hoffmann", "request", "help", "Hilfe & Nachbarschaft", "Wer hilft mir mit meinem neuen Smartphone?",
     "Ich habe von meinen Enkeln ein Smartphone bekommen und möchte Fotos ansehen und mit der Familie "
     "schreiben. Wer hat an einem Nachmittag in Fensdorf eine Stunde Geduld für mich? Kaffee und Kuchen "
     "gibt es natürlich.",
     "none", None, 8, 14),
    ("tus", "request", "lend", "Sonstiges", "Suche Bierzeltgarnitur für eine Geburtstagsfeier",
     "Für den 40. Geburtstag meines Mannes suchen wir drei Bierzeltgarnituren für ein Wochenende. Abholung "
     "und Rückgabe machen wir selbst; ein Dankeschön gibt es auch.",
     "none", None, 36, 20),
]


@transaction.atomic
def load() -> int:
    """Add the demo listings that aren't there yet; returns how many were created."""
    from accounts.models import User
    from demo.data import email_of
    from modules.marketplace.models import Category, Listing
    from modules.marketplace.services import categories_seed, listing_create
    from town.models import Ortsgemeinde
    from town.selectors import user_ortsgemeinde_id

    categories_seed()
    categories = {category.name: category for category in Category.objects.all()}
    places = {place.pk: place for place in Ortsgemeinde.objects.all()}
    people = {
        user.email: user
        for user in User.objects.filter(email__endswith=email_of(""), is_active=True).select_related("resident_profile")
    }
    now = timezone.now()
    created = 0
    for local, kind, listing_type, category, title, description, price_mode, cents, hours_ago, days in LISTINGS:
        owner = people.get(email_of(local))
        if owner is None or Listing.objects.filter(owner=owner, title=title).exists():
            continue
        listing = listing_create(
            acting_user=owner, kind=kind, listing_type=listing_type, title=title, description=description,
            category=categories.get(category), price_mode=price_mode, price_cents=cents,
            ortsgemeinde=places.get(user_ortsgemeinde_id(owner)), expires_at=now + timedelta(days=days),
        )
        # Posted over the last days rather than all in the same second.
        Listing.objects.filter(pk=listing.pk).update(created_at=now - timedelta(hours=hours_ago))
        created += 1
    return created
