"""Writes of the Schaukasten: registering a screen (issuing its key), signing it off, noting that it is alive."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import user_passes
from core.audit import audit_record
from modules.display.models import Screen

MAX_SCREENS = 100  # a town has a handful; the cap keeps a runaway script from filling the table
# A screen asks every minute or so: noting every request would write a row a minute per screen for nothing.
LAST_SEEN_RESOLUTION = datetime.timedelta(minutes=1)


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _check_admin(user: Any) -> None:
    if not user_passes(user, "town_admin"):
        raise PermissionDenied


@transaction.atomic
def screen_register(*, name: str, ortsgemeinde: Any, acting_user: Any, key: str | None = None) -> tuple[Screen, str]:
    """A new screen and its key (returned once: only its digest is stored).

    `key` is for the demo town only, whose screen has an address printed in the docs; real screens get a
    random one.
    """
    _check_admin(acting_user)
    name = " ".join((name or "").split())[:100]
    if not name:
        raise ValidationError({"name": _("Please give the screen a name.")})
    if Screen.objects.filter(revoked_at__isnull=True).count() >= MAX_SCREENS:
        raise ValidationError(_("The town already has %(count)d screens. Sign off one you no longer use first.")
                              % {"count": MAX_SCREENS})
    key = key or secrets.token_urlsafe(24)
    screen = Screen.objects.create(name=name, ortsgemeinde=ortsgemeinde, key_digest=key_digest(key),
                                   key_hint=key[-4:])
    audit_record(acting_user, "display.screen_register", screen,
                 after={"name": name, "ortsgemeinde": str(ortsgemeinde or "")})
    return screen, key


@transaction.atomic
def screen_revoke(*, screen: Screen, acting_user: Any) -> Screen:
    """Sign a screen off: its key stops working at once; the screen shows that it is signed off."""
    _check_admin(acting_user)
    locked = Screen.objects.select_for_update().get(pk=screen.pk)
    if locked.revoked_at is not None:
        raise ValidationError(_("This screen is already signed off."))
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    audit_record(acting_user, "display.screen_revoke", locked)
    return locked


def screen_seen(*, screen: Screen, now: datetime.datetime | None = None) -> None:
    """Note that the screen asked for its content (at most one write a minute)."""
    now = now or timezone.now()
    if screen.last_seen_at is None or now - screen.last_seen_at >= LAST_SEEN_RESOLUTION:
        Screen.objects.filter(pk=screen.pk).update(last_seen_at=now)
        screen.last_seen_at = now
