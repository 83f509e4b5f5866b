"""Where a person lives, the organisations they publish for, their invitations (core.personal_data).

- town.ResidentProfile
  export: the chosen Ortsgemeinde
  erase: deleted
- town.OrganisationMembership
  export: organisation, role, since when
  erase: deleted: they no longer publish for it
- town.OrganisationFollow
  export: organisation, since when
  erase: deleted
- town.Invitation sent to their address
  export: role, organisation, dates; never the token
  erase: deleted
- town.Invitation they sent (``invited_by``)
  export: role and date, not the invitee's address
  erase: kept, ``invited_by`` cleared: the invitation belongs to the person invited

- town.CalendarSubscription (their personal calendar link)
  export: since when
  erase: deleted: the link stops working
- town.DataExport (copies of their data they asked for)
  export: when asked for, status
  erase: deleted with the archives (files after commit)
- town.ResidencyVerification (whether their address is confirmed, and what they told the town hall)
  export: status, how, the address and postal code they gave, the town hall's reason, dates
  erase: deleted; a letter code they used stays used, without them (``used_by`` is cleared)

- town.AuditEntry they made (``actor_id``; core.audit)
  export: action, kind of object, time and address; not the object's name (it may be another person)
  erase: kept with the name as it was: the log proves who changed roles, accounts and settings
  (Art. 5(2), 32 DSGVO; Art. 17(3)(b, e)); it is append-only and leaves with the town's retention period

Organisations themselves are not the person's: a club or business keeps its page.
"""

from __future__ import annotations

from typing import Any

from town.models import (
    AuditEntry,
    CalendarSubscription,
    DataExport,
    Invitation,
    OrganisationFollow,
    OrganisationMembership,
    ResidencyLetterCode,
    ResidencyVerification,
    ResidentProfile,
)


def export(user: Any) -> dict[str, Any]:
    profile = ResidentProfile.objects.filter(user=user).select_related("ortsgemeinde").first()
    return {
        "ortsgemeinde": profile.ortsgemeinde.name if profile and profile.ortsgemeinde else None,
        "memberships": [
            {"organisation": membership.organisation.name, "role": membership.role,
             "since": membership.created_at}
            for membership in OrganisationMembership.objects.filter(user=user)
            .select_related("organisation").order_by("pk")
        ],
        "follows": [
            {"organisation": follow.organisation.name, "since": follow.created_at}
            for follow in OrganisationFollow.objects.filter(user=user).select_related("organisation").order_by("pk")
        ],
        "invitations_received": list(
            Invitation.objects.filter(email__iexact=user.email)
            .order_by("pk")
            .values("email", "role", "organisation__name", "created_at", "accepted_at", "expires_at")
        ),
        "invitations_sent": list(
            Invitation.objects.filter(invited_by=user).order_by("pk").values("role", "created_at")
        ),
        "residency": list(
            ResidencyVerification.objects.filter(user=user)
            .values("status", "method", "address", "postal_code", "reason", "requested_at", "decided_at")
        ),
        "audit_log": list(
            AuditEntry.objects.filter(actor_id=user.pk).order_by("created_at", "id")
            .values("created_at", "action", "target_type", "ip_address")
        ),
        "calendar_link_since": CalendarSubscription.objects.filter(user=user).values_list("created_at", flat=True)
        .first(),
        "data_exports": list(DataExport.objects.filter(user=user).order_by("pk").values("status", "created_at")),
    }


def erase(user: Any) -> None:
    ResidentProfile.objects.filter(user=user).delete()
    OrganisationMembership.objects.filter(user=user).delete()
    OrganisationFollow.objects.filter(user=user).delete()
    Invitation.objects.filter(email__iexact=user.email).delete()
    Invitation.objects.filter(invited_by=user).update(invited_by=None)
    ResidencyVerification.objects.filter(user=user).delete()
    ResidencyLetterCode.objects.filter(used_by=user).update(used_by=None)
    ResidencyVerification.objects.filter(decided_by=user).update(decided_by=None)
    CalendarSubscription.objects.filter(user=user).delete()
    from town.privacy_services import data_exports_delete

    data_exports_delete(DataExport.objects.filter(user=user))
