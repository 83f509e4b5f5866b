"""Demo content of the moderation module: a word filter, the default limits and one open report."""

from __future__ import annotations

from django.db import connection

from modules.moderation.conf import DEFAULTS
from modules.moderation.kinds import PROFILE_KIND
from modules.moderation.models import BlockedTerm, Report

DEMO_TERMS = ("arschloch", "vollidiot", "wichser", "hurensohn", "online casino", "krypto gewinn")


def load() -> int:
    """Runs in the demo town's schema; creates only what is missing and returns how many objects it made."""
    from accounts.models import User
    from demo.data import email_of
    from modules.moderation.services import report_create
    from tenants.selectors import tenant_module_config
    from tenants.services import tenant_module_configure

    created = 0
    existing = set(BlockedTerm.objects.values_list("term", flat=True))
    missing = [term for term in DEMO_TERMS if term not in existing]
    BlockedTerm.objects.bulk_create([BlockedTerm(term=term) for term in missing], ignore_conflicts=True)
    created += len(missing)

    tenant = connection.tenant
    if not tenant_module_config(tenant=tenant, key="moderation"):
        tenant_module_configure(tenant=tenant, key="moderation", data=DEFAULTS)
        created += 1

    people = {u.email: u for u in User.objects.filter(email__in=[email_of("maria.weber"), email_of("peter.schneider")])}
    reporter, reported = people.get(email_of("maria.weber")), people.get(email_of("peter.schneider"))
    if reporter and reported and not Report.objects.filter(
            reporter=reporter, case__kind=PROFILE_KIND, case__object_id=reported.pk).exists():
        report_create(kind=PROFILE_KIND, object_id=reported.pk, category="spam", acting_user=reporter,
                      text="Schreibt mir seit Tagen Werbenachrichten für ein Online-Casino. (Demo)")
        created += 1
    return created
