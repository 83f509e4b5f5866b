"""Pages of the directory: the public list and entry, sign-up, the business's own pages, moderation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from billing.facade import ActivePromotion, active_promotions, promotions_cache_key
from core import opening_hours
from core.access import role_required
from core.branding import town_url
from core.forms import apply_service_errors
from core.maps import map_context
from core.paging import page_of
from modules.directory import selectors, services, structured
from modules.directory.apps import BUSINESS_COLOUR
from modules.directory.forms import (
    BusinessFilterForm,
    BusinessForm,
    BusinessManageForm,
    OfferForm,
    OpeningExceptionForm,
    OpeningIntervalFormSet,
    PhotoForm,
    RejectForm,
)
from modules.directory.models import Business, Weekday
from town.selectors import ortsgemeinde_list, user_ortsgemeinde_id

LIST_PAGE_SIZE = 20
HOME_WIDGET_SIZE = 4


# --- shared pieces -------------------------------------------------------------------


PROMOTIONS_CACHE_SECONDS = 60


def _promotions(slot_key: str, target_id: int | None = None) -> list[ActivePromotion]:
    """The slot's sponsored entries; the same for every visitor, so cached per town for a minute
    (billing deletes the cache when an entry starts, pauses or ends)."""
    key = promotions_cache_key(slot_key, target_id)  # billing forgets it when an entry starts or ends
    found = cache.get(key)
    if found is None:
        found = active_promotions(slot_key=slot_key, target_id=target_id)
        cache.set(key, found, PROMOTIONS_CACHE_SECONDS)
    # Billing validates link targets; only web links and paths are rendered, whatever a row holds.
    return [promotion for promotion in found if promotion.link_url.startswith(("https://", "http://", "/"))]


def _with_open_state(businesses: list[Business]) -> list[Business]:
    """Set `open_until` (a local time, or None when closed) on each business, from the cached state."""
    state = selectors.open_state_now()
    for business in businesses:
        business.open_until = state.get(business.pk)
    return businesses


# --- public pages ------------------------------------------------------------------------


@require_GET
def business_list(request: HttpRequest) -> HttpResponse:
    categories = selectors.category_list()
    ortsgemeinden = ortsgemeinde_list()
    form = BusinessFilterForm(request.GET, categories=categories, ortsgemeinden=ortsgemeinden)
    form.is_valid()  # an unknown filter value is ignored; the valid ones still apply
    data = form.cleaned_data
    category = next((c for c in categories if c.slug == data.get("category")), None)
    ortsgemeinde = next((o for o in ortsgemeinden if o.slug == data.get("ortsgemeinde")), None)
    businesses = selectors.business_list_visible(
        category_slug=category.slug if category else None,
        ortsgemeinde_id=ortsgemeinde.pk if ortsgemeinde else None,
        near_ortsgemeinde_id=None if ortsgemeinde else user_ortsgemeinde_id(request.user),
        delivers=bool(data.get("delivers")),
        search=data.get("q") or None,
        open_now=bool(data.get("open_now")),
    )
    # "Next page" needs no COUNT: the status line says how many so far, or "more than" while more follow.
    page = page_of(selectors.with_category_ids(businesses), LIST_PAGE_SIZE, request.GET.get("page"))
    entries = _with_open_state(selectors.categories_attach(list(page.object_list), categories))
    query = request.GET.copy()
    query.pop("page", None)
    sponsored = _promotions("directory.category-top", category.pk) if category and page.number == 1 else []
    return render(
        request,
        "directory/business_list.html",
        {
            "form": form,
            "page": page,
            "found": (page.number - 1) * LIST_PAGE_SIZE + len(entries),
            "businesses": entries,
            "query": query.urlencode(),
            "category": category,
            "ortsgemeinde": ortsgemeinde,
            "search": data.get("q") or "",
            "sponsored": sponsored,
            "has_ortsgemeinden": bool(ortsgemeinden),
            "map": _map(entries),
        },
    )


def _map(businesses: list[Business]) -> dict[str, Any] | None:
    """The shared map component with these businesses (None when none has a position or maps are off)."""
    points = [selectors.business_map_point(b) for b in businesses if b.latitude is not None and b.longitude is not None]
    return map_context("directory-map", [(_("Businesses"), BUSINESS_COLOUR, points)], label=_("Map of the businesses"))


@require_GET
def business_detail(request: HttpRequest, slug: str) -> HttpResponse:
    business = selectors.business_get_visible(slug=slug)
    if business is None:
        raise Http404
    intervals, exceptions = selectors.hours_of(business)
    business.open_until = opening_hours.open_until(timezone.now(), intervals, exceptions)
    origin = town_url("")
    page_url = origin + business.get_absolute_url()
    today = selectors.today_local()
    jsonld = structured.business_jsonld(business, page_url=page_url, origin=origin, today=today)
    week = [(Weekday(day).label, items) for day, items in opening_hours.week_table(intervals)]
    upcoming = [e for e in business.recent_exceptions if e.end_date >= today]
    return render(
        request,
        "directory/business_detail.html",
        {
            "business": business,
            "categories": list(business.categories.all()),
            "photos": list(business.photos.all()),
            "offers": business.current_offers,
            "week": week,
            "today_label": Weekday(today.weekday()).label,
            "exceptions": upcoming,
            "jsonld": mark_safe(structured.jsonld_script_body(jsonld)),  # escaped for <script> by jsonld_script_body
            "can_manage": services.user_can_manage_business(request.user, business),
            "map": _map([business]),
        },
    )


@require_GET
def business_vcard(request: HttpRequest, slug: str) -> HttpResponse:
    business = selectors.business_get_visible(slug=slug)
    if business is None:
        raise Http404
    page_url = town_url(business.get_absolute_url())
    response = HttpResponse(structured.business_vcard(business, page_url=page_url),
                            content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{business.slug}.vcf"'
    return response


def home_widget(request: HttpRequest) -> str:
    """Businesses open now, the resident's village first, plus up to two sponsored cards.

    One query (the businesses) while this minute's 'open now' and the promotions are cached, four otherwise.
    """
    home_id = user_ortsgemeinde_id(request.user)
    businesses = list(selectors.business_list_visible(near_ortsgemeinde_id=home_id, open_now=True)[:HOME_WIDGET_SIZE])
    sponsored = _promotions("directory.home")
    if not businesses and not sponsored:
        return ""
    return render_to_string(
        "directory/widget.html",
        {"businesses": _with_open_state(businesses), "sponsored": sponsored},
        request=request,
    )


# --- sign-up and the business's own pages ------------------------------------------------


@role_required("authenticated")
@require_http_methods(["GET", "POST"])
def business_register(request: HttpRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = BusinessForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                business = services.business_register(acting_user=request.user, **data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                thanks = _("Thank you! The town will check “%(name)s” and let you know by e-mail.")
                messages.success(request, thanks % {"name": business.name})
                return redirect("directory:business-manage", slug=business.slug)
        status = 400
    else:
        form = BusinessForm(initial={"ortsgemeinde": user_ortsgemeinde_id(request.user)})
    return render(request, "directory/register.html", {"form": form}, status=status)


@role_required("authenticated")
@require_GET
def business_mine(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/manage/mine.html",
                  {"businesses": list(selectors.business_list_of_member(request.user))})


def _managed_business(request: HttpRequest, slug: str) -> Business:
    business = selectors.business_get(slug=slug)
    if business is None:
        raise Http404
    if not services.user_can_manage_business(request.user, business):
        raise PermissionDenied
    return business


def _manage_context(business: Business, section: str, **extra: Any) -> dict[str, Any]:
    return {"business": business, "section": section, **extra}


@role_required("authenticated")
@require_http_methods(["GET", "POST"])
def business_manage(request: HttpRequest, slug: str) -> HttpResponse:
    business = _managed_business(request, slug)
    status = 200
    if request.method == "POST":
        form = BusinessManageForm(request.POST, instance=Business.objects.get(pk=business.pk))
        if form.is_valid():
            try:
                services.business_update(business=business, acting_user=request.user, data=dict(form.cleaned_data))
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The entry was saved."))
                return redirect("directory:business-manage", slug=business.slug)
        status = 400
    else:
        form = BusinessManageForm(instance=business)
    return render(request, "directory/manage/entry.html", _manage_context(business, "entry", form=form),
                  status=status)


@role_required("authenticated")
@require_POST
def business_resubmit(request: HttpRequest, slug: str) -> HttpResponse:
    business = _managed_business(request, slug)
    try:
        services.business_resubmit(business=business, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The entry was submitted to the town again."))
    return redirect("directory:business-manage", slug=business.slug)


@role_required("authenticated")
@require_http_methods(["GET", "POST"])
def opening_hours_edit(request: HttpRequest, slug: str) -> HttpResponse:
    business = _managed_business(request, slug)
    status = 200
    if request.method == "POST":
        formset = OpeningIntervalFormSet(request.POST, prefix="hours")
        if formset.is_valid():
            intervals = [interval for form in formset if (interval := form.interval()) is not None]
            try:
                services.opening_hours_replace(business=business, acting_user=request.user, intervals=intervals)
            except ValidationError as error:
                formset._non_form_errors = formset.error_class(error.messages)
            else:
                messages.success(request, _("The opening hours were saved."))
                return redirect("directory:opening-hours", slug=business.slug)
        status = 400
    else:
        initial = [
            {"weekday": i.weekday, "opens": i.opens, "closes": i.closes, "closes_next_day": i.closes_next_day}
            for i in business.opening_intervals.all()
        ]
        # A few empty rows to add intervals without JavaScript.
        formset = OpeningIntervalFormSet(prefix="hours", initial=initial + [{}] * 4)
    exceptions = list(business.opening_exceptions.filter(end_date__gte=selectors.today_local()))
    return render(
        request, "directory/manage/hours.html",
        _manage_context(business, "hours", formset=formset, exceptions=exceptions,
                        exception_form=OpeningExceptionForm()),
        status=status,
    )


@role_required("authenticated")
@require_POST
def opening_exception_add(request: HttpRequest, slug: str) -> HttpResponse:
    business = _managed_business(request, slug)
    form = OpeningExceptionForm(request.POST)
    if form.is_valid():
        try:
            services.opening_exception_add(business=business, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The exception was saved."))
            return redirect("directory:opening-hours", slug=business.slug)
    initial = [
        {"weekday": i.weekday, "opens": i.opens, "closes": i.closes, "closes_next_day": i.closes_next_day}
        for i in business.opening_intervals.all()
    ]
    formset = OpeningIntervalFormSet(prefix="hours", initial=initial + [{}] * 4)
    exceptions = list(business.opening_exceptions.filter(end_date__gte=selectors.today_local()))
    return render(
        request, "directory/manage/hours.html",
        _manage_context(business, "hours", formset=formset, exceptions=exceptions, exception_form=form),
        status=400,
    )


@role_required("authenticated")
@require_POST
def opening_exception_delete(request: HttpRequest, slug: str, exception_pk: int) -> HttpResponse:
    business = _managed_business(request, slug)
    exception = business.opening_exceptions.filter(pk=exception_pk).first()
    if exception is None:
        raise Http404
    services.opening_exception_delete(exception=exception, acting_user=request.user)
    messages.success(request, _("The exception was removed."))
    return redirect("directory:opening-hours", slug=business.slug)


@role_required("authenticated")
@require_http_methods(["GET", "POST"])
def photo_manage(request: HttpRequest, slug: str) -> HttpResponse:
    business = _managed_business(request, slug)
    status = 200
    if request.method == "POST":
        form = PhotoForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.photo_add(business=business, acting_user=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The photo was added."))
                return redirect("directory:photo-manage", slug=business.slug)
        status = 400
    else:
        form = PhotoForm()
    return render(request, "directory/manage/photos.html",
                  _manage_context(business, "photos", form=form, photos=selectors.photo_list(business)),
                  status=status)


@role_required("authenticated")
@require_POST
def photo_delete(request: HttpRequest, slug: str, photo_pk: int) -> HttpResponse:
    business = _managed_business(request, slug)
    photo = business.photos.filter(pk=photo_pk).first()
    if photo is None:
        raise Http404
    services.photo_delete(photo=photo, acting_user=request.user)
    messages.success(request, _("The photo was removed."))
    return redirect("directory:photo-manage", slug=business.slug)


@role_required("authenticated")
@require_http_methods(["GET", "POST"])
def offer_manage(request: HttpRequest, slug: str) -> HttpResponse:
    business = _managed_business(request, slug)
    status = 200
    if request.method == "POST":
        form = OfferForm(request.POST)
        if form.is_valid():
            try:
                services.offer_add(business=business, acting_user=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The offer was published."))
                return redirect("directory:offer-manage", slug=business.slug)
        status = 400
    else:
        form = OfferForm()
    offers = list(business.offers.filter(selectors.offers_current_q()))
    return render(request, "directory/manage/offers.html",
                  _manage_context(business, "offers", form=form, offers=offers), status=status)


@role_required("authenticated")
@require_POST
def offer_delete(request: HttpRequest, slug: str, offer_pk: int) -> HttpResponse:
    business = _managed_business(request, slug)
    offer = business.offers.filter(pk=offer_pk).first()
    if offer is None:
        raise Http404
    services.offer_delete(offer=offer, acting_user=request.user)
    messages.success(request, _("The offer was removed."))
    return redirect("directory:offer-manage", slug=business.slug)


# --- back office: applications --------------------------------------------


@role_required("moderator")
@require_GET
def application_list(request: HttpRequest) -> HttpResponse:
    pending = list(selectors.business_list_pending().prefetch_related("categories"))
    return render(request, "directory/manage/applications.html",
                  {"pending": pending, "reject_form": RejectForm()})


def _reviewable(slug: str) -> Business:
    business = selectors.business_get(slug=slug)
    if business is None:
        raise Http404
    return business


@role_required("moderator")
@require_POST
def application_approve(request: HttpRequest, slug: str) -> HttpResponse:
    business = _reviewable(slug)
    services.business_approve(business=business, acting_user=request.user)
    messages.success(request, _("“%(name)s” is now listed in the directory.") % {"name": business.name})
    return redirect("directory:application-list")


@role_required("moderator")
@require_http_methods(["GET", "POST"])
def application_reject(request: HttpRequest, slug: str) -> HttpResponse:
    business = _reviewable(slug)
    status = 200
    if request.method == "POST":
        form = RejectForm(request.POST)
        if form.is_valid():
            try:
                services.business_reject(business=business, acting_user=request.user,
                                         reason=form.cleaned_data["reason"])
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("“%(name)s” was rejected; the applicant was told why.")
                                 % {"name": business.name})
                return redirect("directory:application-list")
        status = 400
    else:
        form = RejectForm()
    return render(request, "directory/manage/reject.html", {"business": business, "form": form}, status=status)

