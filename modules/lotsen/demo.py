"""The demo town's Digitallotsen: Petra Wagner (Elkenroth) and the fire brigade's Markus Hering, one person
they registered, and an open help request."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

LOTSEN = [("gemeindeleben", "elkenroth", "Dienstags 10–12 Uhr im Dorfgemeinschaftshaus Elkenroth", "02747 4711"),
          ("feuerwehr", "betzdorf", "Nach Absprache, auch bei Ihnen zu Hause", "")]


@transaction.atomic
def load() -> int:
    """Add what is missing; returns how many objects were created."""
    from accounts.models import Role, User
    from demo.data import email_of
    from modules.lotsen.models import AssistedRegistration, HelpRequest, Lotse
    from modules.lotsen.services import help_request_create, lotse_appoint, resident_register
    from town.models import Ortsgemeinde

    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    if admin is None:
        return 0
    villages = {v.slug: v for v in Ortsgemeinde.objects.all()}
    created = 0
    for local, village, where, phone in LOTSEN:
        person = User.objects.filter(email=email_of(local)).first()
        if person is None or Lotse.objects.filter(user=person).exists():
            continue
        lotse_appoint(acting_user=admin, email=person.email, ortsgemeinde=villages.get(village),
                      where_to_find=where, phone=phone)
        created += 1
    first = Lotse.objects.select_related("user").order_by("pk").first()
    if first is not None and not AssistedRegistration.objects.exists():
        try:
            resident_register(acting_user=first.user, name="Hildegard Becker", ortsgemeinde=villages.get("elkenroth"),
                              consent=True, consent_note="Sprechstunde im Dorfgemeinschaftshaus")
            created += 1
        except ValidationError:  # a demo town without its legal texts yet: registration stays closed
            pass
    if not HelpRequest.objects.exists():
        help_request_create(name="Walter Jung", contact="02741 9876", topic="phone",
                            ortsgemeinde=villages.get("kausen"),
                            message="Mein neues Handy zeigt die Nachrichten der Gemeinde nicht an.")
        created += 1
    return created
