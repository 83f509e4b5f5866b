"""The account itself: profile, e-mail addresses, two-factor login, sessions (core.personal_data).

Erasure of the account runs last (order 1000), after every other provider.

- accounts.User
  export: name, e-mail, role, dates
  erase: **anonymised and deactivated**, not deleted (below)
- allauth EmailAddress (+ confirmations)
  export: addresses, verified, primary
  erase: deleted
- allauth.mfa Authenticator
  export: which kinds are set up, when; never a secret or recovery code
  erase: deleted
- django.contrib.sessions Session
  export: (not exported: a session is a random key)
  erase: the person's sessions deleted
- allauth.usersessions UserSession ("Signed-in devices")
  export: when, from which IP address and with which browser each session signed in
  erase: deleted
- auth groups and permissions
  export: (none in use)
  erase: cleared
- accounts.LoginAttempt (wrong-password limits, accounts.login_limits)
  export: (not exported: keyed hashes of an address and of account + address, nothing readable)
  erase: not linked to the person; every row is deleted within the hour by the purge task
- accounts.MailBounce / UndeliverableAddress (by the person's address: accounts.bounce_services)
  export: bounces reported for the address, and whether it is marked undeliverable
  erase: deleted

Why the account row stays as an empty shell: comments in other people's threads, messages
sent to others and moderation decisions keep pointing at it (their foreign keys delete the
content with the account). The shell holds no name, a made-up e-mail address at the reserved
``.invalid`` domain and no usable password, and it can't sign in again, so what points at it
no longer names anybody. ``date_joined`` and ``privacy_accepted_at`` stay: they show that
earlier processing was lawful (GDPR Art. 5(2), 7(1)) and identify no one on their own.
"""

from __future__ import annotations

import secrets
from importlib import import_module
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import MailBounce, Role, UndeliverableAddress, User

ERASED_DOMAIN = "erased.invalid"


def export(user: User) -> dict[str, Any]:
    return {
        "profile": {
            "name": user.name,
            "email": user.email,
            "role": user.role,
            "is_active": user.is_active,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "privacy_accepted_at": user.privacy_accepted_at,
            "mfa_grace_until": user.mfa_grace_until,
        },
        "email_addresses": list(
            EmailAddress.objects.filter(user=user).order_by("pk").values("email", "verified", "primary")
        ),
        # Which second factors exist, never their secrets or recovery codes.
        "two_factor": list(
            Authenticator.objects.filter(user=user).order_by("pk").values("type", "created_at", "last_used_at")
        ),
        # What the mail relay reported about the address (accounts.bounce_services).
        "mail_bounces": list(
            MailBounce.objects.filter(email__iexact=user.email).order_by("pk").values("kind", "reason", "created_at")
        ),
        "mail_undeliverable_since": UndeliverableAddress.objects.filter(email__iexact=user.email)
        .values_list("since", flat=True).first(),
        "signed_in_devices": list(
            UserSession.objects.filter(user=user).order_by("pk").values("ip", "user_agent", "created_at",
                                                                        "last_seen_at")
        ),
    }


def _sessions_end(user: User) -> None:
    # Sessions store the user id only inside their signed payload; a town has few live sessions,
    # and erasure is rare, so reading them once is cheaper than a second index kept for this.
    user_id = str(user.pk)
    stale = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == user_id
    ]
    # Through the session engine, not the table: a cached session (cached_db) must go from the cache too.
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session_key in stale:
        store().delete(session_key)


def erase(user: User) -> None:
    if user.role == Role.ADMIN and user.is_active:
        admins = User.objects.select_for_update().filter(role=Role.ADMIN, is_active=True).exclude(pk=user.pk)
        if not admins.exists():
            raise ValidationError(
                _("%(name)s is the last administrator of the town. Make someone else an administrator first.")
                % {"name": user},
                code="last_admin",
            )
    _sessions_end(user)
    MailBounce.objects.filter(email__iexact=user.email).delete()
    UndeliverableAddress.objects.filter(email__iexact=user.email).delete()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    UserSession.objects.filter(user=user).delete()
    user.groups.clear()
    user.user_permissions.clear()
    user.email = f"erased-{user.pk}-{secrets.token_hex(6)}@{ERASED_DOMAIN}"
    user.name = ""
    user.role = Role.RESIDENT
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.mfa_grace_until = None
    # A changed password hash also ends any session that slipped through (Django checks the hash).
    user.set_unusable_password()
    user.save()
