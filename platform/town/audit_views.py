"""The town's audit log in the back office: read, filter, download. Nothing here writes or deletes."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.access import role_required
from core.audit import AuditFilterForm, audit_csv_response, audit_entries, audit_page_context, town_audit_model


def _filtered(request: HttpRequest) -> tuple[AuditFilterForm, Any]:
    model = town_audit_model()
    form = AuditFilterForm(request.GET or None, model=model)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return form, audit_entries(model, filters)


@role_required("town_admin")
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    form, entries = _filtered(request)
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "town/backoffice/audit_log.html", audit_page_context(request, form, entries), status=status)


@role_required("town_admin")
@require_GET
def audit_log_csv(request: HttpRequest) -> HttpResponse:
    form, entries = _filtered(request)
    if form.is_bound and not form.is_valid():
        return render(request, "town/backoffice/audit_log.html", audit_page_context(request, form, entries),
                      status=400)
    return audit_csv_response(entries, "protokoll")
