"""Pages of the Mitbringdienst. Thin: forms parse, services decide, selectors read."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import role_required
from core.forms import apply_service_errors
from core.paging import page_of
from modules.errands import selectors, services
from modules.errands.forms import (
    AcceptForm,
    BoughtForm,
    CommentForm,
    ConfirmForm,
    ErrandFilterForm,
    ErrandRequestForm,
    ReportForm,
    TripForm,
    TripJoinForm,
    euros_to_cents,
)
from modules.errands.models import ErrandRequest, ErrandStatus, Trip
from modules.errands.shops import shop_choices, shop_get
from town.models import Ortsgemeinde
from town.selectors import ortsgemeinde_list, user_ortsgemeinde_id

PAGE_SIZE = 20
HOME_WIDGET_SIZE = 5


def _first_name(user: Any) -> str:
    return user.get_short_name() if user else ""


# --- lists -------------------------------------------------------------------------------------


@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    """Open requests of the whole town, the visitor's own Ortsgemeinde first."""
    ortsgemeinden = ortsgemeinde_list()
    form = ErrandFilterForm(request.GET, ortsgemeinden=ortsgemeinden, shops=selectors.errand_shop_names_open())
    form.is_valid()  # unknown filter values are ignored; the valid ones still apply
    data = form.cleaned_data
    chosen = next((o for o in ortsgemeinden if o.slug == data.get("ortsgemeinde")), None)
    home_id = user_ortsgemeinde_id(request.user)
    errands = selectors.errand_list_open(
        viewer=request.user,
        home_ortsgemeinde_id=home_id,
        ortsgemeinde_id=chosen.pk if chosen else None,
        shop=data.get("shop") or None,
    )
    page = page_of(errands, PAGE_SIZE, request.GET.get("page"))  # "next page" needs no COUNT
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "errands/request_list.html", {
        "form": form,
        "page": page,
        "errands": page.object_list,
        "query": query.urlencode(),
        "home_id": home_id,
        "has_ortsgemeinden": bool(ortsgemeinden),
    })


@role_required("authenticated")
@require_GET
def request_mine(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.errand_list_mine(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "errands/request_mine.html", {"page": page, "errands": page.object_list})


@role_required("authenticated")
@require_GET
def delivery_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.errand_list_deliveries(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "errands/delivery_list.html", {"page": page, "errands": page.object_list})


# --- asking -------------------------------------------------------------------------------------


def _next_hour() -> Any:
    now = timezone.localtime()
    return now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


@role_required("authenticated")
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest) -> HttpResponse:
    start = _next_hour()
    form = ErrandRequestForm(
        request.POST or None,
        shops=shop_choices(),
        ortsgemeinden=ortsgemeinde_list(),
        initial={
            "ortsgemeinde": user_ortsgemeinde_id(request.user),
            "window_start": start,
            "window_end": start + timedelta(days=1),
            "business": request.GET.get("business", ""),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            errand = services.errand_request_create(
                acting_user=request.user,
                items=data["items"],
                business_id=data.get("business"),
                shop_name=data["shop_name"],
                window_start=data["window_start"],
                window_end=data["window_end"],
                ortsgemeinde=data.get("ortsgemeinde"),
                note=data["note"],
                estimated_amount_cents=euros_to_cents(data["estimated_amount"]),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your request is online. We will e-mail you when a neighbour accepts it."))
            return redirect(errand)
    status = 400 if request.method == "POST" else 200
    return render(request, "errands/request_form.html", {"form": form}, status=status)


# --- one request ---------------------------------------------------------------------------------


def _visible_errand(request: HttpRequest, errand_id: int) -> ErrandRequest:
    errand = selectors.errand_get(pk=errand_id)
    if errand is None or not selectors.errand_visible_to(errand, request.user):
        raise Http404
    return errand


def _detail(request: HttpRequest, errand: ErrandRequest, status: int = 200, **forms: Any) -> HttpResponse:
    user = request.user
    is_requester = errand.requester_id == user.pk
    is_helper = errand.helper_id is not None and errand.helper_id == user.pk
    # Neighbours see a first name and the village; the two people (and moderators) see full names.
    sees_names = is_requester or is_helper or user.is_moderator
    context = {
        "errand": errand,
        "is_requester": is_requester,
        "is_helper": is_helper,
        "requester_name": errand.requester.name if sees_names else _first_name(errand.requester),
        "helper_name": (errand.helper.name if sees_names else _first_name(errand.helper)) if errand.helper else "",
        "shop": shop_get(errand.business_id),
        "events": list(errand.events.select_related("actor")) if sees_names else [],
        "comments": list(errand.comments.select_related("author")) if sees_names else [],
        "can_accept": errand.status == ErrandStatus.OPEN and not is_requester and not errand.is_hidden,
        "can_comment": (is_requester or is_helper) and errand.helper_id is not None
        and errand.status not in (ErrandStatus.CANCELLED,),
        "can_report": not is_requester and not errand.is_hidden,
        "can_block": (not is_requester) or errand.helper_id is not None,
        "accept_form": forms.get("accept_form") or AcceptForm(),
        "bought_form": forms.get("bought_form") or BoughtForm(),
        "comment_form": forms.get("comment_form") or CommentForm(),
    }
    return render(request, "errands/request_detail.html", context, status=status)


@role_required("authenticated")
@require_GET
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    return _detail(request, _visible_errand(request, request_id))


def _step(request: HttpRequest, errand: ErrandRequest, service: Any, success: str, **kwargs: Any) -> HttpResponse:
    try:
        service(errand=errand, acting_user=request.user, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect(errand)


@role_required("authenticated")
@require_POST
def request_accept(request: HttpRequest, request_id: int) -> HttpResponse:
    errand = _visible_errand(request, request_id)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        return _detail(request, errand, status=400, accept_form=form)
    return _step(request, errand, services.errand_request_accept,
                 _("Thank you! You have accepted the request. The person who asked has been told."))


@role_required("authenticated")
@require_POST
def request_release(request: HttpRequest, request_id: int) -> HttpResponse:
    return _step(request, _visible_errand(request, request_id), services.errand_request_release,
                 _("You have given the request back. It is open again for other neighbours."))


@role_required("authenticated")
@require_POST
def request_bought(request: HttpRequest, request_id: int) -> HttpResponse:
    errand = _visible_errand(request, request_id)
    form = BoughtForm(request.POST)
    if not form.is_valid():
        return _detail(request, errand, status=400, bought_form=form)
    return _step(request, errand, services.errand_request_mark_bought, _("Marked as bought."),
                 spent_amount_cents=euros_to_cents(form.cleaned_data["spent_amount"]))


@role_required("authenticated")
@require_POST
def request_delivered(request: HttpRequest, request_id: int) -> HttpResponse:
    return _step(request, _visible_errand(request, request_id), services.errand_request_mark_delivered,
                 _("Marked as delivered. Thank you for helping!"))


@role_required("authenticated")
@require_POST
def request_cancel(request: HttpRequest, request_id: int) -> HttpResponse:
    return _step(request, _visible_errand(request, request_id), services.errand_request_cancel,
                 _("Your request is cancelled."))


@role_required("authenticated")
@require_POST
def request_comment(request: HttpRequest, request_id: int) -> HttpResponse:
    errand = _visible_errand(request, request_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.errand_comment_add(errand=errand, acting_user=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your message is sent."))
            return redirect(errand)
    return _detail(request, errand, status=400, comment_form=form)


@role_required("authenticated")
@require_http_methods(["GET", "POST"])
def request_report(request: HttpRequest, request_id: int) -> HttpResponse:
    errand = _visible_errand(request, request_id)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.errand_report_create(errand=errand, acting_user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Thank you. The moderators will look at this request."))
            return redirect(errand)
    status = 400 if request.method == "POST" else 200
    return render(request, "errands/request_report.html", {"errand": errand, "form": form}, status=status)


@role_required("authenticated")
@require_http_methods(["GET", "POST"])
def request_block(request: HttpRequest, request_id: int) -> HttpResponse:
    """Block the other person of this request: its requester, or (for the requester) its helper."""
    errand = _visible_errand(request, request_id)
    other = errand.helper if errand.requester_id == request.user.pk else errand.requester
    if other is None:
        raise Http404
    form = ConfirmForm(request.POST or None, initial={"confirm": True})
    if request.method == "POST" and form.is_valid():
        try:
            services.user_block(acting_user=request.user, blocked=other)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(errand)
        messages.success(request, _("%(name)s is blocked. You won't see each other's requests any more.")
                         % {"name": other.get_short_name()})
        return redirect("errands:request-list")
    status = 400 if request.method == "POST" else 200
    return render(request, "errands/request_block.html",
                  {"errand": errand, "other_name": other.get_short_name(), "form": form}, status=status)


# --- blocks ----------------------------------------------------------------------------------------


@role_required("authenticated")
@require_GET
def block_list(request: HttpRequest) -> HttpResponse:
    return render(request, "errands/block_list.html", {"blocks": selectors.block_list(user=request.user)})


@role_required("authenticated")
@require_POST
def block_delete(request: HttpRequest, block_id: int) -> HttpResponse:
    block = selectors.block_get(pk=block_id, user=request.user)
    if block is None:
        raise Http404
    services.user_unblock(block=block, acting_user=request.user)
    messages.success(request, _("The block is lifted."))
    return redirect("errands:block-list")


# --- trips -------------------------------------------------------------------------------------------


@require_GET
def trip_list(request: HttpRequest) -> HttpResponse:
    trips = selectors.trip_list_upcoming(viewer=request.user, home_ortsgemeinde_id=user_ortsgemeinde_id(request.user))
    return render(request, "errands/trip_list.html", {"trips": trips})


@role_required("authenticated")
@require_http_methods(["GET", "POST"])
def trip_create(request: HttpRequest) -> HttpResponse:
    form = TripForm(request.POST or None, shops=shop_choices(), ortsgemeinden=ortsgemeinde_list(),
                    initial={"departure_at": _next_hour() + timedelta(hours=1)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            trip = services.trip_create(
                acting_user=request.user,
                destination=data["destination"],
                business_id=data.get("business"),
                shop_name=data["shop_name"],
                departure_at=data["departure_at"],
                ortsgemeinden=data.get("ortsgemeinden") or [],
                capacity=data["capacity"],
                note=data["note"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your trip is announced. We will e-mail you when someone joins."))
            return redirect(trip)
    status = 400 if request.method == "POST" else 200
    return render(request, "errands/trip_form.html", {"form": form}, status=status)


def _trip(request: HttpRequest, trip_id: int) -> Trip:
    trip = selectors.trip_get(pk=trip_id)
    if trip is None:
        raise Http404
    user = request.user
    if trip.helper_id != user.pk and not user.is_moderator and trip.helper_id in services.users_blocked_between(user):
        raise Http404
    return trip


def _trip_detail(request: HttpRequest, trip: Trip, status: int = 200, join_form: Any = None) -> HttpResponse:
    is_helper = trip.helper_id == request.user.pk
    joined = list(trip.requests.select_related("requester", "ortsgemeinde").order_by("pk")) if is_helper else []
    mine = trip.requests.filter(requester=request.user).exclude(status=ErrandStatus.CANCELLED).first()
    served = list(trip.ortsgemeinden.all())
    return render(request, "errands/trip_detail.html", {
        "trip": trip,
        "is_helper": is_helper,
        "helper_name": trip.helper.name if is_helper or request.user.is_moderator else _first_name(trip.helper),
        "served": served,
        "shop": shop_get(trip.business_id),
        "places_left": max(trip.capacity - trip.taken, 0),
        "joined": joined,
        "mine": mine,
        "is_open": not trip.is_cancelled and trip.departure_at > timezone.now(),
        "join_form": join_form or TripJoinForm(),
    }, status=status)


@role_required("authenticated")
@require_GET
def trip_detail(request: HttpRequest, trip_id: int) -> HttpResponse:
    return _trip_detail(request, _trip(request, trip_id))


@role_required("authenticated")
@require_POST
def trip_join(request: HttpRequest, trip_id: int) -> HttpResponse:
    trip = _trip(request, trip_id)
    form = TripJoinForm(request.POST)
    if form.is_valid():
        home_id = user_ortsgemeinde_id(request.user)
        try:
            errand = services.trip_join(
                trip=trip,
                acting_user=request.user,
                items=form.cleaned_data["items"],
                note=form.cleaned_data["note"],
                estimated_amount_cents=euros_to_cents(form.cleaned_data["estimated_amount"]),
                ortsgemeinde=Ortsgemeinde.objects.filter(pk=home_id).first() if home_id else None,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("You have joined the trip. Your list is with %(name)s.")
                             % {"name": trip.helper.get_short_name()})
            return redirect(errand)
    return _trip_detail(request, trip, status=400, join_form=form)


@role_required("authenticated")
@require_POST
def trip_cancel(request: HttpRequest, trip_id: int) -> HttpResponse:
    trip = _trip(request, trip_id)
    try:
        services.trip_cancel(trip=trip, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The trip is cancelled. Lists not yet bought are open again for others."))
    return redirect(trip)


# --- moderation ---------------------------------------------------------------------------------------


@role_required("moderator")
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    return render(request, "errands/manage/report_list.html", {
        "reports": selectors.report_list_open(),
        "hidden": selectors.errand_list_hidden()[:50],
    })


def _moderated_errand(request_id: int) -> ErrandRequest:
    errand = selectors.errand_get(pk=request_id)
    if errand is None:
        raise Http404
    return errand


@role_required("moderator")
@require_POST
def request_hide(request: HttpRequest, request_id: int) -> HttpResponse:
    services.errand_request_hide(errand=_moderated_errand(request_id), acting_user=request.user)
    messages.success(request, _("The request is hidden."))
    return redirect("errands:report-list")


@role_required("moderator")
@require_POST
def request_restore(request: HttpRequest, request_id: int) -> HttpResponse:
    services.errand_request_restore(errand=_moderated_errand(request_id), acting_user=request.user)
    messages.success(request, _("The request is visible again; its reports are closed."))
    return redirect("errands:report-list")


# --- start page --------------------------------------------------------------------------------------------


def home_widget(request: HttpRequest) -> str:
    """Open requests near the signed-in resident (own Ortsgemeinde first); nothing for visitors."""
    if not request.user.is_authenticated:
        return ""
    home_id = user_ortsgemeinde_id(request.user)
    errands = list(selectors.errand_list_open(viewer=request.user, home_ortsgemeinde_id=home_id)[:HOME_WIDGET_SIZE])
    if not errands:
        return ""
    return render_to_string("errands/widget.html", {"errands": errands, "home_id": home_id}, request=request)
