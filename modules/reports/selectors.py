"""Reads of the Mängelmelder, each in a fixed number of queries whatever the number of reports."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, DateTimeField, ExpressionWrapper, F, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from core.cached_lists import CachedList
from core.maps import MAX_POINTS_PER_LAYER, MapPoint
from modules.reports.conf import reports_settings
from modules.reports.models import OPEN_STATUSES, Category, Report, ReportPhoto, Status
from modules.reports.services import EARTH_RADIUS_M, haversine_m, user_is_staff


def _categories_build() -> list[Category]:
    return list(Category.objects.order_by("position", "name"))


# The list's filter and Open311's services.json on every call; the town's change shows on the next request.
_categories = CachedList("reports.categories", _categories_build, models=(Category,))


def category_list() -> list[Category]:
    return _categories.get()


def town_centre() -> tuple[float, float]:
    """Where the pin map opens: the middle of the town's uploaded boundaries, else of its reports (one query)."""
    from django.db.models import Avg, Max, Min

    from town.models import OrtsgemeindeBoundary

    box = OrtsgemeindeBoundary.objects.aggregate(s=Min("min_lat"), n=Max("max_lat"), w=Min("min_lon"),
                                                 e=Max("max_lon"))
    if box["s"] is not None:
        return (box["s"] + box["n"]) / 2, (box["w"] + box["e"]) / 2
    middle = Report.objects.aggregate(lat=Avg("latitude"), lon=Avg("longitude"))
    if middle["lat"] is not None:
        return middle["lat"], middle["lon"]
    return 50.75, 7.88  # no places yet: the middle of the Westerwald, where the demo town lies


def public_reports() -> QuerySet[Report]:
    """What everybody may see: confirmed, approved, not merged into another report."""
    return Report.objects.filter(confirmed=True, approved=True, merged_into__isnull=True)


def report_list_public(*, status: str = "", category: Category | None = None, ortsgemeinde_id: int | None = None,
                       limit: int = 50, offset: int = 0) -> list[Report]:
    """The public list (newest first), filtered; one query."""
    reports = public_reports().select_related("category", "ortsgemeinde")
    if status == "open":
        reports = reports.filter(status__in=OPEN_STATUSES)
    elif status in Status.values:
        reports = reports.filter(status=status)
    if category is not None:
        reports = reports.filter(category=category)
    if ortsgemeinde_id is not None:
        reports = reports.filter(ortsgemeinde_id=ortsgemeinde_id)
    return list(reports.order_by("-created_at", "-id")[offset:offset + limit])


def report_get_public(*, pk: int, user: Any = None) -> Report | None:
    """A report with its history and the photos this visitor may see (3 queries), or None."""
    visible = Report.objects.all() if user_is_staff(user) else public_reports()
    report = visible.select_related("category", "ortsgemeinde", "merged_into").prefetch_related(
        "history", Prefetch("photos", queryset=ReportPhoto.objects.order_by("created_at", "id"))
    ).filter(pk=pk).first()
    if report is None:
        return None
    show_all = (not reports_settings()["photos_need_release"] or report.photos_released or user_is_staff(user)
                or (user is not None and user.is_authenticated and report.reporter_id == user.pk))
    report.visible_photos = [p for p in report.photos.all() if show_all or p.is_fix]
    return report


def _box(lat: float, lon: float, distance_m: float) -> tuple[float, float, float, float]:
    dlat = math.degrees(distance_m / EARTH_RADIUS_M)
    dlon = math.degrees(distance_m / (EARTH_RADIUS_M * max(math.cos(math.radians(lat)), 0.01)))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


@dataclass(frozen=True)
class Nearby:
    report: Report
    distance_m: int


def duplicates_near(*, category: Category, lat: float, lon: float, exclude_pk: int | None = None,
                    limit: int = 5) -> list[Nearby]:
    """Open public reports of the category within its duplicate distance, nearest first (one query).

    The bounding box runs on the (latitude, longitude) btree; the exact haversine check then drops
    the box's corners.
    """
    distance = float(category.duplicate_distance_m)
    south, north, west, east = _box(lat, lon, distance)
    candidates = public_reports().filter(
        category=category, status__in=OPEN_STATUSES,
        latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east,
    ).exclude(pk=exclude_pk).select_related("category", "ortsgemeinde")[:200]
    found = [Nearby(r, round(haversine_m(lat, lon, r.latitude, r.longitude))) for r in candidates]
    found = [n for n in found if n.distance_m <= distance]
    return sorted(found, key=lambda n: n.distance_m)[:limit]


def map_points(request: HttpRequest) -> list[MapPoint]:
    """The public reports on the town's map (one query). Open first, then the newest done."""
    reports = public_reports().filter(latitude__isnull=False, longitude__isnull=False).select_related(
        "category").order_by("-created_at", "-id")[:MAX_POINTS_PER_LAYER]
    return [MapPoint(lat=r.latitude, lon=r.longitude, title=f"{r.category.name} ({r.get_status_display()})",
                     url=r.get_absolute_url(), text=r.address, category=str(r.get_status_display()))
            for r in reports]


# --- back office ----------------------------------------------------------------------------------


def _due() -> ExpressionWrapper:
    return ExpressionWrapper(F("created_at") + F("category__target_days") * timedelta(days=1),
                             output_field=DateTimeField())


def queue(*, department: str = "", status: str = "", category_id: int | None = None,
          assigned_to_id: int | None = None, unassigned: bool = False, overdue: bool = False, held: bool = False,
          limit: int = 50, offset: int = 0) -> list[Report]:
    """The back office's queue (one query): oldest due date first, with `due` and `is_overdue` set."""
    now = timezone.now()
    reports = Report.objects.filter(merged_into__isnull=True, confirmed=True).select_related(
        "category", "ortsgemeinde", "assigned_to").annotate(due=_due())
    if department:
        reports = reports.filter(category__department=department)
    if status == "open" or not status:
        reports = reports.filter(status__in=OPEN_STATUSES)
    elif status in Status.values:
        reports = reports.filter(status=status)
    if category_id:
        reports = reports.filter(category_id=category_id)
    if assigned_to_id:
        reports = reports.filter(assigned_to_id=assigned_to_id)
    elif unassigned:
        reports = reports.filter(assigned_to__isnull=True)
    if overdue:
        reports = reports.filter(due__lt=now, status__in=OPEN_STATUSES)
    if held:
        reports = reports.filter(approved=False)
    found = list(reports.order_by("due", "id")[offset:offset + limit])
    for report in found:
        report.is_overdue = report.status in OPEN_STATUSES and report.due < now
    return found


def queue_counts() -> dict[str, int]:
    """Open reports per department and overdue ones (one query)."""
    now = timezone.now()
    rows = Report.objects.filter(merged_into__isnull=True, confirmed=True, status__in=OPEN_STATUSES).annotate(
        due=_due()).values("category__department").annotate(
        total=Count("id"), late=Count("id", filter=Q(due__lt=now)))
    counts: dict[str, int] = {"overdue": 0}
    for row in rows:
        counts[row["category__department"]] = row["total"]
        counts["overdue"] += row["late"]
    return counts


def report_get_staff(*, pk: int) -> Report | None:
    """A report with everything staff see: photos, history, notes, followers' count (4 queries)."""
    return (Report.objects.select_related("category", "ortsgemeinde", "assigned_to", "reporter", "merged_into")
            .prefetch_related("photos", "history__by", "notes__author")
            .annotate(follower_count=Count("followers", distinct=True)).filter(pk=pk).first())


def follower_ids(report: Report) -> list[int]:
    return list(report.followers.values_list("user_id", flat=True))


def user_follows(report: Report, user: Any) -> bool:
    return bool(user.is_authenticated and report.followers.filter(user=user).exists())


# --- Open311 reads --------------------------------------------------------------------------------


def open311_requests(*, ids: list[int] | None = None, service_code: list[str] | None = None,
                     start: datetime | None = None, end: datetime | None = None, status: str = "",
                     limit: int = 1000) -> list[Report]:
    """Public reports for GET requests (one query). Without a date range: the last 90 days, as the spec says."""
    reports = public_reports().select_related("category", "ortsgemeinde")
    if ids is not None:
        reports = reports.filter(pk__in=ids)
    else:
        if start is None and end is None:
            start = timezone.now() - timedelta(days=90)
        if start is not None:
            reports = reports.filter(created_at__gte=start)
        if end is not None:
            reports = reports.filter(created_at__lte=end)
    if service_code:
        reports = reports.filter(category__slug__in=service_code)
    if status == "open":
        reports = reports.filter(status__in=OPEN_STATUSES)
    elif status == "closed":
        reports = reports.exclude(status__in=OPEN_STATUSES)
    return list(reports.order_by("-created_at", "-id")[:limit])
