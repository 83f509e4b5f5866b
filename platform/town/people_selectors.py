"""Reads about people, roles, organisations and invitations of the current town."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from accounts.models import Role, User
from town.models import Invitation, MembershipRole, Organisation, OrganisationFollow, OrganisationMembership

# secrets.token_urlsafe(32) gives 43 characters of this alphabet.
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,64}")


def organisations_of(user: Any) -> QuerySet[Organisation]:
    """The organisations `user` may publish for as a member (editor or manager).

    Town admins may publish for every organisation, but this lists only the
    ones they actually belong to; use `user_can_publish_for` to decide rights.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).distinct().order_by("name")


def memberships_of(user: Any) -> QuerySet[OrganisationMembership]:
    """The user's own memberships with their organisations, for the account page."""
    if not getattr(user, "is_authenticated", False):
        return OrganisationMembership.objects.none()
    return OrganisationMembership.objects.filter(user=user).select_related("organisation").order_by(
        "organisation__name"
    )


def organisations_publishable_by(user: Any) -> QuerySet[Organisation]:
    """Every organisation `user` may publish for: all for admins, their own for editors."""
    if getattr(user, "is_authenticated", False) and user.is_town_admin:
        return Organisation.objects.order_by("name")
    return organisations_of(user).filter(is_approved=True)


def organisations_managed_by(user: Any) -> QuerySet[Organisation]:
    """Organisations whose members `user` may manage: all for admins, else where they are manager."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Organisation.objects.none()
    if user.is_town_admin:
        return Organisation.objects.order_by("name")
    return Organisation.objects.filter(
        memberships__user=user, memberships__role=MembershipRole.MANAGER
    ).distinct().order_by("name")


def people_list(*, query: str = "", role: str = "") -> QuerySet[User]:
    """Users of this town for the back office, searchable by name or e-mail."""
    people = User.objects.select_related("resident_profile__ortsgemeinde").prefetch_related(
        Prefetch("memberships", queryset=OrganisationMembership.objects.select_related("organisation"))
    )
    query = query.strip()
    if query:
        people = people.filter(Q(name__icontains=query) | Q(email__icontains=query))
    if role in Role.values:
        people = people.filter(role=role)
    elif role == "editor":
        people = people.filter(memberships__isnull=False).distinct()
    return people.order_by("name", "email")


def active_admin_count() -> int:
    return User.objects.filter(role=Role.ADMIN, is_active=True).count()


def invitation_list_open(*, organisation: Organisation | None = None) -> QuerySet[Invitation]:
    """Invitations not accepted yet (expired ones too, so they can be sent again), newest first."""
    invitations = Invitation.objects.filter(accepted_at__isnull=True)
    if organisation is not None:
        invitations = invitations.filter(organisation=organisation)
    return invitations.select_related("organisation", "ortsgemeinde", "invited_by").order_by("-created_at")


def invitation_get_open(pk: int, *, organisation: Organisation | None = None) -> Invitation | None:
    invitations = Invitation.objects.select_related("organisation").filter(pk=pk, accepted_at__isnull=True)
    if organisation is not None:
        invitations = invitations.filter(organisation=organisation)
    return invitations.first()


def village_editors() -> QuerySet[Any]:
    """Ortsbürgermeister and village editors with their Ortsgemeinden, for the people page."""
    from town.models import VillageEditor

    return VillageEditor.objects.select_related("user", "ortsgemeinde").order_by("ortsgemeinde__name", "user__name")


def village_roles_of(user: Any) -> QuerySet[Any]:
    """The Ortsgemeinden `user` speaks for, for their account page."""
    from town.models import VillageEditor

    if not getattr(user, "is_authenticated", False):
        return VillageEditor.objects.none()
    return VillageEditor.objects.filter(user=user).select_related("ortsgemeinde").order_by("ortsgemeinde__name")


def invitation_get_by_token(token: str) -> Invitation | None:
    """The invitation with this token in the current town's schema, used or not."""
    if not _TOKEN_SHAPE.fullmatch(token or ""):
        return None  # also keeps NUL bytes and other junk away from the database
    return Invitation.objects.select_related("organisation").filter(token=token).first()


def organisation_list_public(*, kind: str = "") -> QuerySet[Organisation]:
    organisations = Organisation.objects.filter(is_approved=True)
    if kind:
        organisations = organisations.filter(kind=kind)
    return organisations.order_by("name")


def organisation_get_public(slug: str) -> Organisation | None:
    return Organisation.objects.select_related("ortsgemeinde").filter(is_approved=True, slug=slug).first()


def organisation_members(organisation: Organisation) -> QuerySet[OrganisationMembership]:
    return organisation.memberships.select_related("user").order_by("-role", "user__name")


def organisation_follower_ids(organisation_id: int) -> list[int]:
    """The active people who follow the organisation (one query)."""
    return list(OrganisationFollow.objects.filter(organisation_id=organisation_id, user__is_active=True)
                .order_by("user_id").values_list("user_id", flat=True))


def organisation_followed_by(organisation: Organisation, user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return OrganisationFollow.objects.filter(organisation=organisation, user=user).exists()


def organisations_followed(user: Any) -> QuerySet[Organisation]:
    """The organisations `user` follows, by name."""
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    return Organisation.objects.filter(follows__user=user).order_by("name")
