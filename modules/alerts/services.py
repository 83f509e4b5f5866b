"""Every write of the alerts module: the NINA poll, announcing warnings, and the town's Bekanntmachungen."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.modules import module_settings
from modules.alerts import nina
from modules.alerts.models import Notice, OfficialWarning, PollState, Provider, Severity, WarningDispatch
from modules.alerts.selectors import forget_banner

logger = logging.getLogger(__name__)

MODULE_KEY = "alerts"
# Civil-protection warnings reach every resident like the town's own urgent notices (the notifications
# module's "urgent" topic); weather and flood warnings have their own topics, on by default.
CIVIL_PROTECTION = {Provider.MOWAS, Provider.KATWARN, Provider.BIWAPP, Provider.POLICE}
TOPIC_WEATHER = "alerts.weather"
TOPIC_FLOOD = "alerts.flood"
TOPIC_URGENT = "urgent"
# Weather notices of the lowest level (frost, a windy day) stay on the banner; residents are told from "Danger" up.
_NOTIFY_WEATHER_FROM = {Severity.EXTREME, Severity.SEVERE, Severity.MODERATE}


@dataclass
class PollResult:
    polled: bool = False  # False: the town has no ARS, nothing was asked
    ok: bool = True
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    announced: int = 0
    error: str = ""


def warning_topic(provider: str, severity: str) -> str | None:
    """The notification topic a warning goes out on, or None when it only shows on the banner."""
    if provider in CIVIL_PROTECTION:
        return TOPIC_URGENT
    if severity not in _NOTIFY_WEATHER_FROM:
        return None
    if provider == Provider.DWD:
        return TOPIC_WEATHER
    if provider == Provider.LHP:
        return TOPIC_FLOOD
    return None


def _poll_state_lock() -> PollState:
    state = PollState.objects.select_for_update().filter(pk=1).first()
    return state or PollState.objects.create(pk=1)


def warnings_poll(*, now: datetime.datetime | None = None) -> PollResult:
    """Bring the stored warnings in line with NINA for the town's ARS; keep the last good state on failure.

    Reads first (dashboard, then details of new and changed warnings), writes afterwards in one
    transaction, so a failure half-way leaves the stored warnings as they were, marked with their "Stand".
    """
    now = now or timezone.now()
    ars = (module_settings(MODULE_KEY).get("ars") or "").strip()
    if not ars:
        return PollResult(polled=False)
    known = dict(OfficialWarning.objects.values_list("identifier", "version"))
    try:
        entries, details = nina.fetch(ars, known=known)
    except nina.NinaError as exc:
        return _poll_failed(str(exc), now=now)
    return _poll_apply(ars, entries, details, now=now)


def _poll_failed(message: str, *, now: datetime.datetime) -> PollResult:
    logger.warning("NINA poll failed: %s", message)
    with transaction.atomic():
        state = _poll_state_lock()
        state.last_attempt_at = now
        state.last_error = message[:500]
        state.save()
    forget_banner()
    return PollResult(polled=True, ok=False, error=message)


@transaction.atomic
def _poll_apply(
    ars: str, entries: list[nina.DashboardEntry], details: dict[str, nina.WarningDetails], *, now: datetime.datetime
) -> PollResult:
    # One poll at a time per town: a second one (beat fired twice) waits here and then finds nothing new.
    state = _poll_state_lock()
    result = PollResult(polled=True)
    current = {entry.identifier for entry in entries if entry.msg_type.lower() != "cancel"}
    stored = {w.identifier: w for w in OfficialWarning.objects.all()}
    # Withdrawn upstream (gone from the dashboard) or cancelled ("Entwarnung"): no longer a current warning.
    gone = [identifier for identifier in stored if identifier not in current]
    if gone:
        OfficialWarning.objects.filter(identifier__in=gone).delete()
        result.removed = sorted(gone)
    changed: list[OfficialWarning] = []
    for identifier, found in details.items():
        if identifier not in current:
            continue
        values = {
            "version": found.version, "provider": found.provider if found.provider in Provider.values
            else Provider.OTHER, "severity": found.severity, "msg_type": found.msg_type, "headline": found.headline,
            "description": found.description, "instruction": found.instruction, "area": found.area,
            "sender_name": found.sender_name, "web": found.web, "sent": found.sent, "expires": found.expires,
        }
        row = stored.get(identifier)
        if row is None:
            row = OfficialWarning.objects.create(identifier=identifier, **values)
            result.added.append(identifier)
        elif row.version != found.version:
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
            result.updated.append(identifier)
        else:
            continue
        changed.append(row)
    state.last_attempt_at = state.last_success_at = now
    state.last_error = ""
    state.region_key = nina.county_key(ars)
    state.save()
    result.announced = sum(1 for row in changed if warning_announce(warning=row))
    transaction.on_commit(forget_banner)
    return result


def warning_announce(*, warning: OfficialWarning) -> bool:
    """Tell the residents about this warning's current version, once: True if this call did it.

    The (identifier, version) row is inserted in a savepoint; a second poll, a redelivered task or
    a concurrent worker hits the unique constraint and notifies nobody.
    """
    topic = warning_topic(warning.provider, warning.severity)
    if topic is None:
        return False
    try:
        with transaction.atomic():
            WarningDispatch.objects.create(identifier=warning.identifier, version=warning.version)
    except IntegrityError:
        return False
    from accounts.models import User
    from modules.notifications.facade import notify

    prefix = _("Update: ") if warning.version > 1 or warning.msg_type.lower() == "update" else ""
    notify(
        user_ids=User.objects.filter(is_active=True).values_list("pk", flat=True),
        event="alerts.warning",
        title=f"{prefix}{warning.headline}"[:120],
        body=(warning.instruction or warning.description)[:1000],
        url=warning.get_absolute_url(),
        dedupe_key=f"alerts.warning:{warning.identifier}:{warning.version}",
        topic=topic,
        urgent=True,
    )
    return True


# --- Bekanntmachungen ---------------------------------------------------------------


def user_can_manage_notices(user: Any) -> bool:
    # Bekanntmachungen speak for the town hall: its administrators, not the clubs' editors.
    from core.access import user_passes

    return user_passes(user, "town_admin")


def _clean_notice(data: dict[str, Any]) -> dict[str, Any]:
    title = (data.get("title") or "").strip()
    body = (data.get("body") or "").strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Please enter a title.")]
    if not body:
        errors["body"] = [_("Please enter the text of the notice.")]
    valid_from, valid_until = data.get("valid_from"), data.get("valid_until")
    if not valid_from:
        errors["valid_from"] = [_("Please enter the first day the notice applies.")]
    if not valid_until:
        errors["valid_until"] = [_("Please enter the last day the notice applies.")]
    elif valid_from and valid_until < valid_from:
        errors["valid_until"] = [_("The last day cannot be before the first day.")]
    lat, lon = data.get("latitude"), data.get("longitude")
    if (lat is None) != (lon is None):
        errors["longitude"] = [_("Enter both latitude and longitude, or neither.")]
    elif lat is not None and not (Decimal("-90") <= lat <= Decimal("90") and Decimal("-180") <= lon <= Decimal("180")):
        errors["latitude"] = [_("This is not a place on Earth.")]
    if errors:
        raise ValidationError(errors)
    return {
        "title": title[:200], "body": body, "kind": data.get("kind") or "other", "valid_from": valid_from,
        "valid_until": valid_until, "ortsgemeinde": data.get("ortsgemeinde"),
        "place": (data.get("place") or "").strip()[:200], "latitude": lat, "longitude": lon,
        "is_urgent": bool(data.get("is_urgent")),
    }


@transaction.atomic
def notice_create(*, acting_user: Any, data: dict[str, Any]) -> Notice:
    """Publish a Bekanntmachung at once (town admins); urgent ones go out as urgent notices."""
    if not user_can_manage_notices(acting_user):
        raise PermissionDenied
    notice = Notice.objects.create(created_by=acting_user, **_clean_notice(data))
    if notice.is_urgent:
        _notice_announce(notice)
    return notice


@transaction.atomic
def notice_update(*, notice: Notice, acting_user: Any, data: dict[str, Any]) -> Notice:
    if not user_can_manage_notices(acting_user):
        raise PermissionDenied
    was_urgent = notice.is_urgent
    for name, value in _clean_notice(data).items():
        setattr(notice, name, value)
    notice.save()
    if notice.is_urgent and not was_urgent:
        _notice_announce(notice)
    return notice


@transaction.atomic
def notice_delete(*, notice: Notice, acting_user: Any) -> None:
    if not user_can_manage_notices(acting_user):
        raise PermissionDenied
    notice.delete()


def _notice_announce(notice: Notice) -> None:
    if not notice.is_current:
        return
    from accounts.models import User
    from modules.notifications.facade import notify

    users = User.objects.filter(is_active=True)
    if notice.ortsgemeinde_id:
        users = users.filter(resident_profile__ortsgemeinde_id=notice.ortsgemeinde_id)
    notify(
        user_ids=users.values_list("pk", flat=True),
        event="alerts.notice",
        title=notice.title[:120],
        body=notice.body[:1000],
        url=notice.get_absolute_url(),
        dedupe_key=f"alerts.notice:{notice.pk}",
        topic=TOPIC_URGENT,
        urgent=True,
    )
