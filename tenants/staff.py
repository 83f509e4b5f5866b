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

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_tenants.utils import get_public_schema_name

from core.audit import AuditFilterForm, AuditTarget, audit_csv_response, audit_entries, audit_page_context, audit_record
from core.models import PlatformAuditEntry
from core.outbox import outbox_enqueue
from core.tenancy import connection
from tenants.lifecycle import export_archive_path, town_leave, town_leave_cancel
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
        {"towns": town_list_for_staff(), "signups": signup_list_for_staff(),
         "leave_grace_days": settings.TOWN_LEAVE_GRACE_DAYS},
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


def _town_or_404(town_id: int) -> Municipality:
    town = Municipality.objects.exclude(schema_name=get_public_schema_name()).filter(pk=town_id).first()
    if town is None:
        raise Http404
    return town


def _export_queue(town: Municipality) -> None:
    """Have the worker write the town's archive (through the outbox: survives a broker outage)."""
    Municipality.objects.filter(pk=town.pk).update(export_requested_at=timezone.now())
    outbox_enqueue("tenants.town_export", args=[town.pk], schema_name=get_public_schema_name())


@require_POST
@staff_required
def staff_town_export(request: HttpRequest, town_id: int) -> HttpResponse:
    """Queue an export of the whole town; the archive appears on the staff page for download."""
    town = _town_or_404(town_id)
    with transaction.atomic():
        _export_queue(town)
        audit_record(request.user, "town.export", AuditTarget("tenants.municipality", str(town.pk), town.name),
                     request=request)
    messages.success(request, _("The export of %(name)s is being prepared. Reload this page in a minute to "
                                "download it.") % {"name": town.name})
    return redirect("tenants:staff")


@require_GET
@staff_required
def staff_town_export_download(request: HttpRequest, town_id: int) -> HttpResponse:
    """The town's newest archive, for platform staff only (it holds every resident's data)."""
    town = _town_or_404(town_id)
    path = export_archive_path(town)
    if path is None:
        raise Http404
    audit_record(request.user, "town.export_download", AuditTarget("tenants.municipality", str(town.pk), town.name),
                 after={"archive": path.name}, request=request)
    response: HttpResponse = FileResponse(path.open("rb"), as_attachment=True, filename=path.name,  # type: ignore[assignment]
                                          content_type="application/gzip")
    return response


@require_POST
@staff_required
def staff_town_leave(request: HttpRequest, town_id: int) -> HttpResponse:
    """The town leaves: deactivated now, its export prepared for hand-over, deleted after the grace period."""
    town = _town_or_404(town_id)
    if request.POST.get("confirm") != town.slug:
        messages.error(request, _("To let %(name)s leave, type its subdomain “%(slug)s” into the field.")
                       % {"name": town.name, "slug": town.slug})
        return redirect("tenants:staff")
    with transaction.atomic():
        before = town.is_active
        town = town_leave(tenant=town)
        _export_queue(town)
        audit_record(request.user, "town.leave", AuditTarget("tenants.municipality", str(town.pk), town.name),
                     before={"is_active": before}, after={"is_active": False, "delete_after": town.delete_after},
                     request=request)
    messages.success(request, _("%(name)s is deactivated and will be deleted for good on %(date)s. Its export is "
                                "being prepared for hand-over.")
                     % {"name": town.name,
                        "date": date_format(town.delete_after or timezone.now(), "SHORT_DATE_FORMAT")})
    return redirect("tenants:staff")


@require_POST
@staff_required
def staff_town_leave_cancel(request: HttpRequest, town_id: int) -> HttpResponse:
    town = _town_or_404(town_id)
    if town.delete_after is None:
        raise Http404
    with transaction.atomic():
        before = town.delete_after
        town = town_leave_cancel(tenant=town)
        audit_record(request.user, "town.leave_cancel", AuditTarget("tenants.municipality", str(town.pk), town.name),
                     before={"delete_after": before}, after={"is_active": True}, request=request)
    messages.success(request, _("%(name)s stays and is active again.") % {"name": town.name})
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
