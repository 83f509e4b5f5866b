"""Reads for a resident's own data and for the town's data-protection paperwork.

The paperwork (record of processing activities, data-processing agreement, technical and
organisational measures, retention register) is built from what every app declares on its
core.personal_data.PersonalData capability: the platform's own apps always, feature modules
when the town has them switched on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from core.capabilities import declared_by_module
from core.modules import FeatureModule, enabled_module_keys
from core.personal_data import Kept, PersonalData
from town.models import DataExport, DataExportStatus

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def data_exports_of(user: Any) -> list[DataExport]:
    """The person's data exports, newest first (at most a few: a new request removes the old)."""
    return list(DataExport.objects.filter(user=user).order_by("-created_at", "-pk")[:5])


def data_export_downloadable(*, user: Any, pk: int) -> DataExport | None:
    """The person's own ready, unexpired export `pk`; None for anyone else's, or when it has expired."""
    return DataExport.objects.filter(
        pk=pk, user=user, status=DataExportStatus.READY, expires_at__gt=timezone.now(),
    ).exclude(file_name="").first()


@dataclass(frozen=True)
class ProcessingActivity:
    """One line of the record of processing activities (GDPR Art. 30(1))."""

    key: str
    name: StrOrPromise  # the module's or platform part's name
    provider: PersonalData

    @property
    def kept(self) -> tuple[Kept, ...]:
        return self.provider.kept


def _platform_name(app: Any) -> StrOrPromise:
    return app.verbose_name


def processing_activities(*, enabled: frozenset[str] | None = None) -> list[ProcessingActivity]:
    """What the town processes: the platform's own parts, then each module the town has switched on."""
    keys = enabled_module_keys() if enabled is None else enabled
    platform: list[ProcessingActivity] = []
    modules: list[ProcessingActivity] = []
    for app, provider in declared_by_module(PersonalData):
        if isinstance(app, FeatureModule):
            if app.spec.key in keys:
                modules.append(ProcessingActivity(key=provider.key, name=app.spec.name, provider=provider))
        else:
            platform.append(ProcessingActivity(key=provider.key, name=_platform_name(app), provider=provider))
    platform.sort(key=lambda activity: activity.provider.order)
    modules.sort(key=lambda activity: str(activity.name))
    return platform + modules


@dataclass(frozen=True)
class RetentionEntry:
    """A line of the retention register: what stays after an erasure, where, why and for how long."""

    source: StrOrPromise
    kept: Kept


def retention_register(*, enabled: frozenset[str] | None = None, every_module: bool = False) -> list[RetentionEntry]:
    """What an erasure leaves behind in this town (or with `every_module`, in any town), with its legal basis."""
    entries = []
    for app, provider in declared_by_module(PersonalData):
        if isinstance(app, FeatureModule):
            if not every_module and app.spec.key not in (enabled_module_keys() if enabled is None else enabled):
                continue
            source = app.spec.name
        else:
            source = _platform_name(app)
        entries.extend(RetentionEntry(source=source, kept=kept) for kept in provider.kept)
    return entries


def retained_tables() -> frozenset[str]:
    """Tables where the retention register says a person's traces may stay after an erasure."""
    return frozenset(table for entry in retention_register(every_module=True) for table in entry.kept.tables)


__all__ = [
    "ProcessingActivity",
    "RetentionEntry",
    "data_export_downloadable",
    "data_exports_of",
    "processing_activities",
    "retained_tables",
    "retention_register",
]
