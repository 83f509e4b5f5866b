"""Pages of the Mängelmelder: the public list and map, reporting, a report's page, the back office."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.access import role_required
from core.forms import apply_service_errors
from core.maps import MapPoint, map_context, tiles_enabled
from core.ratelimit import client_ip, hit, ip_limited
from modules.moderation.facade import moderation_enabled, report_url
from modules.reports import selectors, services
from modules.reports.conf import reports_settings
from modules.reports.forms import (
    ApiKeyForm,
    CategoryForm,
    ForwardAnswerForm,
    NoteForm,
    QueueFilterForm,
    ReportForm,
    StatusForm,
)
from modules.reports.models import ApiKey, Category, Department, Report, Status

MAP_COLOUR = "#b91c1c"
PAGE_SIZE = 50


def _points(reports: list[Report]) -> list[MapPoint]:
    return [MapPoint(lat=r.latitude, lon=r.longitude, title=f"{r.category.name} ({r.get_status_display()})",
                     url=r.get_absolute_url(), text=r.address, category=str(r.get_status_display()))
            for r in reports if r.latitude is not None and r.longitude is not None]


@require_safe
def report_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    categories = selectors.category_list()
    category = next((c for c in categories if c.slug == request.GET.get("category")), None)
    reports = selectors.report_list_public(status=status, category=category, limit=PAGE_SIZE)
    return render(request, "reports/report_list.html", {
        "reports": reports, "categories": categories, "category": category, "status": status,
        "statuses": Status.choices,
        "map": map_context("reports-map", [(_("Reported problems"), MAP_COLOUR, _points(reports))],
                           label=_("Map of the reported problems")),
    })


def _may_report(request: HttpRequest) -> bool:
    return bool(request.user.is_authenticated or reports_settings()["allow_anonymous"])


@require_http_methods(["GET", "HEAD", "POST"])
@ip_limited("reports.report", limit=20, period=3600)
def report_create(request: HttpRequest) -> HttpResponse:
    if not _may_report(request):
        return redirect_to_login(request.get_full_path())
    signed_in = request.user.is_authenticated
    form = ReportForm(request.POST or None, request.FILES or None, signed_in=signed_in)
    duplicates: list[selectors.Nearby] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lat, lon = data.get("latitude"), data.get("longitude")
        if lat is not None and lon is not None and not request.POST.get("confirm_new"):
            duplicates = selectors.duplicates_near(category=data["category"], lat=lat, lon=lon)
        if not duplicates:
            match = data.get("address")
            try:
                report = services.report_create(
                    category=data["category"], description=data["description"], latitude=lat, longitude=lon,
                    address=str(match) if match else "",
                    ortsgemeinde=data.get("ortsgemeinde") or (match.ortsgemeinde if match else None),
                    photos=data.get("photos") or [], contact_name=data["contact_name"],
                    contact_email=data["contact_email"], contact_phone=data["contact_phone"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                if not report.confirmed:
                    return render(request, "reports/report_sent.html", {"report": report})
                messages.success(request, _("Thank you! Your report %(reference)s is sent.")
                                 % {"reference": report.reference})
                return redirect(report.get_absolute_url())
    return render(request, "reports/report_form.html", {
        "form": form, "duplicates": duplicates, "signed_in": signed_in, "centre": selectors.town_centre(),
        # The pin map uses the platform's tile proxy; without tiles the typed address is the way.
        "tiles": reverse("map") + "kacheln/{z}/{x}/{y}.png" if tiles_enabled() else "",
    }, status=400 if request.method == "POST" and not duplicates else 200)


NEARBY_ANONYMOUS_LIMIT = 120  # lookups per IP and hour: a pin moved many times, not a scraper


@require_safe
def report_nearby(request: HttpRequest) -> JsonResponse:
    """The live duplicate check of the reporting form: open reports of the category near the pin, as JSON.

    Progressive enhancement: the form still checks on Send without JavaScript. Visitors without an
    account are counted per IP address.
    """
    if not _may_report(request):
        return JsonResponse({"error": _("Please sign in to report a problem.")}, status=403)
    if not request.user.is_authenticated and not hit("reports.nearby", client_ip(request),
                                                     limit=NEARBY_ANONYMOUS_LIMIT, period=3600):
        return JsonResponse({"error": _("Too many attempts")}, status=429,
                            headers={"Retry-After": "3600"})
    category_id, lat_raw, lon_raw = (request.GET.get(name, "") for name in ("category", "lat", "lon"))
    category = Category.objects.filter(pk=int(category_id)).first() if category_id.isdigit() else None
    try:
        lat, lon = float(lat_raw), float(lon_raw)
    except ValueError:
        lat = lon = float("nan")
    if category is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):  # NaN fails both comparisons
        return JsonResponse({"error": _("Please choose what the problem is and put the pin on the map.")},
                            status=400)
    found = selectors.duplicates_near(category=category, lat=lat, lon=lon)
    signed_in = request.user.is_authenticated
    return JsonResponse({"distance_m": category.duplicate_distance_m, "reports": [{
        "reference": near.report.reference,
        "title": f"{near.report.category.name} – {near.report.reference}",
        "description": near.report.description[:200],
        "distance": ngettext("%(metres)s metre away", "%(metres)s metres away", near.distance_m)
        % {"metres": near.distance_m},
        "status": str(near.report.get_status_display()),
        "url": near.report.get_absolute_url(),
        "follow_url": reverse("reports:report-follow", kwargs={"pk": near.report.pk}) if signed_in else "",
    } for near in found]})


@require_safe
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_public(pk=pk, user=request.user)
    if report is None:
        raise Http404
    points = _points([report])
    return render(request, "reports/report_detail.html", {
        "report": report, "follows": selectors.user_follows(report, request.user),
        "is_reporter": request.user.is_authenticated and report.reporter_id == request.user.pk,
        "may_reopen": services.reopen_possible(report), "is_staff": services.user_is_staff(request.user),
        "flag_url": report_url(kind="reports.report", object_id=report.pk) if moderation_enabled() else "",
        "map": map_context("report-map", [(_("Reported problems"), MAP_COLOUR, points)],
                           label=_("Where the problem is")),
    })


@require_POST
def report_follow(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_public(pk=pk, user=request.user)
    if report is None:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(report.get_absolute_url())
    # The button says what it wants; an empty POST (a stray request) changes nothing.
    if request.POST.get("stop"):
        services.report_unfollow(report=report, acting_user=request.user)
        messages.success(request, _("You no longer follow this report."))
    elif request.POST.get("follow"):
        services.report_follow(report=report, acting_user=request.user)
        messages.success(request, _("Thank you for your support! We will tell you when something changes."))
    else:
        return HttpResponse(status=400)
    return redirect(report.get_absolute_url())


@require_POST
def report_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_public(pk=pk, user=request.user)
    if report is None:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(report.get_absolute_url())
    try:
        services.report_reopen(report=report, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The report is open again."))
    return redirect(report.get_absolute_url())


@require_http_methods(["GET", "HEAD", "POST"])
def report_confirm(request: HttpRequest, token: str) -> HttpResponse:
    # A foreign, forged or expired link is simply not found (it names no report of this town).
    if services.report_from_confirm_token(token) is None:
        raise Http404
    # The link only shows a button: mail scanners that open links must not confirm for the person.
    if request.method == "POST":
        try:
            report = services.report_confirm(token=token)
        except ValidationError as error:
            return render(request, "reports/report_confirm.html", {"error": " ".join(error.messages)}, status=400)
        messages.success(request, _("Thank you! Your report %(reference)s is confirmed.")
                         % {"reference": report.reference})
        if report.approved:
            return redirect(report.get_absolute_url())
        return redirect("reports:report-list")
    return render(request, "reports/report_confirm.html", {})


@require_http_methods(["GET", "HEAD", "POST"])
def forward_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The outside body's page: no account, only the signed link from the e-mail."""
    try:
        report = services.forward_report_from_token(token)
    except ValidationError:
        raise Http404 from None
    form = ForwardAnswerForm(request.POST or None)
    if not report.is_open:
        return render(request, "reports/forward_answer.html", {
            "report": report, "error": _("This report is closed already. Thank you for your answer.")},
            status=400 if request.method == "POST" else 200)
    if request.method == "POST" and form.is_valid():
        try:
            services.forward_answer(token=token, **form.cleaned_data)
        except ValidationError as error:
            return render(request, "reports/forward_answer.html", {"report": report, "error": " ".join(
                error.messages)}, status=400)
        return render(request, "reports/forward_answer.html", {"report": report, "done": True})
    return render(request, "reports/forward_answer.html", {"report": report, "form": form},
                  status=400 if request.method == "POST" else 200)


# --- back office ------------------------------------------------------------------------------------


@role_required("moderator")
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":  # bulk status change or assignment
        ids = [int(pk) for pk in request.POST.getlist("report") if pk.isdigit()]
        form = StatusForm(request.POST)
        if not ids:
            messages.error(request, _("Please tick at least one report."))
        elif request.POST.get("action") == "assign":
            user_id = request.POST.get("assigned_to", "")
            assignee = get_user_model().objects.filter(pk=user_id).first() if user_id.isdigit() else None
            chosen = list(Report.objects.filter(pk__in=ids))
            try:
                count = services.reports_bulk_assign(reports=chosen, assignee=assignee, acting_user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("%(count)d reports changed.") % {"count": count})
        elif form.is_valid():
            chosen = list(Report.objects.select_related("category").filter(pk__in=ids))
            try:
                count = services.reports_bulk_status(reports=chosen, acting_user=request.user, **form.cleaned_data)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("%(count)d reports changed.") % {"count": count})
        else:
            messages.error(request, _("Please choose a status."))
        return redirect(request.get_full_path())
    filters = QueueFilterForm(request.GET)
    filters.is_valid()
    data = filters.cleaned_data
    category = data.get("category")
    reports = selectors.queue(department=data.get("department") or "", status=data.get("status") or "",
                              category_id=category.pk if category else None,
                              assigned_to_id=request.user.pk if data.get("assigned") == "me" else None,
                              unassigned=data.get("assigned") == "nobody",
                              overdue=bool(data.get("overdue")), held=bool(data.get("held")), limit=PAGE_SIZE)
    return render(request, "reports/manage/queue.html", {
        "reports": reports, "filters": filters, "counts": selectors.queue_counts(),
        "departments": Department.choices, "status_form": StatusForm(), "staff": _staff(),
    })


def _staff() -> QuerySet[Any]:
    return get_user_model().objects.filter(is_active=True, role__in=("moderator", "admin")).order_by("name")


@role_required("moderator")
@require_http_methods(["GET", "HEAD", "POST"])
def manage_report(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_staff(pk=pk)
    if report is None:
        raise Http404
    status_form = StatusForm(initial={"status": report.status})
    note_form = NoteForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "status":
                status_form = StatusForm(request.POST)
                if status_form.is_valid():
                    services.report_status_set(report=report, acting_user=request.user, **status_form.cleaned_data)
                    messages.success(request, _("The status is saved; the reporter and followers are told."))
                    return redirect("reports:manage-report", pk=pk)
            elif action == "note":
                note_form = NoteForm(request.POST)
                if note_form.is_valid():
                    services.report_note_add(report=report, text=note_form.cleaned_data["text"],
                                             acting_user=request.user)
                    return redirect("reports:manage-report", pk=pk)
            elif action == "assign":
                user_id = request.POST.get("assigned_to", "")
                assignee = get_user_model().objects.filter(pk=user_id).first() if user_id.isdigit() else None
                services.report_assign(report=report, assignee=assignee, acting_user=request.user)
                return redirect("reports:manage-report", pk=pk)
            elif action == "release":
                services.report_release(report=report, acting_user=request.user)
                return redirect("reports:manage-report", pk=pk)
            elif action == "merge":
                target = request.POST.get("into", "").strip().upper().removeprefix("M-")
                into = Report.objects.filter(pk=int(target)).first() if target.isdigit() else None
                if into is None:
                    raise ValidationError(_("Please enter the number of the other report, e.g. M-000042."))
                services.report_merge(report=report, into=into, acting_user=request.user)
                messages.success(request, _("Merged into %(reference)s.") % {"reference": into.reference})
                return redirect("reports:manage-report", pk=into.pk)
            elif action == "fix_photo" and request.FILES.get("photo"):
                services.report_fix_photo_add(report=report, photo=request.FILES["photo"], acting_user=request.user)
                return redirect("reports:manage-report", pk=pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    staff = _staff()
    return render(request, "reports/manage/report.html", {
        "report": report, "status_form": status_form, "note_form": note_form, "staff": staff,
        "nearby": (selectors.duplicates_near(category=report.category, lat=report.latitude, lon=report.longitude,
                                             exclude_pk=report.pk)
                   if report.latitude is not None and report.longitude is not None else []),
    }, status=400 if request.method == "POST" else 200)


@role_required("town_admin")
@require_http_methods(["GET", "HEAD", "POST"])
def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    category = get_object_or_404(Category, pk=pk)
    form = CategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The category is saved."))
        return redirect("reports:category-manage")
    return render(request, "reports/manage/category.html", {"category": category, "form": form},
                  status=400 if request.method == "POST" else 200)


@role_required("town_admin")
@require_http_methods(["GET", "HEAD", "POST"])
def apikey_list(request: HttpRequest) -> HttpResponse:
    form = ApiKeyForm(request.POST or None)
    raw = ""
    if request.method == "POST" and form.is_valid():
        _key, raw = services.api_key_issue(name=form.cleaned_data["name"], acting_user=request.user)
        form = ApiKeyForm()
    return render(request, "reports/manage/apikeys.html", {
        "keys": ApiKey.objects.all(), "form": form, "raw": raw,
        "categories": Category.objects.order_by("position", "name"),
    })


@role_required("town_admin")
@require_POST
def apikey_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    key = get_object_or_404(ApiKey, pk=pk)
    services.api_key_revoke(key=key, acting_user=request.user)
    messages.success(request, _("The key is revoked; apps using it can no longer send reports."))
    return redirect("reports:apikeys")
