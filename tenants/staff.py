"""Platform staff on the public site: the list of towns and signups, and the few actions staff take.

Staff are the is_staff users of the public schema. They see only public-schema
rows (towns, domains, module switches, signups), never a town's own data, and
StaffRequireMFAMiddleware keeps them out until they have set up TOTP.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_tenants.utils import get_public_schema_name

from core.audit import AuditFilterForm, AuditTarget, audit_csv_response, audit_entries, audit_page_context, audit_record
from core.models import PlatformAuditEntry
from core.tenancy import connection
from tenants.models import Municipality
from tenants.selectors import signup_get, signup_list_for_staff, town_list_for_staff
from tenants.services import town_set_active, town_signup_retry


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous → login; signed in without is_staff → 403; only ever on the public site."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if connection.schema_name != get_public_schema_name():
            raise Http404
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff or not request.user.is_active:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@require_GET
@staff_required
def staff_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "tenants/staff/index.html",
        {"towns": town_list_for_staff(), "signups": signup_list_for_staff()},
    )


@require_POST
@staff_required
def staff_town_active(request: HttpRequest, town_id: int) -> HttpResponse:
    town = Municipality.objects.exclude(schema_name=get_public_schema_name()).filter(pk=town_id).first()
    if town is None:
        raise Http404
    active = request.POST.get("active") == "1"
    with transaction.atomic():
        before = town.is_active
        town = town_set_active(tenant=town, active=active)
        audit_record(request.user, "town.activate" if active else "town.deactivate",
                     AuditTarget("tenants.municipality", str(town.pk), town.name),
                     before={"is_active": before}, after={"is_active": town.is_active}, request=request)
    if active:
        messages.success(request, _("%(name)s is active again.") % {"name": town.name})
    else:
        messages.success(request, _("%(name)s is deactivated; its pages answer “not found”.") % {"name": town.name})
    return redirect("tenants:staff")


@require_POST
@staff_required
def staff_signup_retry(request: HttpRequest, signup_id: uuid.UUID) -> HttpResponse:
    signup = signup_get(signup_id)
    if signup is None:
        raise Http404
    try:
        with transaction.atomic():
            town_signup_retry(signup=signup)
            audit_record(request.user, "signup.retry", AuditTarget("tenants.townsignup", str(signup.pk), signup.name),
                         request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Setting up %(name)s was queued again.") % {"name": signup.name})
    return redirect("tenants:staff")


def _audit_filtered(request: HttpRequest) -> tuple[AuditFilterForm, Any]:
    form = AuditFilterForm(request.GET or None, model=PlatformAuditEntry)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return form, audit_entries(PlatformAuditEntry, filters)


@require_GET
@staff_required
def staff_audit_log(request: HttpRequest) -> HttpResponse:
    """What staff did on the public site; read only, like the towns' own logs."""
    form, entries = _audit_filtered(request)
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "tenants/staff/audit_log.html", audit_page_context(request, form, entries), status=status)


@require_GET
@staff_required
def staff_audit_log_csv(request: HttpRequest) -> HttpResponse:
    form, entries = _audit_filtered(request)
    if form.is_bound and not form.is_valid():
        return render(request, "tenants/staff/audit_log.html", audit_page_context(request, form, entries), status=400)
    return audit_csv_response(entries, "plattform-protokoll")
