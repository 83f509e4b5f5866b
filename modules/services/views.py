"""Pages of Rathaus & Bürgerservice: services A–Z, offices, the Fundbüro, and the town hall's back office."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import role_required
from core.forms import apply_service_errors
from core.maps import MapPoint, map_context
from core.paging import page_of
from modules.services import selectors, services
from modules.services.apps import OFFICE_COLOUR
from modules.services.forms import (
    ClaimForm,
    FoundItemForm,
    FoundSearchForm,
    OfficeContactForm,
    OfficeDayForm,
    OfficeForm,
    OfficeHourForm,
    ServiceEditForm,
    ServiceFormUpload,
    ServiceSearchForm,
)
from modules.services.models import FoundItem, Office, Service
from town.models import OfficeHour, Weekday

FOUND_PAGE_SIZE = 24


def _office_or_404(slug: str) -> Office:
    office = selectors.office_get(slug)
    if office is None:
        raise Http404
    return office


def _office_card(office: Office) -> dict[str, Any]:
    return {"office": office, "state": selectors.office_open_state(office)}


def _office_map(offices: list[Office]) -> dict[str, Any] | None:
    points = [MapPoint(lat=float(o.latitude), lon=float(o.longitude), title=o.name,
                                 url=o.get_absolute_url(), text=o.address)
              for o in offices if o.latitude is not None and o.longitude is not None]
    return map_context("services-map", [(_("Town hall"), OFFICE_COLOUR, points)], label=_("Map of the offices"))


# --- public pages -------------------------------------------------------------------------


@require_GET
def service_list(request: HttpRequest) -> HttpResponse:
    """Leistungen A–Z, filtered by Lebenslage or search, and the offices with "open now" (five queries)."""
    form = ServiceSearchForm(request.GET)
    form.is_valid()  # an unknown filter is ignored; the valid ones still apply
    data = form.cleaned_data
    search, chosen = data.get("q") or "", data.get("lebenslage") or ""
    situations = selectors.life_situation_list()
    situation = next((s for s in situations if s.slug == chosen), None)
    found = list(selectors.service_list_visible(life_situation=situation.slug if situation else None,
                                                search=search or None))
    offices = selectors.office_list()
    return render(request, "services/service_list.html", {
        "form": form, "search": search, "situations": situations, "situation": situation,
        "letters": selectors.services_by_letter(found), "count": len(found),
        "offices": [_office_card(office) for office in offices],
    })


@require_GET
def service_detail(request: HttpRequest, slug: str) -> HttpResponse:
    service = selectors.service_get_visible(slug)
    if service is None:
        raise Http404
    office = service.office
    return render(request, "services/service_detail.html", {
        "service": service,
        "forms": list(service.forms.all()),
        "office_card": _office_card(office) if office is not None else None,
        "booking_url": service.booking_url or (office.booking_url if office is not None else ""),
    })


@require_GET
def office_detail(request: HttpRequest, office: str) -> HttpResponse:
    found = _office_or_404(office)
    today = selectors.today_local()
    week = [(Weekday(day).label, items) for day, items in selectors.office_week(found)]
    return render(request, "services/office_detail.html", {
        **_office_card(found),
        "week": week, "today_label": Weekday(today.weekday()).label,
        "days": selectors.office_upcoming_days(found),
        "contacts": list(found.contacts.all()),
        "services": list(found.services.filter(is_published=True).order_by("title")),
        "map": _office_map([found]),
    })


@require_GET
def found_list(request: HttpRequest) -> HttpResponse:
    form = FoundSearchForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    items = selectors.found_item_list_visible(search=data.get("q") or None, category=data.get("category") or None)
    page = page_of(items, FOUND_PAGE_SIZE, request.GET.get("page"))  # "next page" needs no COUNT
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "services/found_list.html", {
        "form": form, "page": page, "items": page.object_list, "query": query.urlencode(),
        "searched": bool(data.get("q") or data.get("category")),
    })


@require_http_methods(["GET", "POST"])
def found_detail(request: HttpRequest, item: int) -> HttpResponse:
    """A found item; signed-in residents send the office a claim from here."""
    found = selectors.found_item_get_visible(item)
    if found is None:
        raise Http404
    form = ClaimForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if form.is_valid():
            try:
                services.found_item_claim(item=found, sender=request.user, message=form.cleaned_data["message"])
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Your message is on its way to the Fundbüro. "
                                            "The office will answer you by e-mail."))
                return redirect(found.get_absolute_url())
    return render(request, "services/found_detail.html", {"item": found, "form": form},
                  status=400 if form.errors else 200)


# --- back office -------------------------------------------------------------------------------


@role_required("town_admin")
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    return render(request, "services/manage/index.html", {
        "services": list(selectors.service_list_manage()),
        "offices": list(Office.objects.all()),
    })


def _service_or_404(slug: str) -> Service:
    service = selectors.service_get(slug)
    if service is None:
        raise Http404
    return service


@role_required("town_admin")
@require_http_methods(["GET", "POST"])
def service_create(request: HttpRequest) -> HttpResponse:
    form = ServiceEditForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            service = services.service_create(acting_user=request.user, data=form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The service is saved."))
            return redirect("services:service-edit", slug=service.slug)
    return render(request, "services/manage/service_form.html", {"form": form, "service": None},
                  status=400 if form.errors else 200)


@role_required("town_admin")
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, slug: str) -> HttpResponse:
    service = _service_or_404(slug)
    form = ServiceEditForm(request.POST if request.method == "POST" else None, instance=service)
    if request.method == "POST" and form.is_valid():
        service.refresh_from_db()  # is_valid() copied the raw values onto the instance
        try:
            services.service_update(service=service, acting_user=request.user, data=form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The service is saved."))
            return redirect("services:service-edit", slug=service.slug)
    return _service_edit_page(request, service, form=form, upload=ServiceFormUpload())


def _service_edit_page(request: HttpRequest, service: Service, *, form: Any, upload: Any) -> HttpResponse:
    return render(request, "services/manage/service_form.html", {
        "form": form, "service": service, "upload": upload, "pdfs": list(service.forms.all()),
    }, status=400 if form.errors or upload.errors else 200)


@role_required("town_admin")
@require_POST
def service_delete(request: HttpRequest, slug: str) -> HttpResponse:
    services.service_delete(service=_service_or_404(slug), acting_user=request.user)
    messages.success(request, _("The service is deleted."))
    return redirect("services:manage")


@role_required("town_admin")
@require_POST
def service_form_add(request: HttpRequest, slug: str) -> HttpResponse:
    service = _service_or_404(slug)
    upload = ServiceFormUpload(request.POST, request.FILES)
    if upload.is_valid():
        try:
            services.service_form_add(service=service, acting_user=request.user, title=upload.cleaned_data["title"],
                                      upload=upload.cleaned_data["file"])
        except ValidationError as error:
            apply_service_errors(upload, error)
        else:
            messages.success(request, _("The form is uploaded."))
            return redirect("services:service-edit", slug=service.slug)
    return _service_edit_page(request, service, form=ServiceEditForm(instance=service), upload=upload)


@role_required("town_admin")
@require_POST
def service_form_delete(request: HttpRequest, slug: str, form: int) -> HttpResponse:
    service = _service_or_404(slug)
    pdf = service.forms.filter(pk=form).first()
    if pdf is None:
        raise Http404
    services.service_form_delete(form=pdf, acting_user=request.user)
    messages.success(request, _("The form is deleted."))
    return redirect("services:service-edit", slug=service.slug)


@role_required("town_admin")
@require_http_methods(["GET", "POST"])
def office_create(request: HttpRequest) -> HttpResponse:
    form = OfficeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            office = services.office_create(acting_user=request.user, data=form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The office is saved. Now add its opening hours."))
            return redirect("services:office-edit", office=office.slug)
    return render(request, "services/manage/office_form.html", {"form": form, "office": None},
                  status=400 if form.errors else 200)


def _office_edit_page(request: HttpRequest, office: Office, **forms: Any) -> HttpResponse:
    context = {
        "office": office, "form": forms.get("form") or OfficeForm(instance=office),
        "hour_form": forms.get("hour_form") or OfficeHourForm(),
        "day_form": forms.get("day_form") or OfficeDayForm(),
        "contact_form": forms.get("contact_form") or OfficeContactForm(),
        "links": list(office.hour_links.all()), "days": list(office.days.all()),
        "contacts": list(office.contacts.all()), "unlinked": selectors.office_hours_unlinked(),
    }
    failed = any(f.errors for f in forms.values())
    return render(request, "services/manage/office_form.html", context, status=400 if failed else 200)


@role_required("town_admin")
@require_http_methods(["GET", "POST"])
def office_edit(request: HttpRequest, office: str) -> HttpResponse:
    found = _office_or_404(office)
    form = OfficeForm(request.POST if request.method == "POST" else None, instance=found)
    if request.method == "POST" and form.is_valid():
        found.refresh_from_db()
        try:
            services.office_update(office=found, acting_user=request.user, data=form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The office is saved."))
            return redirect("services:office-edit", office=found.slug)
    return _office_edit_page(request, found, form=form)


@role_required("town_admin")
@require_POST
def office_delete(request: HttpRequest, office: str) -> HttpResponse:
    services.office_delete(office=_office_or_404(office), acting_user=request.user)
    messages.success(request, _("The office is deleted."))
    return redirect("services:manage")


@role_required("town_admin")
@require_POST
def office_hour_add(request: HttpRequest, office: str) -> HttpResponse:
    found = _office_or_404(office)
    form = OfficeHourForm(request.POST)
    if form.is_valid():
        try:
            services.office_hour_add(office=found, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The opening time is added."))
            return redirect("services:office-edit", office=found.slug)
    return _office_edit_page(request, found, hour_form=form)


@role_required("town_admin")
@require_POST
def office_hour_adopt(request: HttpRequest, office: str) -> HttpResponse:
    found = _office_or_404(office)
    chosen = request.POST.get("hour") or ""
    hour = OfficeHour.objects.filter(pk=int(chosen)).first() if chosen.isdigit() else None
    if hour is None:
        raise Http404
    try:
        services.office_hour_adopt(office=found, acting_user=request.user, hour=hour)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The opening time now belongs to this office."))
    return redirect("services:office-edit", office=found.slug)


@role_required("town_admin")
@require_POST
def office_hour_delete(request: HttpRequest, office: str, hour: int) -> HttpResponse:
    found = _office_or_404(office)
    link = found.hour_links.select_related("hour").filter(pk=hour).first()
    if link is None:
        raise Http404
    services.office_hour_remove(link=link, acting_user=request.user)
    messages.success(request, _("The opening time is removed."))
    return redirect("services:office-edit", office=found.slug)


@role_required("town_admin")
@require_POST
def office_day_add(request: HttpRequest, office: str) -> HttpResponse:
    found = _office_or_404(office)
    form = OfficeDayForm(request.POST)
    if form.is_valid():
        try:
            services.office_day_add(office=found, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The day is added."))
            return redirect("services:office-edit", office=found.slug)
    return _office_edit_page(request, found, day_form=form)


@role_required("town_admin")
@require_POST
def office_day_delete(request: HttpRequest, office: str, day: int) -> HttpResponse:
    found = _office_or_404(office)
    row = found.days.filter(pk=day).first()
    if row is None:
        raise Http404
    services.office_day_delete(day=row, acting_user=request.user)
    messages.success(request, _("The day is removed."))
    return redirect("services:office-edit", office=found.slug)


@role_required("town_admin")
@require_POST
def office_contact_add(request: HttpRequest, office: str) -> HttpResponse:
    found = _office_or_404(office)
    form = OfficeContactForm(request.POST)
    if form.is_valid():
        try:
            services.office_contact_add(office=found, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The person is added."))
            return redirect("services:office-edit", office=found.slug)
    return _office_edit_page(request, found, contact_form=form)


@role_required("town_admin")
@require_POST
def office_contact_delete(request: HttpRequest, office: str, contact: int) -> HttpResponse:
    found = _office_or_404(office)
    row = found.contacts.filter(pk=contact).first()
    if row is None:
        raise Http404
    services.office_contact_delete(contact=row, acting_user=request.user)
    messages.success(request, _("The person is removed."))
    return redirect("services:office-edit", office=found.slug)


@role_required("town_admin")
@require_http_methods(["GET", "POST"])
def found_manage(request: HttpRequest) -> HttpResponse:
    form = FoundItemForm(request.POST if request.method == "POST" else None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.found_item_create(acting_user=request.user, data=data, photo=data.get("photo"),
                                       photo_alt=data.get("photo_alt") or "")
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The found item is listed."))
            return redirect("services:found-manage")
    page = Paginator(selectors.found_item_list_manage(), 50).get_page(request.GET.get("page"))
    return render(request, "services/manage/found_list.html", {
        "form": form, "page": page, "items": page.object_list, "days": services.retention_days(),
    }, status=400 if form.errors else 200)


def _found_or_404(item: int) -> FoundItem:
    found = selectors.found_item_get(item)
    if found is None:
        raise Http404
    return found


@role_required("town_admin")
@require_GET
def found_manage_detail(request: HttpRequest, item: int) -> HttpResponse:
    found = _found_or_404(item)
    return render(request, "services/manage/found_detail.html",
                  {"item": found, "claims": services.claims_of(found)})


@role_required("town_admin")
@require_POST
def found_return(request: HttpRequest, item: int) -> HttpResponse:
    services.found_item_return(item=_found_or_404(item), acting_user=request.user)
    messages.success(request, _("Marked as handed back; it is no longer listed."))
    return redirect("services:found-manage")


@role_required("town_admin")
@require_POST
def found_delete(request: HttpRequest, item: int) -> HttpResponse:
    services.found_item_delete(item=_found_or_404(item), acting_user=request.user)
    messages.success(request, _("The found item is deleted."))
    return redirect("services:found-manage")
