"""Writes about a person's own account in a town: signup completion, profile changes."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from town.models import Invitation, Ortsgemeinde, ResidentProfile

logger = logging.getLogger(__name__)


@transaction.atomic
def resident_signup_complete(
    *, user: User, ortsgemeinde: Ortsgemeinde | None, invitation_token: str | None = None,
    signup_code: str | None = None,
) -> Invitation | None:
    """Finish a signup: record consent, remember where the person lives, redeem an invitation.

    `signup_code` is the printed invitation the person came through (`/r/<code>/`); it is only
    counted, so the town sees which poster or Verein brought how many people.

    The invitation only counts when the new account's address is the invited
    one; otherwise the account stays a plain resident account. Returns the
    invitation that was redeemed, if any.
    """
    user.privacy_accepted_at = timezone.now()
    user.save(update_fields=["privacy_accepted_at"])
    from town.outreach_selectors import signup_code_get

    code = signup_code_get(signup_code) if signup_code else None
    ResidentProfile.objects.update_or_create(user=user, defaults={"ortsgemeinde": ortsgemeinde, "signup_code": code})
    if not invitation_token:
        return None
    from town.people_selectors import invitation_get_by_token
    from town.people_services import InvitationInvalid, invitation_accept

    invitation = invitation_get_by_token(invitation_token)
    if invitation is None:
        return None
    try:
        return invitation_accept(invitation=invitation, user=user)
    except InvitationInvalid:
        logger.info("invitation %s not redeemed at signup", invitation.pk)
        return None


@transaction.atomic
def account_profile_update(*, user: User, name: str, ortsgemeinde: Ortsgemeinde | None) -> User:
    """A person changes their own name and Ortsgemeinde."""
    user.name = name
    user.save(update_fields=["name"])
    ResidentProfile.objects.update_or_create(user=user, defaults={"ortsgemeinde": ortsgemeinde})
    return user


def welcome_mail_send(*, user_id: int) -> bool:
    """Send a new resident the welcome mail: where their village's page is, how to choose what they
    hear about, and who to ask. False when the mail relay refused (the task tries again); True also
    when there is nobody to write to any more (the account was deleted or deactivated meanwhile)."""
    from django.urls import reverse

    from core.branding import current_town_name, town_url
    from core.mail import send_town_mail_or_false
    from core.modules import enabled_module_keys

    user = User.objects.filter(pk=user_id, is_active=True).select_related("resident_profile__ortsgemeinde").first()
    if user is None:
        return True
    profile = getattr(user, "resident_profile", None)
    place = profile.ortsgemeinde.name if profile and profile.ortsgemeinde else current_town_name()
    # The notification settings when the town has the module on, else the account page.
    settings_path = reverse("notifications:settings" if "notifications" in enabled_module_keys() else "town:account")
    return send_town_mail_or_false(
        to=user.email, subject=_("Welcome to %(place)s") % {"place": place},
        template="accounts/mail/welcome",
        context={"name": user.get_short_name(), "place": place,
                 "welcome_url": town_url(reverse("town:welcome")), "settings_url": town_url(settings_path)},
    )
