"""Reads of the moderation module; list pages cost a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet

from modules.moderation.models import AuditEntry, Case, CaseStatus, Decision, Objection, Report


def case_list_queue(*, kind: str = "", status: str = "") -> QuerySet[Case]:
    """Queue items: open cases and objections first by default, each with its number of reports."""
    qs = Case.objects.select_related("author").annotate(
        report_count=Count("reports", distinct=True),
        has_objection=Exists(Objection.objects.filter(decision__case=OuterRef("pk"))),
    )
    if status in CaseStatus.values:
        qs = qs.filter(status=status)
    else:
        qs = qs.filter(status__in=(CaseStatus.OPEN, CaseStatus.OBJECTION))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-updated_at", "-id")


def case_get(*, pk: int) -> Case | None:
    return Case.objects.select_related("author").filter(pk=pk).first()


def case_reports(case: Case) -> list[Report]:
    return list(case.reports.select_related("reporter").order_by("created_at", "id"))


def case_decisions(case: Case) -> list[Decision]:
    return list(Decision.objects.filter(case=case).select_related("moderator", "objection").order_by("created_at"))


def decision_get(*, pk: int) -> Decision | None:
    return Decision.objects.select_related("case", "case__author", "moderator").filter(pk=pk).first()


def decision_final_of(case_id: int) -> Decision | None:
    return Decision.objects.filter(case_id=case_id, is_final=True).first()


def decision_objection(decision: Decision) -> Objection | None:
    return Objection.objects.filter(decision=decision).first()


def report_list_of(user: Any) -> QuerySet[Report]:
    """A reporter's own reports, with the outcome of their case."""
    return Report.objects.filter(reporter=user).select_related("case").prefetch_related("case__decisions").order_by(
        "-created_at", "-id")


def audit_list() -> QuerySet[AuditEntry]:
    return AuditEntry.objects.select_related("actor").order_by("-created_at", "-id")
