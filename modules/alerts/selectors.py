"""Reads of the alerts module: current warnings (cached for the banner), poll state, Bekanntmachungen."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils import timezone

from modules.alerts.models import SEVERITY_RANK, Notice, OfficialWarning, PollState

# The cache's KEY_FUNCTION adds the schema name: one entry per town.
BANNER_CACHE_KEY = "alerts:banner"
BANNER_CACHE_SECONDS = 300  # also forgotten whenever a poll or the module's data changes it


@dataclass(frozen=True)
class BannerWarning:
    pk: int
    headline: str
    severity: str
    provider: str
    expires: datetime.datetime | None


@dataclass(frozen=True)
class Banner:
    warnings: tuple[BannerWarning, ...]
    stand: datetime.datetime | None  # when NINA was last read successfully
    stale: bool  # the last poll failed: what shows is the last good state


def _by_severity(rows: list[BannerWarning]) -> list[BannerWarning]:
    return sorted(rows, key=lambda w: SEVERITY_RANK.get(w.severity, 9))  # type: ignore[call-overload]


def banner_get() -> Banner:
    """The town's current warnings for every page: no query while cached, two when not."""
    banner = cache.get(BANNER_CACHE_KEY)
    if banner is None:
        rows = [BannerWarning(pk=w.pk, headline=w.headline, severity=w.severity, provider=w.provider,
                              expires=w.expires)
                for w in OfficialWarning.objects.filter(withdrawn_at__isnull=True)
                .only("pk", "headline", "severity", "provider", "expires")]
        state = PollState.objects.filter(pk=1).first()
        banner = Banner(warnings=tuple(_by_severity(rows)), stand=state.last_success_at if state else None,
                        stale=bool(state and state.last_error))
        cache.set(BANNER_CACHE_KEY, banner, BANNER_CACHE_SECONDS)
    now = timezone.now()
    # An expired warning leaves the banner at once, even before the next poll removes it.
    live = tuple(w for w in banner.warnings if w.expires is None or w.expires > now)
    return Banner(warnings=live, stand=banner.stand, stale=banner.stale)


def forget_banner() -> None:
    cache.delete(BANNER_CACHE_KEY)


def warning_list_current() -> list[OfficialWarning]:
    now = timezone.now()
    rows = list(OfficialWarning.objects.filter(Q(expires__isnull=True) | Q(expires__gt=now), withdrawn_at__isnull=True))
    return sorted(rows, key=lambda w: (SEVERITY_RANK.get(w.severity, 9), -(w.sent or now).timestamp()))  # type: ignore[call-overload]


def warning_get(*, warning_id: int) -> OfficialWarning | None:
    return OfficialWarning.objects.filter(pk=warning_id).first()


def poll_state_get() -> PollState | None:
    return PollState.objects.filter(pk=1).first()


def notice_list_current(*, ortsgemeinde_id: int | None = None) -> QuerySet[Notice]:
    """Bekanntmachungen still valid today, soonest first; for a village: its own and the town-wide ones."""
    notices = Notice.objects.filter(valid_until__gte=timezone.localdate()).select_related("ortsgemeinde")
    if ortsgemeinde_id is not None:
        notices = notices.filter(Q(ortsgemeinde_id=ortsgemeinde_id) | Q(ortsgemeinde__isnull=True))
    return notices.order_by("valid_from", "-id")


def notice_list_all() -> QuerySet[Notice]:
    return Notice.objects.select_related("ortsgemeinde").order_by("-valid_until", "-id")


def notice_list_manageable(user: Any) -> QuerySet[Notice]:
    """Every notice for town admins; an Ortsbürgermeister's own village's notices for them."""
    if getattr(user, "is_town_admin", False):
        return notice_list_all()
    from town.people_services import village_ids_of

    return notice_list_all().filter(ortsgemeinde_id__in=village_ids_of(user))


def notice_get(*, pk: int) -> Notice | None:
    return Notice.objects.select_related("ortsgemeinde").filter(pk=pk).first()
