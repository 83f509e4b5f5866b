"""Writes about people in a town: roles, deactivation, invitations, organisations and members.

Every function runs in the current town's schema; tokens and rows never
leave it, so nothing here can touch another town (ISOLATION T4/T15).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from core.access import user_passes
from core.audit import AuditTarget, audit_record, changes_between, model_values
from core.slugs import german_slugify
from town.models import (
    Invitation,
    InvitationRole,
    MembershipRole,
    Organisation,
    OrganisationFollow,
    OrganisationKind,
    OrganisationMembership,
    Ortsgemeinde,
    VillageEditor,
)

logger = logging.getLogger(__name__)

INVITATION_VALID_DAYS = 7


class InvitationInvalid(Exception):
    """The invitation is used, expired or meant for somebody else."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _invitation_target(invitation: Invitation) -> AuditTarget:
    return AuditTarget("town.invitation", str(invitation.pk), invitation.email)


def _membership_target(membership: OrganisationMembership) -> AuditTarget:
    return AuditTarget("town.organisationmembership", str(membership.pk),
                       f"{membership.user} – {membership.organisation}")


# --- rights -------------------------------------------------------------------


def _ortsgemeinde_ids(ortsgemeinden: Iterable[Ortsgemeinde | int]) -> set[int]:
    return {item if isinstance(item, int) else item.pk for item in ortsgemeinden}


def village_ids_of(user: Any) -> set[int]:
    """The Ortsgemeinden `user` speaks for as Ortsbürgermeister or village editor."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    cached = getattr(user, "_dorfkern_village_ids", None)
    if cached is None:
        cached = set(VillageEditor.objects.filter(user=user).values_list("ortsgemeinde_id", flat=True))
        user._dorfkern_village_ids = cached
    return set(cached)


def user_can_publish_official_for(user: Any, ortsgemeinden: Iterable[Ortsgemeinde | int] | None) -> bool:
    """May `user` publish official news addressed to exactly these Ortsgemeinden?

    Admins always (an empty set means the whole town). A village editor only when the
    content is addressed to their own Ortsgemeinde(n) and nothing else: never town-wide
    (empty set or None) and never to another village.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_town_admin:
        return True
    if ortsgemeinden is None:
        return False
    wanted = _ortsgemeinde_ids(ortsgemeinden)
    return bool(wanted) and wanted <= village_ids_of(user)


def user_can_publish_for(
    user: Any, organisation: Organisation | None, *, ortsgemeinden: Iterable[Ortsgemeinde | int] | None = None
) -> bool:
    """May `user` publish on behalf of `organisation` (None: official town news)?

    Admins publish official news and for every organisation; editors and
    managers only for the approved organisations they are members of (a
    business waiting for the town's approval can't speak in its name yet).
    Official news by a village editor is allowed only for their own Ortsgemeinde
    (`ortsgemeinden`, see `user_can_publish_official_for`).
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_town_admin:
        return True
    if not user_passes(user, "editor"):
        # Neither a member of an organisation nor a village's editor (one check per request, which a
        # resident's shared page may read: core.resident_pages).
        return False
    if organisation is None:
        return user_can_publish_official_for(user, ortsgemeinden)
    if not organisation.is_approved:
        return False
    return OrganisationMembership.objects.filter(user=user, organisation=organisation).exists()


def user_can_manage_members(user: Any, organisation: Organisation) -> bool:
    """Admins manage every organisation's members; managers those of their own."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_town_admin:
        return True
    return OrganisationMembership.objects.filter(
        user=user, organisation=organisation, role=MembershipRole.MANAGER
    ).exists()


# --- roles --------------------------------------------------------------------


def _lock_admins() -> int:
    # Row locks on every active admin serialise two admins demoting each other
    # at the same moment, which would otherwise leave the town without one.
    return len(list(User.objects.select_for_update().filter(role=Role.ADMIN, is_active=True).values_list("pk")))


@transaction.atomic
def user_role_change(*, user: User, role: str, acting_user: User) -> User:
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    if user.role == role:
        return user
    if user.role == Role.ADMIN and user.is_active and _lock_admins() <= 1:
        raise ValidationError(
            _("%(name)s is the last administrator of the town. Make someone else an administrator first.")
            % {"name": user}
        )
    before = user.role
    user.role = role
    user.save(update_fields=["role"])
    audit_record(acting_user, "user.role", user, before={"role": before}, after={"role": role})
    logger.info("user %s: role set to %s by %s", user.pk, role, acting_user.pk)
    return user


@transaction.atomic
def user_deactivate(*, user: User, acting_user: User) -> User:
    """Block someone from signing in; their content and memberships stay."""
    if user.pk == acting_user.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    if user.role == Role.ADMIN and user.is_active and _lock_admins() <= 1:
        raise ValidationError(_("The last administrator of the town cannot be deactivated."))
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit_record(acting_user, "user.deactivate", user, before={"is_active": True}, after={"is_active": False})
    logger.info("user %s deactivated by %s", user.pk, acting_user.pk)
    return user


@transaction.atomic
def user_reactivate(*, user: User, acting_user: User) -> User:
    before = user.is_active
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(acting_user, "user.reactivate", user, before={"is_active": before}, after={"is_active": True})
    logger.info("user %s reactivated by %s", user.pk, acting_user.pk)
    return user


# --- invitations ----------------------------------------------------------------


def invitation_url(invitation: Invitation) -> str:
    from core.branding import town_url

    return town_url(reverse("town:invitation", args=[invitation.token]))


def invitation_send(*, invitation: Invitation) -> None:
    from core.mail import send_town_mail

    send_town_mail(
        to=invitation.email,
        subject=_("Your invitation as %(role)s") % {"role": invitation.get_role_display()},
        template="town/people/invitation_email",
        context={
            "invitation": invitation,
            "url": invitation_url(invitation),
            "role_label": invitation.get_role_display(),
            "inviter": invitation.invited_by,
        },
    )


@transaction.atomic
def invitation_create(
    *,
    email: str,
    role: str,
    acting_user: User,
    organisation: Organisation | None = None,
    ortsgemeinde: Ortsgemeinde | None = None,
    new_organisation_name: str = "",
    new_organisation_kind: str = OrganisationKind.VEREIN,
) -> Invitation:
    """Invite someone by e-mail to become editor of an organisation or an Ortsgemeinde, moderator or admin.

    An editor's organisation may be created in the same step (`new_organisation_name`, with
    a generated slug), so inviting the first editor of a Verein is one form, not two.
    """
    email = email.strip().lower()
    if role not in InvitationRole.values:
        raise ValidationError(_("Unknown role."))
    new_organisation_name = " ".join((new_organisation_name or "").split())
    if role == InvitationRole.EDITOR:
        if organisation is not None and new_organisation_name:
            raise ValidationError(_("Choose an organisation or enter a new one, not both."))
        if organisation is None and new_organisation_name:
            if new_organisation_kind not in OrganisationKind.values:
                raise ValidationError(_("Unknown kind of organisation."))
            organisation = organisation_create(
                acting_user=acting_user, name=new_organisation_name, kind=new_organisation_kind
            )
        if organisation is None:
            raise ValidationError(_("Choose the organisation the editor will write for."))
    else:
        organisation = None
    if role == InvitationRole.VILLAGE:
        if ortsgemeinde is None:
            raise ValidationError(_("Choose the Ortsgemeinde the person will speak for."))
    else:
        ortsgemeinde = None
    # A fresh invitation replaces older open ones for the same thing, so only
    # the newest link works.
    Invitation.objects.filter(
        email=email, role=role, organisation=organisation, ortsgemeinde=ortsgemeinde, accepted_at__isnull=True
    ).delete()
    invitation = Invitation.objects.create(
        email=email,
        role=role,
        organisation=organisation,
        ortsgemeinde=ortsgemeinde,
        invited_by=acting_user,
        expires_at=timezone.now() + timedelta(days=INVITATION_VALID_DAYS),
    )
    audit_record(acting_user, "invitation.create", _invitation_target(invitation),
                 after={"email": email, "role": role, "organisation": organisation, "ortsgemeinde": ortsgemeinde})
    invitation_send(invitation=invitation)
    return invitation


def after_invitation_url(invitation: Invitation) -> str:
    """Where a person lands after accepting: editors on "write your first post" (the news form with
    their Verein or village preselected) when the town has news on, everyone else on their account."""
    from core.modules import enabled_module_keys

    if "news" in enabled_module_keys():
        if invitation.role == InvitationRole.EDITOR and invitation.organisation_id:
            return f"{reverse('news:article-create')}?organisation={invitation.organisation_id}&erster=1"
        if invitation.role == InvitationRole.VILLAGE and invitation.ortsgemeinde_id:
            return f"{reverse('news:article-create')}?ortsgemeinde={invitation.ortsgemeinde_id}&erster=1"
    return reverse("town:account")


@transaction.atomic
def invitation_resend(*, invitation: Invitation, acting_user: User) -> Invitation:
    """Mail an open invitation again, valid for another seven days from now (same link)."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been accepted."))
    invitation.expires_at = timezone.now() + timedelta(days=INVITATION_VALID_DAYS)
    invitation.save(update_fields=["expires_at"])
    audit_record(acting_user, "invitation.resend", _invitation_target(invitation), after={"email": invitation.email})
    invitation_send(invitation=invitation)
    return invitation


def invitation_check(invitation: Invitation) -> None:
    """Raise InvitationInvalid unless the invitation can still be accepted."""
    if invitation.accepted_at is not None:
        raise InvitationInvalid("used")
    if invitation.expires_at <= timezone.now():
        raise InvitationInvalid("expired")


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Invitation:
    """Give `user` what the invitation offers. One time only, and only for the invited address."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    invitation_check(invitation)
    if user.email.lower() != invitation.email.lower():
        raise InvitationInvalid("other-address")
    if invitation.role == InvitationRole.EDITOR and invitation.organisation is not None:
        OrganisationMembership.objects.get_or_create(
            organisation=invitation.organisation, user=user, defaults={"role": MembershipRole.EDITOR}
        )
    elif invitation.role == InvitationRole.VILLAGE and invitation.ortsgemeinde_id is not None:
        VillageEditor.objects.get_or_create(ortsgemeinde_id=invitation.ortsgemeinde_id, user=user)
    elif invitation.role == InvitationRole.MODERATOR:
        # An admin who accepts a moderator invitation stays admin.
        if user.role == Role.RESIDENT:
            user.role = Role.MODERATOR
            user.save(update_fields=["role"])
    elif invitation.role == InvitationRole.ADMIN:
        user.role = Role.ADMIN
        user.save(update_fields=["role"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit_record(user, "invitation.accept", _invitation_target(invitation), after={"role": invitation.role})
    logger.info("invitation %s accepted by user %s", invitation.pk, user.pk)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, acting_user: User) -> None:
    logger.info("invitation %s revoked by %s", invitation.pk, acting_user.pk)
    audit_record(acting_user, "invitation.revoke", _invitation_target(invitation), before={"email": invitation.email})
    invitation.delete()


# --- organisations --------------------------------------------------------------

ORGANISATION_FIELDS = ("name", "slug", "kind", "description", "logo", "website", "email", "phone", "ortsgemeinde")


def organisation_slug_for(name: str, *, exclude_pk: int | None = None) -> str:
    """A free slug from the name ("Musikverein Kausen" -> "musikverein-kausen", then "-2" ...)."""
    max_length = Organisation._meta.get_field("slug").max_length or 80
    base = german_slugify(name)[: max_length - 4].strip("-") or "organisation"
    candidate, number = base, 1
    while Organisation.objects.filter(slug=candidate).exclude(pk=exclude_pk).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


@transaction.atomic
def organisation_create(*, acting_user: User, **fields: Any) -> Organisation:
    """Create an organisation; without a slug one is made from the name."""
    organisation = Organisation(**{key: value for key, value in fields.items() if key in ORGANISATION_FIELDS})
    if not organisation.slug:
        organisation.slug = organisation_slug_for(organisation.name)
    organisation.full_clean()
    organisation.save()
    audit_record(acting_user, "organisation.create", organisation,
                 after=model_values(organisation, ORGANISATION_FIELDS))
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, acting_user: User, **fields: Any) -> Organisation:
    before = model_values(Organisation.objects.get(pk=organisation.pk), ORGANISATION_FIELDS)
    for key, value in fields.items():
        if key in ORGANISATION_FIELDS:
            setattr(organisation, key, value)
    if not organisation.slug:  # left empty in the form: keep the address it has
        organisation.slug = before["slug"]
    organisation.full_clean()
    organisation.save()
    after = model_values(organisation, ORGANISATION_FIELDS)
    if changes_between(before, after):
        audit_record(acting_user, "organisation.update", organisation, before=before, after=after)
    return organisation


@transaction.atomic
def organisation_delete(*, organisation: Organisation, acting_user: User) -> None:
    logger.info("organisation %s deleted by %s", organisation.pk, acting_user.pk)
    audit_record(acting_user, "organisation.delete", organisation, before={"name": organisation.name})
    Invitation.objects.filter(organisation=organisation).delete()
    organisation.delete()


@transaction.atomic
def organisation_member_add(
    *, organisation: Organisation, email: str, role: str, acting_user: User
) -> OrganisationMembership | Invitation:
    """Add a person to an organisation, or invite them when they have no account yet.

    Only admins may make someone a manager; managers add editors.
    """
    if role not in MembershipRole.values:
        raise ValidationError(_("Unknown role."))
    if role == MembershipRole.MANAGER and not acting_user.is_town_admin:
        raise ValidationError(_("Only administrators can appoint managers."))
    if not user_can_manage_members(acting_user, organisation):
        raise ValidationError(_("You cannot manage the members of this organisation."))
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        return invitation_create(
            email=email, role=InvitationRole.EDITOR, organisation=organisation, acting_user=acting_user
        )
    membership, created = OrganisationMembership.objects.get_or_create(
        organisation=organisation, user=user, defaults={"role": role}
    )
    if created:
        audit_record(acting_user, "membership.add", _membership_target(membership), after={"role": role})
    elif membership.role != role and acting_user.is_town_admin:
        audit_record(acting_user, "membership.role", _membership_target(membership),
                     before={"role": membership.role}, after={"role": role})
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def organisation_member_remove(*, membership: OrganisationMembership, acting_user: User) -> None:
    if not user_can_manage_members(acting_user, membership.organisation):
        raise ValidationError(_("You cannot manage the members of this organisation."))
    if membership.role == MembershipRole.MANAGER and not acting_user.is_town_admin:
        raise ValidationError(_("Only administrators can remove managers."))
    logger.info("membership %s removed by %s", membership.pk, acting_user.pk)
    audit_record(acting_user, "membership.remove", _membership_target(membership), before={"role": membership.role})
    membership.delete()


# --- following an organisation ---------------------------------------------------------------


def organisation_follow(*, organisation: Organisation, acting_user: Any) -> OrganisationFollow:
    """`acting_user` follows `organisation` (its new events and news reach them); twice changes nothing."""
    if not getattr(acting_user, "is_authenticated", False):
        raise ValidationError(_("Please sign in to follow an organisation."))
    if not organisation.is_approved:
        raise ValidationError(_("This organisation cannot be followed yet."))
    follow, _created = OrganisationFollow.objects.get_or_create(organisation=organisation, user=acting_user)
    return follow


def organisation_unfollow(*, organisation: Organisation, acting_user: Any) -> bool:
    """Stop following; False if they didn't follow it."""
    deleted, _details = OrganisationFollow.objects.filter(organisation=organisation, user=acting_user).delete()
    return bool(deleted)
