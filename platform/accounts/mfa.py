"""Who must sign in with a second factor in a town, and until when they may still work without one.

Town admins and moderators must (a password alone would open people, roles, modules and branding);
editors of organisations too when the town asks for it (TownProfile.mfa_for_editors). The duty
starts with a grace period of MFA_GRACE_DAYS from the first request after it began, so nobody is
stopped in the middle of their work: a banner points to the set-up until then, and afterwards
accounts.middleware sends them to the set-up from every page but the account pages.

Platform staff on the public site have their own, stricter rule (core.middleware).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from core.access import user_passes
from core.tenancy import connection

# Types that are a second factor on their own (recovery codes only back one up).
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
# Set in the session once the signed-in person has a second factor: later requests pay no query.
_HAS_FACTOR_SESSION_KEY = "dorfkern_mfa_user"


def mfa_required(user: Any) -> bool:
    """True if `user` must use two-factor login in the current town."""
    if connection.schema_name == "public" or not user.is_authenticated or not user.is_active:
        return False
    if user_passes(user, "moderator"):  # admins are moderators too
        return True
    from town.selectors import town_profile_get

    return bool(town_profile_get().mfa_for_editors) and user_passes(user, "editor")


def has_second_factor(user: Any) -> bool:
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()


def mfa_grace_until(request: HttpRequest) -> datetime | None:
    """Until when the signed-in person may work without a second factor; None if they need none now.

    The first call after the duty began starts the grace period (one write, once per person).
    """
    user = request.user
    if not mfa_required(user):
        return None
    if request.session.get(_HAS_FACTOR_SESSION_KEY) == user.pk:
        return None
    if has_second_factor(user):
        request.session[_HAS_FACTOR_SESSION_KEY] = user.pk
        return None
    if user.mfa_grace_until is None:
        user.mfa_grace_until = timezone.now() + timedelta(days=settings.MFA_GRACE_DAYS)
        User.objects.filter(pk=user.pk).update(mfa_grace_until=user.mfa_grace_until)
    return user.mfa_grace_until  # type: ignore[no-any-return]


def forget_second_factor(request: HttpRequest) -> None:
    """Check again on the next request (an authenticator was removed)."""
    if hasattr(request, "session"):
        request.session.pop(_HAS_FACTOR_SESSION_KEY, None)
