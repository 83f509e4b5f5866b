"""The adoption cockpit: how far the digital village has reached, in counts only, never names.

Every figure is a count over the town's own tables, in a fixed number of queries whatever the
number of residents: residents per Ortsgemeinde against its inhabitants, registrations per week,
organisations that publish and their editors, and what each printed invitation brought.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from accounts.models import User
from town.models import Organisation, OrganisationMembership, Ortsgemeinde, ResidentProfile


@dataclass(frozen=True)
class VillageReach:
    name: str
    inhabitants: int | None
    residents: int

    @property
    def percent(self) -> float | None:
        """Share of the inhabitants with an account (None while the town hasn't entered them)."""
        if not self.inhabitants:
            return None
        return round(100 * self.residents / self.inhabitants, 1)


@dataclass(frozen=True)
class WeekCount:
    week: datetime.date  # the Monday
    registrations: int


@dataclass(frozen=True)
class Adoption:
    villages: list[VillageReach]
    without_village: int
    residents: int
    inhabitants: int | None
    weeks: list[WeekCount]
    organisations: int
    organisations_with_editors: int
    editors: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.residents / self.inhabitants, 1) if self.inhabitants else None

    @property
    def busiest_week(self) -> int:
        return max((week.registrations for week in self.weeks), default=0)


def _people() -> Q:
    # Residents are active accounts of the town; platform staff never count.
    return Q(user__is_active=True, user__is_staff=False)


def adoption(*, weeks: int = 12) -> Adoption:
    """Five queries: residents per village, the villages, registrations per week, organisations with
    their editors, and the number of editors."""
    per_village = dict(ResidentProfile.objects.filter(_people()).values("ortsgemeinde_id")
                       .annotate(n=Count("pk")).values_list("ortsgemeinde_id", "n"))
    villages = [VillageReach(name=village.name, inhabitants=village.inhabitants,
                             residents=per_village.get(village.pk, 0))
                for village in Ortsgemeinde.objects.order_by("name")]
    without_village = per_village.get(None, 0)
    today = timezone.localdate()
    first_monday = today - datetime.timedelta(days=today.weekday(), weeks=weeks - 1)
    per_week = dict(
        User.objects.filter(is_active=True, is_staff=False, date_joined__date__gte=first_monday)
        .annotate(week=TruncWeek("date_joined")).values("week").annotate(n=Count("pk")).values_list("week", "n")
    )
    counted = {timezone.localtime(week).date() if isinstance(week, datetime.datetime) else week: n
               for week, n in per_week.items()}
    week_counts = [WeekCount(week=first_monday + datetime.timedelta(weeks=i),
                             registrations=counted.get(first_monday + datetime.timedelta(weeks=i), 0))
                   for i in range(weeks)]
    organisations = Organisation.objects.filter(is_approved=True).annotate(
        editors=Count("memberships", filter=Q(memberships__user__is_active=True))
    ).values_list("editors", flat=True)
    editor_counts = list(organisations)
    editors = OrganisationMembership.objects.filter(user__is_active=True, organisation__is_approved=True) \
        .values("user").distinct().count()
    known = [village.inhabitants for village in villages if village.inhabitants]
    residents = sum(village.residents for village in villages) + without_village
    return Adoption(
        villages=villages, without_village=without_village, residents=residents,
        inhabitants=sum(known) if known and len(known) == len(villages) else None,
        weeks=week_counts, organisations=len(editor_counts),
        organisations_with_editors=sum(1 for count in editor_counts if count), editors=editors,
    )
