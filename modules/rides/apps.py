from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from core.calendar import CalendarSource
from core.maps import MapLayer
from core.modules import FeatureModule, HomeWidget, ModuleSpec, NavItem, PeriodicTask, SampleObject
from core.page_cache import CachedFor
from core.personal_data import PersonalData
from core.search import SearchProvider
from modules.moderation.capabilities import ModeratedContent
from modules.notifications.capabilities import NotificationTopic


def _sample_person(email: str, name: str) -> Any:
    """A resident older than the new-account limits (samples must never hit them)."""
    from django.utils import timezone

    from accounts.models import User

    user, _created = User.objects.get_or_create(
        email=email, defaults={"name": name, "date_joined": timezone.now() - datetime.timedelta(days=60)}
    )
    return user


def _sample_stops() -> tuple[Any, Any]:
    from modules.rides.models import Stop, StopKind

    bench, _c = Stop.objects.get_or_create(name="Mitfahrbank Isolation", defaults={
        "kind": StopKind.BENCH, "is_bench": True, "latitude": 50.74, "longitude": 7.88})
    station, _c = Stop.objects.get_or_create(name="Bahnhof Isolation", defaults={
        "kind": StopKind.STATION, "latitude": 50.79, "longitude": 7.87})
    return bench, station


def _sample_ride() -> dict[str, Any]:
    from modules.rides.services import ride_create

    bench, station = _sample_stops()
    ride = ride_create(acting_user=_sample_person("fahrer-isolation@example.org", "Frieda Fahrer"),
                       kind="offer", from_stop=bench, to_stop=station, weekdays=[0, 1, 2, 3, 4],
                       time=datetime.time(7, 15), seats=3, detour_km=5, instant_booking=True)
    return {"ride_id": ride.pk}


def _sample_booking() -> dict[str, Any]:
    from accounts.models import Role, User
    from modules.rides.models import Ride
    from modules.rides.services import booking_create

    ride = Ride.objects.get(pk=_sample_ride()["ride_id"])
    # The town's admin is the passenger: a booking is private to its two people, and the isolation
    # suite opens it as the admin on its own town (and must get 404 as the other town's admin).
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    booking = booking_create(ride=ride, day=ride.next_dates(1)[0],
                             acting_user=admin or _sample_person("mitfahrer-isolation@example.org", "Max Mitfahrer"))
    return {"booking_id": booking.pk}


def _sample_bench() -> dict[str, Any]:
    bench, _station = _sample_stops()
    return {"stop_id": bench.pk}


def _sample_bench_request() -> dict[str, Any]:
    from modules.rides.services import bench_request_create

    bench, station = _sample_stops()
    request = bench_request_create(bench=bench, direction=station, name="Erna")
    return {"token": request.token, "request_id": request.pk}


def _sample_search() -> dict[str, Any]:
    from modules.rides.services import saved_search_create

    _bench, station = _sample_stops()
    search = saved_search_create(acting_user=_sample_person("sucher-isolation@example.org", "Susi Sucher"),
                                 to_stop=station, weekday=1)
    return {"search_id": search.pk}


def _sample_line() -> dict[str, Any]:
    from accounts.models import Role, User
    from modules.rides.bus import line_create

    bench, station = _sample_stops()
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    line = line_create(acting_user=admin, name="Bürgerbus Isolation", weekdays=[0, 1, 2, 3, 4],
                       timetable=f"{bench.name} | 08:00 13:00\n{station.name} | 08:20 13:20")
    return {"line_id": line.pk, "stop_id": bench.pk}


def _sample_bus_booking() -> dict[str, Any]:
    import datetime

    from django.utils import timezone

    from modules.rides.bus import booking_create
    from modules.rides.models import BusLine

    line = BusLine.objects.get(pk=_sample_line()["line_id"])
    line.seats = 4
    line.save(update_fields=["seats"])
    trip = line.trips.order_by("pk").first()
    stop_times = list(trip.stop_times.select_related("stop").order_by("sequence"))
    day = timezone.localdate() + datetime.timedelta(days=7 - timezone.localdate().weekday())  # next Monday
    booking = booking_create(acting_user=_sample_person("bus-isolation@example.org", "Berta Bus"), trip=trip, day=day,
                             from_stop=stop_times[0].stop, to_stop=stop_times[-1].stop)
    return {"booking_id": booking.pk, "line_id": line.pk}


class RidesConfig(FeatureModule):
    name = "modules.rides"
    label = "rides"
    verbose_name = _("Rides")

    spec = ModuleSpec(
        key="rides",
        name=_("Rides"),
        description=_(
            "Residents offer and find rides between the villages, regular or one-off, and book a seat; "
            "people on a Mitfahrbank ask for a ride without an account; the Bürgerbus with its timetable, "
            "seat bookings and the next departures. Free or sharing costs only."
        ),
        pillar="Mobilität",
        nav=(
            NavItem(_("Rides"), "rides:ride-list", order=50),
            NavItem(_("Stops and benches"), "rides:stop-manage", permission="town_admin", order=50, backoffice=True),
            NavItem(_("Bench request by phone"), "rides:bench-phone", permission="moderator", order=51,
                    backoffice=True),
            NavItem(_("Bürgerbus lines"), "rides:line-manage", permission="town_admin", order=52, backoffice=True),
        ),
        requires=("moderation",),
        has_api=True,
        provides=(
            HomeWidget(render="modules.rides.views.home_widget", order=50, cache=CachedFor(vary="town")),
            NotificationTopic("rides.matches", _("Rides that fit"),
                              _("When a new ride fits your request or one of your saved searches, "
                                "or someone needs a ride on your route."), default_on=True, order=50),
            NotificationTopic("rides.bench", _("People waiting on a Mitfahrbank"),
                              _("At once, for the benches you chose on the bench's page."),
                              default_on=True, order=51),
            ModeratedContent(kind="rides.ride", label=_("Ride"), get="modules.rides.facade.ride_summary",
                             set_hidden="modules.rides.facade.ride_set_hidden",
                             delete="modules.rides.facade.ride_delete",
                             visible_to="modules.rides.facade.ride_visible_to"),
            CalendarSource(key="mitfahren", label=_("Rides"),
                           personal_entries="modules.rides.selectors.calendar_bookings", order=50),
            MapLayer(key="rides.stops", label=_("Ride stops"), points="modules.rides.selectors.map_stops",
                     colour="#0f766e", order=50),
            MapLayer(key="rides.benches", label=_("Mitfahrbänke"), points="modules.rides.selectors.map_benches",
                     colour="#7c3aed", order=51),
            MapLayer(key="rides.waiting", label=_("Waiting on a bench now"),
                     points="modules.rides.selectors.map_bench_requests", colour="#b91c1c", order=52),
            SampleObject(create=_sample_ride, url_names=(
                "rides:ride-detail", "rides:ride-book", "rides:ride-cancel")),
            SampleObject(create=_sample_booking, url_names=(
                "rides:booking-detail", "rides:booking-confirm", "rides:booking-decline", "rides:booking-cancel",
                "rides:booking-message", "rides:booking-thank", "rides:booking-ical")),
            SampleObject(create=_sample_bench, url_names=("rides:bench", "rides:bench-sign", "rides:bench-watch")),
            SampleObject(create=_sample_bench_request, url_names=(
                "rides:bench-request", "rides:bench-request-cancel", "rides:bench-come")),
            SampleObject(create=_sample_search, url_names=("rides:search-delete",)),
            SearchProvider(search="modules.rides.search.search", label=_("Rides, stops and buses"), order=50),
            PeriodicTask(task="rides.gtfs_refresh", every_seconds=24 * 3600),
            SampleObject(create=_sample_line,
                         url_names=("rides:stop", "rides:line-delete", "rides-api:stop-departures",
                                    "rides:line-bookings", "rides:line-settings")),
            SampleObject(create=_sample_bus_booking, url_names=("rides:bus-booking-cancel",)),
            PersonalData(key="rides", export="modules.rides.personal_data.export",
                         erase="modules.rides.personal_data.erase",
                         stores=_("Your ride offers and requests with route and times, bookings and saved searches."),
                         purpose=_("Arrange rides between neighbours"),
                         categories=(_("Name and e-mail address"),
                                     _("Places and addresses the person gives"),
                                     _("Dates and times")),
                         legal_basis=_("Art. 6(1)(b) GDPR: the terms of use the person accepted when registering"),
                         retention=_("Until it expires or the person deletes it; at the latest with the account")),
        ),
    )
