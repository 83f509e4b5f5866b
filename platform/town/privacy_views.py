"""A resident's own data (the account area) and the town's data-protection paperwork (the back office).

Thin views: the work is in town.privacy_services, the reads in town.privacy_selectors.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.access import role_required
from core.branding import current_town_name
from core.ratelimit import hit, too_many_requests
from core.storage import private_storage
from core.tenancy import connection
from town.privacy_forms import AccountDeleteForm
from town.privacy_selectors import (
    data_export_downloadable,
    data_exports_of,
    processing_activities,
    retention_register,
)
from town.privacy_services import ExportAlreadyPending, account_erase, data_export_request
from town.selectors import town_profile_get

# Wrong passwords on the deletion page, per account and hour: someone at an open laptop can't try many.
DELETE_ATTEMPTS_PER_HOUR = 5


@role_required("authenticated")
@require_http_methods(["GET", "POST"])
def my_data(request: HttpRequest) -> HttpResponse:
    """'Meine Daten': ask for a copy of everything about oneself, see how it is going, download it."""
    if request.method == "POST":
        try:
            data_export_request(user=request.user)
        except ExportAlreadyPending:
            messages.info(request, _("Your data is still being prepared. We will send you an e-mail when it is ready."))
        else:
            messages.success(request, _("We are preparing your data. We will send you an e-mail when it is ready."))
        return redirect("town:my-data")
    return render(request, "town/people/my_data.html", {
        "exports": data_exports_of(request.user),
        "now": timezone.now(),
        "days": settings.DATA_EXPORT_DAYS,
    })


@role_required("authenticated")
@require_GET
def my_data_download(request: HttpRequest, pk: int) -> FileResponse:
    """The archive, for its owner in this town only and until it expires; 404 for everyone else."""
    export = data_export_downloadable(user=request.user, pk=pk)
    if export is None:
        raise Http404
    storage = private_storage()
    if not storage.exists(export.file_name):
        raise Http404
    day = timezone.localdate(export.finished_at or export.created_at)
    response = FileResponse(storage.open(export.file_name, "rb"), as_attachment=True,
                            filename=f"{connection.schema_name}-meine-daten-{day:%Y-%m-%d}.zip",
                            content_type="application/zip")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@role_required("authenticated")
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    """Delete one's own account: password and a tick first; then every module erases, all or nothing."""
    user = request.user
    form = AccountDeleteForm(request.POST or None, user=user)
    status = 200
    if request.method == "POST":
        if not hit("account.delete", str(user.pk), limit=DELETE_ATTEMPTS_PER_HOUR):
            return too_many_requests(request)
        if form.is_valid():
            try:
                account_erase(user=user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                logout(request)
                messages.success(request, _("Your account and your data have been deleted. Goodbye!"))
                return redirect("home")
        status = 400
    return render(request, "town/people/account_delete.html", {
        "form": form,
        "register": retention_register(),
    }, status=status)


def retention(request: HttpRequest) -> HttpResponse:
    """The retention register, public: what the town keeps after an account is deleted, why, how long."""
    return render(request, "town/privacy/retention.html", {"register": retention_register()})


# --- the back office: the town's paperwork ------------------------------------------


def _paperwork(request: HttpRequest, template: str) -> HttpResponse:
    activities = processing_activities()
    # Every kind of data once, in the order the activities name them.
    categories = list(dict.fromkeys(str(category) for activity in activities
                                    for category in activity.provider.categories))
    return render(request, template, {
        "activities": activities,
        "categories": categories,
        "register": retention_register(),
        "profile": town_profile_get(),
        "town_name": current_town_name(),
        "today": timezone.localdate(),
    })


@role_required("town_admin")
def privacy_documents(request: HttpRequest) -> HttpResponse:
    return _paperwork(request, "town/privacy/documents.html")


@role_required("town_admin")
def privacy_record(request: HttpRequest) -> HttpResponse:
    if request.GET.get("format") == "pdf":
        return _record_pdf()
    return _paperwork(request, "town/privacy/record.html")


def _record_pdf() -> HttpResponse:
    """The record of processing activities as a PDF (core.printing), with what the HTML page shows."""
    from pathlib import Path

    from django.utils.formats import date_format

    from core.printing import pdf_response, render_pdf

    profile = town_profile_get()
    missing = _("to be completed")
    not_stated = _("not stated")
    contact = ", ".join(part for part in (profile.contact_name, profile.contact_email) if part) or missing
    sections = []
    for number, activity in enumerate(processing_activities(), start=1):
        provider = activity.provider
        rows = [
            [_("Purpose"), str(provider.purpose or not_stated)],
            [_("People concerned"), _("Registered residents and other users of the town's website")],
            [_("Kinds of data"), "; ".join(str(category) for category in provider.categories) or not_stated],
            [_("Legal basis"), str(provider.legal_basis or not_stated)],
            [_("Recipients"), _("The town's staff with the matching role; the platform operator as processor; "
                                "no transfer to countries outside the EU")],
            [_("Deletion"), str(provider.retention or not_stated)],
        ]
        if activity.kept:
            rows.append([_("Kept after an account is deleted"),
                         "; ".join(f"{kept.what} ({kept.period})" for kept in activity.kept)])
        sections.append({"heading": f"{number}. {activity.name}", "rows": rows})
    town = current_town_name()
    data = {
        "town": town, "colour": profile.primary_colour,
        "document_title": str(_("Record of processing activities")),
        "title": _("Record of processing activities (Art. 30 GDPR)"),
        "footer": _("Record of processing activities"),
        "head": [
            [_("Controller"), town],
            [_("Contact person"), contact],
            [_("Data protection officer"), missing],
            [_("Processor"), _("The operator of the Dorfkern platform (data processing agreement under Art. 28 "
                               "GDPR)")],
            [_("As of"), date_format(timezone.localdate(), "DATE_FORMAT")],
        ],
        "sections": sections,
    }
    pdf = render_pdf(Path(__file__).resolve().parent / "print" / "privacy_record.typ", data)
    return pdf_response(pdf, "verarbeitungsverzeichnis.pdf")


@role_required("town_admin")
def privacy_dpa(request: HttpRequest) -> HttpResponse:
    return _paperwork(request, "town/privacy/dpa.html")


@role_required("town_admin")
def privacy_tom(request: HttpRequest) -> HttpResponse:
    return _paperwork(request, "town/privacy/tom.html")
