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

Organisations themselves are not the person's: a club or business keeps its page.
"""

from __future__ import annotations

from typing import Any

from town.models import Invitation, OrganisationFollow, OrganisationMembership, ResidentProfile


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
    }


def erase(user: Any) -> None:
    ResidentProfile.objects.filter(user=user).delete()
    OrganisationMembership.objects.filter(user=user).delete()
    OrganisationFollow.objects.filter(user=user).delete()
    Invitation.objects.filter(email__iexact=user.email).delete()
    Invitation.objects.filter(invited_by=user).update(invited_by=None)
