"""Pages of the Abfallkalender: residents' calendar and the town hall's back office (thin: services do the work)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.access import role_required
from core.branding import town_url
from core.calendar import ical_response
from modules.waste import selectors, services
from modules.waste.feeds import alarm_hour, area_feed
from modules.waste.forms import AreaForm, IcsImportForm, PickupMoveForm, ReminderForm, RuleForm
from modules.waste.models import Pickup, PickupArea, WasteType

HOME_WIDGET_SIZE = 4

def _errors(exc: ValidationError) -> list[str]:
    return [str(message) for message in exc.messages]


# --- residents -------------------------------------------------------------------------


def home_widget(request: HttpRequest) -> str:
    """The next collections in the resident's street on the start page (nothing until they chose one)."""
    home = selectors.home_get(request.user)
    if home is None:
        return ""
    pickups = selectors.pickups_next(area=home.area, limit=HOME_WIDGET_SIZE)
    return render_to_string("waste/widget.html", {"home": home, "pickups": pickups}, request=request)


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Pick the street once; signed-in residents who did go straight to their calendar."""
    chosen = request.GET.get("ort", "")
    if chosen:
        found = selectors.choice_resolve(chosen)
        if found is not None:
            # The choice travels in the URL (no cookie), so "save as my street" keeps the street.
            return redirect(found[0].get_absolute_url() + f"?ort={chosen}")
        messages.error(request, _("Please choose your street or Ortsgemeinde from the list."))
    home = selectors.home_get(request.user)
    if home is not None and not request.GET.get("aendern"):
        return redirect(home.area.get_absolute_url())
    return render(request, "waste/index.html", {"groups": selectors.place_choices(), "home": home})


def _month(request: HttpRequest) -> tuple[int, int]:
    today = selectors.today()
    value = request.GET.get("monat", "")
    try:
        year, month = (int(part) for part in value.split("-"))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return today.year, today.month


def _shift(year: int, month: int, by: int) -> str:
    index = year * 12 + month - 1 + by
    return f"{index // 12}-{index % 12 + 1:02d}"


@require_safe
def area_detail(request: HttpRequest, slug: str) -> HttpResponse:
    area = selectors.area_get(slug=slug)
    if area is None:
        raise Http404
    year, month = _month(request)
    home = selectors.home_get(request.user)
    feed_path = reverse("waste:feed", kwargs={"slug": area.slug})
    origin = town_url("/").rstrip("/")
    types = selectors.waste_type_list()
    chosen = request.GET.get("ort", "")
    if not chosen.startswith("s") or not chosen[1:].isdigit():
        chosen = f"a{area.pk}"
    context: dict[str, Any] = {
        "chosen": chosen,
        "area": area,
        "next": selectors.pickups_next(area=area, limit=10),
        "weeks": selectors.month_weeks(area=area, year=year, month=month),
        "month_label": date_format(datetime.date(year, month, 1), "F Y"),
        "previous_month": _shift(year, month, -1),
        "next_month": _shift(year, month, 1),
        "feed_url": origin + feed_path,
        "feed_url_alarm": origin + feed_path + "?erinnerung=18",
        "type_feeds": [(kind, origin + reverse("waste:feed-type", kwargs={"slug": area.slug, "waste_type": kind.slug}))
                       for kind in types],
        "home": home,
        "is_home": home is not None and home.area_id == area.pk,
        "reminder_form": ReminderForm(initial={"reminder_on": home.reminder_on, "reminder_time": home.reminder_time})
        if home is not None else None,
        "year": selectors.today().year,
        "next_year": selectors.today().year + 1,
    }
    return render(request, "waste/area.html", context)


@login_required
@require_POST
def home_save(request: HttpRequest) -> HttpResponse:
    found = selectors.choice_resolve(request.POST.get("ort", ""))
    if found is None or (request.POST.get("ort", "").startswith("a") and found[0].area_streets.exists()):
        messages.error(request, _("Please choose your street or Ortsgemeinde from the list."))
        return redirect("waste:index")
    area, street = found
    services.home_set(acting_user=request.user, area=area, street=street)
    messages.success(request, _("Saved. Your start page now shows the next collections."))
    return redirect(area.get_absolute_url())


@login_required
@require_POST
def reminder_save(request: HttpRequest) -> HttpResponse:
    form = ReminderForm(request.POST)
    home = selectors.home_get(request.user)
    target = home.area.get_absolute_url() if home is not None else reverse("waste:index")
    if not form.is_valid():
        messages.error(request, _("Please enter a time like 19:00."))
        return redirect(target)
    try:
        services.reminder_set(acting_user=request.user, on=form.cleaned_data["reminder_on"],
                              at=form.cleaned_data["reminder_time"])
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
        return redirect(target)
    if form.cleaned_data["reminder_on"]:
        messages.success(request, _("We will remind you the evening before at %(time)s.")
                         % {"time": form.cleaned_data["reminder_time"].strftime("%H:%M")})
    else:
        messages.success(request, _("The reminder is switched off."))
    return redirect(target)


@require_safe
def feed(request: HttpRequest, slug: str, waste_type: str | None = None) -> HttpResponse:
    """The area's calendar for calendar apps: public, no login, a stable address."""
    area = selectors.area_get(slug=slug)
    if area is None:
        raise Http404
    kind = None
    if waste_type is not None:
        kind = WasteType.objects.filter(slug=waste_type).first()
        if kind is None:
            raise Http404
    document = area_feed(area=area, waste_type=kind, hour=alarm_hour(request.GET.get("erinnerung")))
    name = f"abfall-{area.slug}" + (f"-{kind.slug}" if kind else "") + ".ics"
    return ical_response(document, filename=name)


@require_safe
def year_print(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The yearly calendar as an A4 PDF in the town's colour, to print and hang on the fridge."""
    area = selectors.area_get(slug=slug)
    if area is None or not 2000 <= year <= 2100:
        raise Http404
    from core.printing import pdf_response
    from modules.waste.print_calendar import year_pdf

    return pdf_response(year_pdf(area=area, year=year), f"abfallkalender-{area.slug}-{year}.pdf")


# --- back office ---------------------------------------------------------------------------


@role_required("town_admin")
@require_safe
def manage(request: HttpRequest) -> HttpResponse:
    return render(request, "waste/manage/index.html", {
        "areas": selectors.area_list(), "types": selectors.waste_type_list(),
        "imports": selectors.import_list_recent(),
    })


@role_required("town_admin")
def area_create(request: HttpRequest) -> HttpResponse:
    form = AreaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.area_create(acting_user=request.user, name=form.cleaned_data["name"],
                                 ortsgemeinde=form.cleaned_data["ortsgemeinde"],
                                 streets=list(form.cleaned_data["streets"]))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The pickup area is saved."))
            return redirect("waste:manage")
    return render(request, "waste/manage/area_form.html", {"form": form}, status=400 if form.errors else 200)


@role_required("town_admin")
def area_edit(request: HttpRequest, area_id: int) -> HttpResponse:
    area = get_object_or_404(PickupArea.objects.select_related("ortsgemeinde"), pk=area_id)
    initial = {"name": area.name, "streets": list(area.area_streets.values_list("street_id", flat=True))}
    form = AreaForm(request.POST or None, area=area, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.area_update(acting_user=request.user, area=area, name=form.cleaned_data["name"],
                                 streets=list(form.cleaned_data["streets"]))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The pickup area is saved."))
            return redirect("waste:area-edit", area_id=area.pk)
    year = _year(request)
    return render(request, "waste/manage/area_form.html", {
        "form": form, "area": area, "year": year, "pickups": selectors.pickups_of_year(area=area, year=year),
    }, status=400 if form.errors else 200)


def _year(request: HttpRequest) -> int:
    value = request.GET.get("jahr", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else selectors.today().year


@role_required("town_admin")
def import_upload(request: HttpRequest) -> HttpResponse:
    form = IcsImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(services.parsing.MAX_FILE_BYTES + 1)
        try:
            if upload.name.lower().endswith(".csv"):
                waste_import = services.import_prepare_csv(acting_user=request.user, data=data, filename=upload.name)
            else:
                waste_import = services.import_prepare_ics(acting_user=request.user, data=data, filename=upload.name,
                                                           areas=list(form.cleaned_data["areas"]))
        except ValidationError as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            return redirect("waste:import-preview", import_id=waste_import.pk)
    return render(request, "waste/manage/import_form.html", {"form": form}, status=400 if form.errors else 200)


@role_required("town_admin")
def rule_create(request: HttpRequest) -> HttpResponse:
    form = RuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            waste_import = services.import_prepare_rule(
                acting_user=request.user, areas=list(data["areas"]), waste_type=data["waste_type"],
                first=data["first"], every_weeks=data["every_weeks"], year=data["year"])
        except ValidationError as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            return redirect("waste:import-preview", import_id=waste_import.pk)
    return render(request, "waste/manage/rule_form.html", {"form": form}, status=400 if form.errors else 200)


@role_required("town_admin")
def import_preview(request: HttpRequest, import_id: int) -> HttpResponse:
    waste_import = selectors.import_get(pk=import_id)
    if waste_import is None:
        raise Http404
    if request.method == "POST":
        try:
            count = services.import_apply(acting_user=request.user, waste_import=waste_import)
        except ValidationError as exc:
            for message in _errors(exc):
                messages.error(request, message)
        else:
            messages.success(request, _("%(count)d collection dates for %(year)d are now in the calendar.")
                             % {"count": count, "year": waste_import.year})
            return redirect("waste:manage")
    return render(request, "waste/manage/import_preview.html", {
        "import": waste_import, "lines": selectors.import_preview(waste_import)})


@role_required("town_admin")
def pickup_edit(request: HttpRequest, pickup_id: int) -> HttpResponse:
    pickup = get_object_or_404(Pickup.objects.select_related("area", "waste_type"), pk=pickup_id)
    form = PickupMoveForm(request.POST or None, initial={"date": pickup.date})
    back = reverse("waste:area-edit", kwargs={"area_id": pickup.area_id}) + f"?jahr={pickup.date.year}"
    if request.method == "POST":
        if request.POST.get("delete"):
            services.pickup_delete(acting_user=request.user, pickup=pickup)
            messages.success(request, _("The collection date is deleted."))
            return HttpResponseRedirect(back)
        if form.is_valid():
            try:
                services.pickup_move(acting_user=request.user, pickup=pickup, date=form.cleaned_data["date"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The collection is moved to %(date)s.")
                                 % {"date": f"{pickup.date:%d.%m.%Y}"})
                return HttpResponseRedirect(back)
    return render(request, "waste/manage/pickup_form.html", {"form": form, "pickup": pickup, "back": back},
                  status=400 if form.errors else 200)


