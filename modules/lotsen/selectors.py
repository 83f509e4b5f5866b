"""Reads of the Digitallotsen module (fixed query counts)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from modules.lotsen.models import AssistedAction, AssistedRegistration, AssistKind, HelpRequest, Lotse


def lotse_list() -> list[Lotse]:
    return list(Lotse.objects.select_related("user", "ortsgemeinde").order_by("ortsgemeinde__name", "user__name"))


def help_requests_open() -> list[HelpRequest]:
    return list(HelpRequest.objects.filter(done_at__isnull=True).select_related("ortsgemeinde", "taken_by"))


def help_requests_done(*, limit: int = 20) -> list[HelpRequest]:
    return list(HelpRequest.objects.filter(done_at__isnull=False).select_related("taken_by")
                .order_by("-done_at")[:limit])


def help_request_get(pk: int) -> HelpRequest | None:
    return HelpRequest.objects.filter(pk=pk).first()


def registration_list() -> list[AssistedRegistration]:
    """The people the town's Lotsen registered (every Lotse may act for any of them: they work as a team)."""
    return list(AssistedRegistration.objects.filter(resident__is_active=True).select_related("resident", "lotse"))


def registration_get(pk: int) -> AssistedRegistration | None:
    return AssistedRegistration.objects.select_related("resident").filter(pk=pk, resident__is_active=True).first()


@dataclass(frozen=True)
class LotsenFigures:
    lotsen: int
    by_kind: dict[str, int]
    open_requests: int

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())


def figures(*, days: int = 90, now: datetime.datetime | None = None) -> LotsenFigures:
    """What the town's Lotsen did in the last `days` days, per kind (for the cockpit): three queries."""
    since = (now or timezone.now()) - datetime.timedelta(days=days)
    counts = dict(AssistedAction.objects.filter(at__gte=since).values_list("kind").annotate(n=Count("pk"))
                  .values_list("kind", "n"))
    return LotsenFigures(lotsen=Lotse.objects.count(),
                         by_kind={kind: counts.get(kind, 0) for kind in AssistKind.values},
                         open_requests=HelpRequest.objects.filter(Q(done_at__isnull=True)).count())
