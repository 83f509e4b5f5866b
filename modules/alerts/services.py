"""Every write of the alerts module: the NINA poll, announcing warnings, and the town's Bekanntmachungen."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
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
WITHDRAWN_KEEP_DAYS = 30
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
    # The row exists before it is locked, also when two first polls race (ON CONFLICT DO NOTHING).
    PollState.objects.bulk_create([PollState(pk=1)], ignore_conflicts=True)
    return PollState.objects.select_for_update().get(pk=1)


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
    gone = [i for i, w in stored.items() if i not in current and w.withdrawn_at is None]
    if gone:
        OfficialWarning.objects.filter(identifier__in=gone).update(withdrawn_at=now)
        result.removed = sorted(gone)
    # Listed again in the version already stored (briefly missing upstream): current again, not news.
    back = [i for i, w in stored.items() if i in current and w.withdrawn_at is not None and i not in details]
    if back:
        OfficialWarning.objects.filter(identifier__in=back).update(withdrawn_at=None)
    OfficialWarning.objects.filter(withdrawn_at__lt=now - datetime.timedelta(days=WITHDRAWN_KEEP_DAYS)).delete()
    new: list[OfficialWarning] = []
    updated: list[OfficialWarning] = []
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
            new.append(OfficialWarning(identifier=identifier, **values))
        elif row.version != found.version or row.withdrawn_at is not None:
            for name, value in values.items():
                setattr(row, name, value)
            row.updated_at, row.withdrawn_at = now, None
            updated.append(row)
    # A fixed number of queries per poll, however many warnings arrive at once.
    OfficialWarning.objects.bulk_create(new)
    if updated:
        OfficialWarning.objects.bulk_update(updated, [*_WARNING_FIELDS, "updated_at", "withdrawn_at"])
    result.added = [row.identifier for row in new] + sorted(back)
    result.updated = [row.identifier for row in updated]
    state.last_attempt_at = state.last_success_at = now
    state.last_error = ""
    state.region_key = nina.county_key(ars)
    state.save()
    result.announced = len(warnings_announce(warnings=[*new, *updated]))
    transaction.on_commit(forget_banner)
    return result


_WARNING_FIELDS = ("version", "provider", "severity", "msg_type", "headline", "description", "instruction", "area",
                   "sender_name", "web", "sent", "expires")


def _dispatch_claim(keys: list[tuple[str, int]]) -> set[tuple[str, int]]:
    """Insert one dispatch row per (identifier, version); returns those this call inserted.

    ON CONFLICT DO NOTHING with the unique constraint: a second poll, a redelivered task or a
    concurrent worker gets nothing back for a version already claimed, so nobody is told twice.
    """
    if not keys:
        return set()
    table = WarningDispatch._meta.db_table
    rows = ", ".join(["(%s, %s, now())"] * len(keys))
    params = [value for key in keys for value in key]
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{table}" (identifier, version, created_at) VALUES {rows} '  # noqa: S608 (no user text)
            "ON CONFLICT (identifier, version) DO NOTHING RETURNING identifier, version",
            params,
        )
        return {(identifier, version) for identifier, version in cursor.fetchall()}


def warnings_announce(*, warnings: list[OfficialWarning]) -> list[OfficialWarning]:
    """Tell the residents about these warnings' current versions, each once; returns those announced now.

    Civil-protection warnings go to everyone on the urgent topic; weather and flood warnings to the
    subscribers of their topic (on by default); low-level weather notices only show on the banner.
    """
    wanted = [w for w in warnings if warning_topic(w.provider, w.severity) is not None]
    claimed = _dispatch_claim([(w.identifier, w.version) for w in wanted])
    announced = [w for w in wanted if (w.identifier, w.version) in claimed]
    if not announced:
        return []
    from accounts.models import User
    from modules.notifications.facade import notify

    residents = list(User.objects.filter(is_active=True).values_list("pk", flat=True))  # once per poll
    for warning in announced:
        prefix = _("Update: ") if warning.version > 1 or warning.msg_type.lower() == "update" else ""
        notify(
            user_ids=residents,
            event="alerts.warning",
            title=f"{prefix}{warning.headline}"[:120],
            body=(warning.instruction or warning.description)[:1000],
            url=warning.get_absolute_url(),
            dedupe_key=f"alerts.warning:{warning.identifier}:{warning.version}",
            topic=warning_topic(warning.provider, warning.severity) or TOPIC_URGENT,
            urgent=True,
        )
    return announced


# --- Bekanntmachungen ---------------------------------------------------------------


def user_can_manage_notices(user: Any) -> bool:
    """May `user` work on Bekanntmachungen at all: town admins, and editors of an Ortsgemeinde
    (Ortsbürgermeister) for their own village. Clubs' editors never: notices speak officially."""
    from core.access import user_passes
    from town.people_services import village_ids_of

    return user_passes(user, "town_admin") or bool(village_ids_of(user))


def user_can_manage_notice_for(user: Any, ortsgemeinde: Any) -> bool:
    """May `user` publish a notice for `ortsgemeinde` (None: the whole town)? Admins anywhere;
    an Ortsbürgermeister only for their own Ortsgemeinde, never town-wide or for another village."""
    from town.people_services import user_can_publish_official_for

    return user_can_publish_official_for(user, [ortsgemeinde] if ortsgemeinde is not None else [])


def _require_notice_rights(user: Any, ortsgemeinde: Any) -> None:
    if not user_can_manage_notice_for(user, ortsgemeinde):
        raise PermissionDenied(_("You publish notices only for your own Ortsgemeinde."))


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
    """Publish a Bekanntmachung at once (town admins; an Ortsbürgermeister for their village);
    urgent ones go out as urgent notices."""
    cleaned = _clean_notice(data)
    _require_notice_rights(acting_user, cleaned["ortsgemeinde"])
    notice = Notice.objects.create(created_by=acting_user, **cleaned)
    if notice.is_urgent:
        _notice_announce(notice)
    return notice


@transaction.atomic
def notice_update(*, notice: Notice, acting_user: Any, data: dict[str, Any]) -> Notice:
    _require_notice_rights(acting_user, notice.ortsgemeinde)
    cleaned = _clean_notice(data)
    _require_notice_rights(acting_user, cleaned["ortsgemeinde"])
    was_urgent = notice.is_urgent
    for name, value in cleaned.items():
        setattr(notice, name, value)
    notice.save()
    if notice.is_urgent and not was_urgent:
        _notice_announce(notice)
    return notice


@transaction.atomic
def notice_delete(*, notice: Notice, acting_user: Any) -> None:
    _require_notice_rights(acting_user, notice.ortsgemeinde)
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
