"""Pages of Mitfahren. Thin: forms parse, services decide, selectors read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import role_required
from core.calendar import CalendarSource, SourcedEntry, ical_document, ical_response
from core.forms import apply_service_errors
from core.ratelimit import ip_limited
from modules.moderation.facade import report_url
from modules.rides import selectors, services
from modules.rides.forms import (
    BenchRequestForm,
    BookingForm,
    MessageForm,
    PhoneBenchRequestForm,
    RideForm,
    SavedSearchForm,
    SearchForm,
    StopForm,
    ThanksForm,
)
from modules.rides.models import Booking, BookingStatus, Ride, RideKind, RideStatus, SavedSearch
from town.residency_services import residency_require

HOME_WIDGET_SIZE = 3
# How many of a regular ride's next days can be booked (two working weeks).
BOOKABLE_DAYS = 10


# --- rides -------------------------------------------------------------------------------------


@require_GET
def ride_list(request: HttpRequest) -> HttpResponse:
    """Search (from, to, day, time) → matching offers; without a search: the upcoming offers."""
    now = timezone.localtime()
    searching = "from_stop" in request.GET
    form = SearchForm(request.GET if searching else None, initial={
        "date": now.date(), "time": now.time().replace(second=0, microsecond=0),
        "to_stop": request.GET.get("to_stop")})
    matches = None
    buses: list[Any] = []
    if searching and form.is_valid():
        data = form.cleaned_data
        wanted = Ride(kind=RideKind.REQUEST, person_id=getattr(request.user, "pk", None), from_stop=data["from_stop"],
                      from_lat=data["from_stop"].latitude, from_lon=data["from_stop"].longitude,
                      to_stop=data["to_stop"], to_lat=data["to_stop"].latitude, to_lon=data["to_stop"].longitude,
                      date=data["date"], time=data["time"], flex_minutes=60, seats=1)
        matches = selectors.offers_matching(wanted)
        from modules.rides import bus

        buses = bus.connections(from_stop=data["from_stop"], to_stop=data["to_stop"], day=data["date"],
                                after=data["time"])
    return render(request, "rides/ride_list.html", {
        "form": form,
        "matches": matches,
        "buses": buses,
        "offers": selectors.offer_list_upcoming() if matches is None else [],
        "requests": selectors.request_list_upcoming(limit=20) if matches is None else [],
        "search_form": SavedSearchForm(initial={"to_stop": request.GET.get("to_stop"),
                                                "from_stop": request.GET.get("from_stop")}),
    })


def _ride_or_404(request: HttpRequest, ride_id: int) -> Ride:
    ride = selectors.ride_get_visible(ride_id=ride_id, user=request.user)
    if ride is None:
        raise Http404
    return ride


@require_GET
def ride_detail(request: HttpRequest, ride_id: int) -> HttpResponse:
    return _ride_page(request, _ride_or_404(request, ride_id))


def _ride_page(request: HttpRequest, ride: Ride, *, book_form: BookingForm | None = None,
               status: int = 200) -> HttpResponse:
    is_owner = request.user.is_authenticated and request.user.pk == ride.person_id
    context: dict[str, Any] = {"ride": ride, "is_owner": is_owner, "is_open": ride.status == RideStatus.OPEN,
                               "report_link": report_url(kind="rides.ride", object_id=ride.pk)}
    if ride.is_offer:
        days = ride.next_dates(BOOKABLE_DAYS)
        taken = selectors.seats_taken(ride=ride, days=days)
        free_days = [d for d in days if taken.get(d, 0) < ride.seats]
        context["free"] = [(d, ride.seats - taken.get(d, 0)) for d in days]
        context["book_form"] = book_form or (BookingForm(days=free_days) if free_days else None)
        if is_owner:
            context["bookings"] = selectors.booking_list_for_ride(ride=ride)
            context["matches"] = selectors.requests_matching(ride)
    elif is_owner:
        context["matches"] = selectors.offers_matching(ride)
    return render(request, "rides/ride_detail.html", context, status=status)


def _ride_form_page(request: HttpRequest, kind: str) -> HttpResponse:
    residency_require(request.user, "rides")  # before the form: nobody fills it in vain
    form = RideForm(request.POST if request.method == "POST" else None, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            ride = services.ride_create(acting_user=request.user, kind=kind, **form.service_kwargs())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your ride is online. Matching people are told."))
            return redirect(ride.get_absolute_url())
    return render(request, "rides/ride_form.html", {"form": form, "kind": kind, **_pin_map()},
                  status=400 if form.errors else 200)


def _pin_map() -> dict[str, Any]:
    """The map for picking a free point (static JS fills the latitude/longitude fields; without JS they are typed)."""
    from django.urls import reverse

    from core.maps import tiles_enabled

    if not tiles_enabled():
        return {"tiles": ""}
    stops = selectors.stop_list()
    centre = ((sum(s.latitude for s in stops) / len(stops), sum(s.longitude for s in stops) / len(stops))
              if stops else (50.75, 7.88))
    return {"tiles": reverse("map") + "kacheln/{z}/{x}/{y}.png", "centre": centre}


@role_required("authenticated")
@require_http_methods(["GET", "POST"])
def offer_create(request: HttpRequest) -> HttpResponse:
    return _ride_form_page(request, RideKind.OFFER)


@role_required("authenticated")
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest) -> HttpResponse:
    return _ride_form_page(request, RideKind.REQUEST)


@role_required("authenticated")
@require_POST
def ride_cancel(request: HttpRequest, ride_id: int) -> HttpResponse:
    ride = _ride_or_404(request, ride_id)
    if ride.person_id != request.user.pk:
        raise Http404
    services.ride_cancel(ride=ride, acting_user=request.user)
    messages.success(request, _("The ride is withdrawn. Everyone booked on it is told."))
    return redirect("rides:ride-mine")


@role_required("authenticated")
@require_POST
def ride_book(request: HttpRequest, ride_id: int) -> HttpResponse:
    ride = _ride_or_404(request, ride_id)
    form = BookingForm(request.POST, days=ride.next_dates(BOOKABLE_DAYS))
    if form.is_valid():
        try:
            booking = services.booking_create(ride=ride, day=form.cleaned_data["day"], seats=form.cleaned_data["seats"],
                                              acting_user=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if booking.status == BookingStatus.CONFIRMED:
                messages.success(request, _("Your seat is booked."))
            else:
                messages.success(request, _("Your request for a seat was sent. The driver will confirm it."))
            return redirect(booking.get_absolute_url())
    return _ride_page(request, ride, book_form=form, status=400)


@role_required("authenticated")
@require_GET
def ride_mine(request: HttpRequest) -> HttpResponse:
    from modules.rides import bus
    from modules.rides.models import BusLine

    return render(request, "rides/ride_mine.html", {
        "rides": selectors.rides_of(user=request.user),
        "bookings": selectors.bookings_of(user=request.user),
        "bus_bookings": bus.bookings_of(request.user),
        "dispatching": BusLine.objects.filter(dispatchers=request.user),
        "searches": selectors.saved_searches_of(user=request.user),
    })


# --- bookings ----------------------------------------------------------------------------------


def _booking_or_404(request: HttpRequest, booking_id: int) -> Booking:
    booking = selectors.booking_get_for(booking_id=booking_id, user=request.user)
    if booking is None:
        raise Http404
    return booking


@role_required("authenticated")
@require_GET
def booking_detail(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = _booking_or_404(request, booking_id)
    is_driver = booking.ride.person_id == request.user.pk
    past = booking.departure <= timezone.now()
    return render(request, "rides/booking_detail.html", {
        "booking": booking, "ride": booking.ride, "is_driver": is_driver, "past": past,
        "other": booking.passenger if is_driver else booking.ride.person,
        "message_form": MessageForm(), "thanks_form": ThanksForm() if not is_driver and past else None,
        "report_link": report_url(kind="rides.ride", object_id=booking.ride_id),
    })


def _booking_action(request: HttpRequest, booking_id: int, action: Any, done: str) -> HttpResponse:
    booking = _booking_or_404(request, booking_id)
    try:
        action(booking=booking, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(booking.get_absolute_url())


@role_required("authenticated")
@require_POST
def booking_confirm(request: HttpRequest, booking_id: int) -> HttpResponse:
    return _booking_action(request, booking_id, services.booking_confirm, _("The booking is confirmed."))


@role_required("authenticated")
@require_POST
def booking_decline(request: HttpRequest, booking_id: int) -> HttpResponse:
    return _booking_action(request, booking_id, services.booking_decline, _("The booking is declined."))


@role_required("authenticated")
@require_POST
def booking_cancel(request: HttpRequest, booking_id: int) -> HttpResponse:
    return _booking_action(request, booking_id, services.booking_cancel,
                           _("The booking is cancelled. The other person is told."))


@role_required("authenticated")
@require_POST
def booking_message(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = _booking_or_404(request, booking_id)
    form = MessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please write a message."))
        return redirect(booking.get_absolute_url())
    try:
        path = services.booking_message(booking=booking, acting_user=request.user, text=form.cleaned_data["text"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(booking.get_absolute_url())
    messages.success(request, _("Your message was sent."))
    return redirect(path)


@role_required("authenticated")
@require_POST
def booking_thank(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = _booking_or_404(request, booking_id)
    form = ThanksForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Please write a few words."))
        services.booking_thank(booking=booking, acting_user=request.user, text=form.cleaned_data["text"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you! The driver is told."))
    return redirect(booking.get_absolute_url())


@role_required("authenticated")
@require_GET
def booking_ical(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = _booking_or_404(request, booking_id)
    if booking.status != BookingStatus.CONFIRMED:
        raise Http404
    source = CalendarSource(key="mitfahren", label=_("Rides"))
    entry = selectors.booking_calendar_entry(booking, viewer=request.user)
    item = SourcedEntry(source=source, entry=entry, sort_key=booking.departure)
    document = ical_document([item], name=_("Ride"))
    return ical_response(document, filename=f"mitfahrt-{booking.pk}.ics", personal=True)


# --- saved searches ----------------------------------------------------------------------------


@role_required("authenticated")
@require_POST
def search_create(request: HttpRequest) -> HttpResponse:
    form = SavedSearchForm(request.POST)
    if form.is_valid():
        try:
            services.saved_search_create(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Saved. We will tell you when a ride fits."))
    else:
        messages.error(request, _("Please choose at least a destination."))
    return redirect("rides:ride-mine")


@role_required("authenticated")
@require_POST
def search_delete(request: HttpRequest, search_id: int) -> HttpResponse:
    search = SavedSearch.objects.filter(pk=search_id, person=request.user).first()
    if search is None:
        raise Http404
    services.saved_search_delete(search=search, acting_user=request.user)
    messages.success(request, _("The saved search is deleted."))
    return redirect("rides:ride-mine")


# --- Mitfahrbank -------------------------------------------------------------------------------


@require_GET
def bench_list(request: HttpRequest) -> HttpResponse:
    return render(request, "rides/bench_list.html", {"benches": selectors.bench_list(),
                                                     "waiting": selectors.bench_requests_waiting()})


def _bench_or_404(stop_id: int) -> Any:
    bench = selectors.bench_get(stop_id)
    if bench is None:
        raise Http404
    return bench


@ip_limited("rides.bench_request", limit=10, period=3600)
@require_http_methods(["GET", "POST"])
def bench_detail(request: HttpRequest, stop_id: int) -> HttpResponse:
    """The bench's page (its QR code leads here): "Ich sitze jetzt hier", no account needed."""
    bench = _bench_or_404(stop_id)
    form = BenchRequestForm(request.POST if request.method == "POST" else None, bench=bench)
    if request.method == "POST" and form.is_valid():
        try:
            bench_request = services.bench_request_create(bench=bench, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect(bench_request.get_absolute_url())
    watching = selectors.bench_watches_of(user=request.user) if request.user.is_authenticated else set()
    from django.conf import settings

    from modules.rides import bus

    return render(request, "rides/bench_detail.html", {
        "bench": bench, "form": form, "waiting": selectors.bench_requests_waiting(bench=bench),
        "watching": bench.pk in watching, "watching_all": None in watching,
        "departures": bus.next_departures_near(stop=bench, limit=4), "today": timezone.localdate(),
        "transit_info_url": settings.TRANSIT_INFO_URL,
    }, status=400 if form.errors else 200)


@require_GET
def bench_sign(request: HttpRequest, stop_id: int) -> HttpResponse:
    """The printable sign (PDF through core.printing): name, directions, QR code of the bench's page."""
    from pathlib import Path

    from core.branding import current_town_name, town_profile, town_url
    from core.printing import pdf_response, qr_svg_bytes, render_pdf
    from modules.rides import bus

    bench = _bench_or_404(stop_id)
    url = town_url(bench.get_absolute_url())
    profile = town_profile()
    town = current_town_name()
    data = {
        "document_title": bench.name, "town": town, "colour": profile.primary_colour,
        "headline": _("Mitfahrbank"), "bench": bench.name,
        "directions_heading": _("From here to"), "directions": [d.name for d in bench.directions.all()],
        "url": url.split("://", 1)[-1], "footer": "",
        "steps": [_("Sit down and scan the code with your phone's camera (or type the address)."),
                  _("Say where you want to go, with your first name. No account needed."),
                  _("Drivers nearby are told at once. Your page shows when someone is coming.")],
        "legal": _("Rides are free or share the costs of the trip only."),
        "bus_heading": _("Buses from here"), "timetable": bus.weekly_timetable_near(bench)[:5],
    }
    pdf = render_pdf(Path(__file__).parent / "print" / "bench_sign.typ", data, files={"qr.svg": qr_svg_bytes(url)})
    return pdf_response(pdf, f"mitfahrbank-{bench.pk}.pdf")


@role_required("authenticated")
@require_POST
def bench_watch(request: HttpRequest, stop_id: int) -> HttpResponse:
    bench = _bench_or_404(stop_id)
    if request.POST.get("on") not in ("0", "1"):
        return HttpResponseBadRequest()
    on = request.POST.get("on") == "1"
    everywhere = request.POST.get("scope") == "all"
    services.bench_watch_set(acting_user=request.user, bench=None if everywhere else bench, on=on)
    messages.success(request, _("You will be told when someone waits here.") if on
                     else _("You will no longer be told about this bench."))
    return redirect(bench.get_absolute_url())


@require_GET
def bench_request_page(request: HttpRequest, token: str) -> HttpResponse:
    """The waiting person's own page (a secret link, no account): shows whether a driver comes."""
    bench_request = selectors.bench_request_by_token(token)
    if bench_request is None:
        raise Http404
    return render(request, "rides/bench_request.html", {"bench_request": bench_request})


@require_POST
def bench_request_cancel(request: HttpRequest, token: str) -> HttpResponse:
    bench_request = selectors.bench_request_by_token(token)
    if bench_request is None:
        raise Http404
    if request.POST.get("confirm") != "1":
        return HttpResponseBadRequest()
    services.bench_request_cancel(bench_request=bench_request)
    return redirect(bench_request.get_absolute_url())


@role_required("authenticated")
@require_POST
def bench_come(request: HttpRequest, request_id: int) -> HttpResponse:
    """A driver taps "Ich komme"."""
    from modules.rides.models import BenchRequest

    bench_request = BenchRequest.objects.select_related("bench").filter(pk=request_id).first()
    if bench_request is None:
        raise Http404
    if request.POST.get("confirm") != "1":
        return HttpResponseBadRequest()
    try:
        services.bench_request_accept(bench_request=bench_request, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you! %(name)s sees that you are coming.") % {"name": bench_request.name})
    return redirect(bench_request.bench.get_absolute_url())


# --- back office -------------------------------------------------------------------------------


@role_required("town_admin")
@require_http_methods(["GET", "POST"])
def stop_manage(request: HttpRequest) -> HttpResponse:
    form = StopForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.stop_create(acting_user=request.user, name=data["name"], kind=data["kind"],
                                 latitude=data["latitude"], longitude=data["longitude"],
                                 ortsgemeinde=data["ortsgemeinde"], directions=data["directions"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The stop is saved."))
            return redirect("rides:stop-manage")
    return render(request, "rides/manage/stop_list.html", {"form": form, "stops": selectors.stop_list()},
                  status=400 if form.errors else 200)


@role_required("moderator")
@require_http_methods(["GET", "POST"])
def bench_phone(request: HttpRequest) -> HttpResponse:
    """A Digitallotse enters the request of someone who phoned in and is sitting on a bench."""
    form = PhoneBenchRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            bench_request = services.bench_request_create(bench=data["bench"], direction=data["direction"],
                                                          name=data["name"], phone=data["phone"],
                                                          entered_by=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The request is online; drivers are told."))
            return redirect(bench_request.get_absolute_url())
    return render(request, "rides/manage/bench_phone.html", {"form": form}, status=400 if form.errors else 200)


# --- start page --------------------------------------------------------------------------------


def home_widget(request: HttpRequest) -> str:
    """People waiting on a bench now, then the next offers."""
    from modules.rides import bus

    waiting = selectors.bench_requests_waiting()[:HOME_WIDGET_SIZE]
    offers = selectors.offer_list_upcoming(limit=HOME_WIDGET_SIZE)
    departures = bus.next_town_departures(limit=HOME_WIDGET_SIZE)
    if not waiting and not offers and not departures:
        return ""
    return render_to_string("rides/widget.html", {"waiting": waiting, "offers": offers, "departures": departures,
                                                  "today": timezone.localdate()}, request=request)


# --- Bürgerbus and next departures ------------------------------------------------------------


@require_GET
def stop_list(request: HttpRequest) -> HttpResponse:
    """Every stop of the town, the Bürgerbus lines, and the next journeys of the town's own lines."""
    from modules.rides import bus

    return render(request, "rides/stop_list.html", {
        "stops": selectors.stop_list(), "lines": bus.line_list(), "today": timezone.localdate(),
        "departures": bus.next_town_departures(limit=5),
    })


@require_GET
def stop_detail(request: HttpRequest, stop_id: int) -> HttpResponse:
    """A stop: its next departures, today's timetable per line, and rides to it."""
    from django.conf import settings

    from modules.rides import bus

    stop = selectors.stop_get(stop_id)
    if stop is None:
        raise Http404
    today = timezone.localdate()
    return render(request, "rides/stop_detail.html", {
        "stop": stop, "departures": bus.next_departures(stop=stop, limit=6),
        "timetable": bus.timetable_at(stop=stop, day=today), "today": today,
        "transit_info_url": settings.TRANSIT_INFO_URL,
        "offers": selectors.offer_list_upcoming(to_stop=stop, limit=HOME_WIDGET_SIZE),
    })


@role_required("town_admin")
@require_http_methods(["GET", "POST"])
def line_manage(request: HttpRequest) -> HttpResponse:
    """The town enters its Bürgerbus lines as a timetable; an imported feed's lines are listed too."""
    from modules.rides import bus
    from modules.rides.forms import BusLineForm

    form = BusLineForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            bus.line_create(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The line and its timetable are saved."))
            return redirect("rides:line-manage")
    return render(request, "rides/manage/line_list.html", {"form": form, "lines": bus.line_list()},
                  status=400 if form.errors else 200)


@role_required("town_admin")
@require_POST
def line_delete(request: HttpRequest, line_id: int) -> HttpResponse:
    from modules.rides import bus
    from modules.rides.models import BusLine, LineSource

    line = BusLine.objects.filter(pk=line_id, source=LineSource.TOWN).first()
    if line is None:
        raise Http404
    bus.line_delete(acting_user=request.user, line=line)
    messages.success(request, _("The line is deleted."))
    return redirect("rides:line-manage")


@role_required("town_admin")
@require_http_methods(["GET", "POST"])
def feed_manage(request: HttpRequest) -> HttpResponse:
    """The town's GTFS feed: its address (fetched by a task now and every night)."""
    from core.outbox import outbox_enqueue
    from modules.rides.forms import TransitFeedForm
    from modules.rides.models import TransitFeed

    feed, _created = TransitFeed.objects.get_or_create(pk=1)
    form = TransitFeedForm(request.POST if request.method == "POST" else None,
                           request.FILES if request.method == "POST" else None, initial={"url": feed.url})
    if request.method == "POST" and form.is_valid() and form.cleaned_data["upload"]:
        from django.conf import settings

        from modules.rides.gtfs import FeedError, feed_import_start, open_feed

        upload = form.cleaned_data["upload"]
        try:
            if upload.size > settings.GTFS_MAX_BYTES:
                raise FeedError(_("The file is larger than %(mb)s MB.") % {"mb": settings.GTFS_MAX_BYTES // 2**20})
            data = upload.read()
            open_feed(data)  # a file that is no feed is refused here, on the form
        except FeedError as error:
            form.add_error("upload", str(error))
        else:
            feed_import_start(data)
            messages.success(request, _("The file is being imported. Look here again in a few minutes."))
            return redirect("rides:feed-manage")
    elif request.method == "POST" and form.is_valid():
        feed.url = form.cleaned_data["url"]
        feed.save(update_fields=["url", "updated_at"])
        if feed.url:
            outbox_enqueue("rides.gtfs_refresh")  # committed with the address; survives a broker outage
            messages.success(request, _("The address is saved. The timetable is being fetched; "
                                        "look here again in a few minutes."))
        else:
            messages.success(request, _("The address is removed."))
        return redirect("rides:feed-manage")
    return render(request, "rides/manage/feed.html", {"form": form, "feed": feed},
                  status=400 if form.errors else 200)


# --- Bürgerbus seat bookings -------------------------------------------------------------------


def _line_or_404(line_id: int) -> Any:
    from modules.rides.models import BusLine

    line = BusLine.objects.filter(pk=line_id).first()
    if line is None:
        raise Http404
    return line


def _day_from(request: HttpRequest) -> Any:
    import datetime

    try:
        return datetime.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return timezone.localdate()


@role_required("authenticated")
@require_http_methods(["GET", "POST"])
def line_bookings(request: HttpRequest, line_id: int) -> HttpResponse:
    """The dispatcher's day: each journey with its passengers and free seats, and a phone booking form."""
    import datetime

    from core.access import user_passes
    from modules.rides import bus
    from modules.rides.forms import BusLineSettingsForm, PhoneBookingForm
    from modules.rides.models import BusTrip

    line = _line_or_404(line_id)
    if not bus.may_dispatch(request.user, line):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    day = _day_from(request)
    if request.method == "POST" and request.POST.get("day"):
        try:
            day = datetime.date.fromisoformat(request.POST["day"])
        except ValueError:
            pass
    journeys = bus.journeys_on(line=line, day=day)
    stops = bus.line_stops(line)
    stop_ids = [s.pk for s in stops]
    from modules.rides.models import Stop

    form = PhoneBookingForm(request.POST if request.method == "POST" else None, journeys=journeys,
                            stops=Stop.objects.filter(pk__in=stop_ids), initial={"day": day})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        trip = BusTrip.objects.filter(pk=data["trip"], line=line).first()
        if trip is None:
            form.add_error("trip", _("Please choose a journey."))
        else:
            try:
                bus.booking_create(acting_user=request.user, trip=trip, day=data["day"], from_stop=data["from_stop"],
                                   to_stop=data["to_stop"], seats=data["seats"], name=data["name"],
                                   phone=data["phone"], note=data["note"])
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The seat is booked for %(name)s.") % {"name": data["name"]})
                return redirect(f"{request.path}?day={data['day'].isoformat()}")
    settings_form = None
    if user_passes(request.user, "town_admin"):
        settings_form = BusLineSettingsForm(initial={
            "seats": line.seats, "dispatchers": "\n".join(line.dispatchers.values_list("email", flat=True))})
    return render(request, "rides/manage/line_bookings.html", {
        "line": line, "day": day, "journeys": journeys, "form": form, "settings_form": settings_form,
        "previous_day": day - datetime.timedelta(days=1), "next_day": day + datetime.timedelta(days=1),
        "stops": stops,
    }, status=400 if form.errors else 200)


@role_required("town_admin")
@require_POST
def line_settings(request: HttpRequest, line_id: int) -> HttpResponse:
    from modules.rides import bus
    from modules.rides.forms import BusLineSettingsForm

    line = _line_or_404(line_id)
    form = BusLineSettingsForm(request.POST)
    if form.is_valid():
        try:
            bus.line_settings_update(acting_user=request.user, line=line, seats=form.cleaned_data["seats"],
                                     dispatcher_emails=form.cleaned_data["dispatchers"].split())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The line's settings are saved."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("rides:line-bookings", line_id=line.pk)


@role_required("authenticated")
@require_POST
def bus_book(request: HttpRequest) -> HttpResponse:
    """A resident books a seat on a bus journey found in the ride search."""
    from modules.rides import bus
    from modules.rides.forms import BusBookingForm
    from modules.rides.models import BusTrip

    form = BusBookingForm(request.POST)
    trip = BusTrip.objects.filter(pk=request.POST.get("trip") or 0).select_related("line").first() \
        if (request.POST.get("trip") or "").isdigit() else None
    if not form.is_valid() or trip is None:
        messages.error(request, _("The seat could not be booked: please choose the journey again."))
        return redirect("rides:ride-list")
    data = form.cleaned_data
    try:
        bus.booking_create(acting_user=request.user, trip=trip, day=data["day"], from_stop=data["from_stop"],
                       to_stop=data["to_stop"], seats=data["seats"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("rides:ride-list")
    messages.success(request, _("Your seat on the %(line)s is booked.") % {"line": trip.line.name})
    return redirect("rides:ride-mine")


@role_required("authenticated")
@require_POST
def bus_booking_cancel(request: HttpRequest, booking_id: int) -> HttpResponse:
    from django.core.exceptions import PermissionDenied

    from modules.rides import bus
    from modules.rides.models import BusBooking

    booking = BusBooking.objects.select_related("trip__line").filter(pk=booking_id, is_cancelled=False).first()
    if booking is None:
        raise Http404
    try:
        bus.booking_cancel(acting_user=request.user, booking=booking)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("The booking is cancelled; the seat is free again."))
    if booking.passenger_id == request.user.pk:
        return redirect("rides:ride-mine")
    return redirect(f"{reverse_lazy('rides:line-bookings', kwargs={'line_id': booking.trip.line_id})}"
                    f"?day={booking.day.isoformat()}")
