"""Reports made through the services, as in production (and in bulk for budgets)."""

from __future__ import annotations

from typing import Any

from core.page_cache import generation_bump
from modules.reports.models import Category, Report
from modules.reports.services import report_create

# Betzdorf's market square; points nearby are a few metres apart.
LAT, LON = 50.7900, 7.8700


def make_report(*, category: Category, user: Any, lat: float = LAT, lon: float = LON,
                description: str = "Die Laterne vor Hausnummer 5 ist dunkel.", **kwargs: Any) -> Report:
    return report_create(category=category, description=description, latitude=lat, longitude=lon,
                         acting_user=user, **kwargs)


def bulk_reports(*, category: Category, count: int, lat: float = LAT, lon: float = LON) -> None:
    """Many public reports spread over ~10 km, straight into the table (for query budgets)."""
    Report.objects.bulk_create([
        Report(category=category, description=f"Meldung {i}", latitude=lat + (i % 100) * 0.001,
               longitude=lon + (i // 100) * 0.001) for i in range(count)
    ])
    generation_bump("reports")  # bulk_create sends no signal: the writer says so itself
