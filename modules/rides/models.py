"""Mitfahren: rides between the villages, offered and asked for by residents, and the Mitfahrbank.

Rides are free or share costs only: no commercial passenger transport (PBefG), and the
pages say so. A ride's ends are a stop the town keeps or a free map point; a free point
is stored exactly (for matching) but only ever shown rounded to about a kilometre.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modules.rides.geo import Point, rounded

MAX_SEATS = 8
MAX_DETOUR_KM = 30
BENCH_REQUEST_MINUTES = 20


class StopKind(models.TextChoices):
    CENTRE = "centre", _("Village centre")
    STATION = "station", _("Railway station")
    BENCH = "bench", _("Mitfahrbank")
    DOCTOR = "doctor", _("Doctors' practice")
    SUPERMARKET = "supermarket", _("Supermarket")
    BUS_STOP = "bus_stop", _("Bus stop")
    OTHER = "other", _("Other place")


class Stop(models.Model):
    """A place the town keeps for rides: a village centre, the station, a Mitfahrbank ..."""

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=StopKind.choices, default=StopKind.CENTRE)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    is_bench = models.BooleanField(_("Mitfahrbank"), default=False)
    ortsgemeinde = models.ForeignKey("town.Ortsgemeinde", verbose_name=_("Ortsgemeinde"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    # For a bench: where people sitting there usually want to go (the sign lists them).
    directions = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="+",
                                        verbose_name=_("directions from this bench"))
    # The stop_id of the town's GTFS feed this stop stands for (set by the import; empty otherwise).
    gtfs_id = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stop")
        verbose_name_plural = _("stops")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        if self.is_bench:
            return reverse("rides:bench", kwargs={"stop_id": self.pk})
        return reverse("rides:stop", kwargs={"stop_id": self.pk})

    @property
    def point(self) -> Point:
        return Point(self.latitude, self.longitude)


class RideKind(models.TextChoices):
    OFFER = "offer", _("Offer")
    REQUEST = "request", _("Request")


class RideStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CANCELLED = "cancelled", _("Cancelled")


class Ride(models.Model):
    """An offer ("I drive") or a request ("I need a ride"), one-off or on weekdays.

    Written only through modules.rides.services. The bounding-box columns of an offer hold its
    route widened by the detour its driver accepts: the indexed prefilter of the matching.
    """

    kind = models.CharField(max_length=10, choices=RideKind.choices)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    from_stop = models.ForeignKey(Stop, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    from_lat = models.FloatField()
    from_lon = models.FloatField()
    to_stop = models.ForeignKey(Stop, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    to_lat = models.FloatField()
    to_lon = models.FloatField()
    # One-off: date. Regular: weekdays ("024" = Monday, Wednesday, Friday) and no date.
    date = models.DateField(_("date"), null=True, blank=True)
    weekdays = models.CharField(_("weekdays"), max_length=7, blank=True)
    time = models.TimeField(_("time"))
    return_time = models.TimeField(_("return time"), null=True, blank=True)
    # A request: how far from its time it may be (minutes either way).
    flex_minutes = models.PositiveSmallIntegerField(_("time window (minutes either way)"), default=30)
    seats = models.PositiveSmallIntegerField(_("seats"), default=1)
    detour_km = models.FloatField(_("detour (km)"), default=0)
    instant_booking = models.BooleanField(_("book without asking me first"), default=False)
    luggage = models.BooleanField(_("room for luggage"), default=False)
    wheelchair = models.BooleanField(_("wheelchair or walker fits"), default=False)
    child_seat = models.BooleanField(_("child seat"), default=False)
    note = models.TextField(_("note"), blank=True, max_length=500)
    status = models.CharField(max_length=10, choices=RideStatus.choices, default=RideStatus.OPEN)
    is_hidden = models.BooleanField(_("hidden by moderators"), default=False)
    min_lat = models.FloatField()
    max_lat = models.FloatField()
    min_lon = models.FloatField()
    max_lon = models.FloatField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ride")
        verbose_name_plural = _("rides")
        ordering = ["date", "time", "pk"]
        indexes = [
            # Offers whose widened route box holds a point: range scans on the box, open ones only.
            models.Index(fields=["kind", "status", "min_lat", "max_lat"], name="rides_box_lat_idx"),
            models.Index(fields=["kind", "status", "min_lon", "max_lon"], name="rides_box_lon_idx"),
            # Requests starting inside an offer's box.
            models.Index(fields=["kind", "status", "from_lat", "from_lon"], name="rides_from_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(seats__gte=1, seats__lte=MAX_SEATS), name="rides_seats_range"),
            models.CheckConstraint(
                condition=models.Q(date__isnull=False) | ~models.Q(weekdays=""), name="rides_date_or_weekdays"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_label} → {self.to_label}"

    def get_absolute_url(self) -> str:
        return reverse("rides:ride-detail", kwargs={"ride_id": self.pk})

    @property
    def is_offer(self) -> bool:
        return self.kind == RideKind.OFFER

    @property
    def is_regular(self) -> bool:
        return self.date is None

    @property
    def start(self) -> Point:
        return Point(self.from_lat, self.from_lon)

    @property
    def end(self) -> Point:
        return Point(self.to_lat, self.to_lon)

    @property
    def from_label(self) -> str:
        return _label(self.from_stop, self.from_lat, self.from_lon)

    @property
    def to_label(self) -> str:
        return _label(self.to_stop, self.to_lat, self.to_lon)

    @property
    def weekday_list(self) -> list[int]:
        return sorted({int(c) for c in self.weekdays})

    def runs_on(self, day: datetime.date) -> bool:
        if self.date is not None:
            return self.date == day
        return day.weekday() in self.weekday_list

    def departure_on(self, day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, self.time))

    def next_dates(self, count: int = 6, *, today: datetime.date | None = None) -> list[datetime.date]:
        """The next days this ride takes place (a one-off: its date, if still ahead)."""
        now = timezone.localtime()
        today = today or now.date()
        if self.date is not None:
            return [self.date] if self.departure_on(self.date) > now else []
        days: list[datetime.date] = []
        day = today
        while len(days) < count and day < today + datetime.timedelta(days=7 * count + 7):
            if self.runs_on(day) and self.departure_on(day) > now:
                days.append(day)
            day += datetime.timedelta(days=1)
        return days


def _label(stop: Stop | None, lat: float, lon: float) -> str:
    if stop is not None:
        return stop.name
    # Never the exact point: a free point may be someone's front door.
    return str(_("Map point near %(lat).2f, %(lon).2f") % {"lat": rounded(lat), "lon": rounded(lon)})


class BookingStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the driver")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_BOOKING = (BookingStatus.PENDING, BookingStatus.CONFIRMED)


class Booking(models.Model):
    """Seats on one offer on one day. Pending and confirmed bookings both hold their seats."""

    ride = models.ForeignKey(Ride, on_delete=models.CASCADE, related_name="bookings")
    passenger = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    seats = models.PositiveSmallIntegerField(_("seats"), default=1)
    status = models.CharField(max_length=10, choices=BookingStatus.choices, default=BookingStatus.PENDING)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    thanks = models.TextField(_("thanks"), blank=True, max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["day", "pk"]
        indexes = [models.Index(fields=["ride", "day", "status"], name="rides_booking_seats_idx")]
        constraints = [
            models.UniqueConstraint(fields=["ride", "passenger", "day"],
                                    condition=models.Q(status__in=["pending", "confirmed"]),
                                    name="rides_one_active_booking_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.ride_id} {self.day} {self.status}"

    def get_absolute_url(self) -> str:
        return reverse("rides:booking-detail", kwargs={"booking_id": self.pk})

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_BOOKING

    @property
    def departure(self) -> datetime.datetime:
        return self.ride.departure_on(self.day)

    def is_party(self, user: Any) -> bool:
        return bool(getattr(user, "pk", None)) and user.pk in (self.passenger_id, self.ride.person_id)


class SavedSearch(models.Model):
    """"Tell me when someone drives to Betzdorf on Tuesdays": checked against every new offer."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    from_stop = models.ForeignKey(Stop, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("from"))
    to_stop = models.ForeignKey(Stop, on_delete=models.CASCADE, related_name="+", verbose_name=_("to"))
    weekday = models.PositiveSmallIntegerField(_("weekday"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "from_stop", "to_stop", "weekday"],
                                    name="rides_saved_search_once", nulls_distinct=False),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.to_stop_id}"


class BenchWatch(models.Model):
    """A driver who wants to hear at once when someone sits on this bench (no bench: on any bench)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    bench = models.ForeignKey(Stop, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "bench"], name="rides_watch_once", nulls_distinct=False),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} watches {self.bench_id}"


class BenchRequest(models.Model):
    """"Ich sitze jetzt hier": someone on a Mitfahrbank, often without an account, for 20 minutes."""

    bench = models.ForeignKey(Stop, on_delete=models.CASCADE, related_name="bench_requests")
    direction = models.ForeignKey(Stop, on_delete=models.CASCADE, related_name="+", verbose_name=_("direction"))
    name = models.CharField(_("first name or nickname"), max_length=40)
    phone = models.CharField(_("phone (optional)"), max_length=30, blank=True)
    # The person's own page: /rides/bank/request/<token>/ (no account needed; per town, unguessable).
    token = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    driver = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    driver_at = models.DateTimeField(null=True, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    is_cancelled = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["expires_at"], name="rides_bench_open_idx")]

    def __str__(self) -> str:
        return f"{self.bench_id} → {self.direction_id}"

    def get_absolute_url(self) -> str:
        return reverse("rides:bench-request", kwargs={"token": self.token})

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_waiting(self) -> bool:
        return not self.is_cancelled and not self.is_expired and self.driver_id is None


# --- Bürgerbus and regular services ---------------------------------------------------------------


class LineSource(models.TextChoices):
    TOWN = "town", _("entered by the town")
    GTFS = "gtfs", _("from the timetable feed")


class BusLine(models.Model):
    """A Bürgerbus line or another regular service with a timetable (entered, or imported from GTFS)."""

    name = models.CharField(_("name"), max_length=120)
    operator = models.CharField(_("run by"), max_length=120, blank=True)
    phone = models.CharField(_("phone for bookings"), max_length=40, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=500)
    source = models.CharField(max_length=10, choices=LineSource.choices, default=LineSource.TOWN)
    gtfs_id = models.CharField(max_length=64, blank=True)
    # Seats the dispatcher hands out per journey; 0: the line takes no bookings through the platform.
    seats = models.PositiveSmallIntegerField(_("bookable seats per journey"), default=0)
    dispatchers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                         verbose_name=_("dispatchers"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bus line")
        verbose_name_plural = _("bus lines")
        ordering = ["source", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class BusTrip(models.Model):
    """One journey of a line: the weekdays it runs on (and, from a feed, the dates it is valid)."""

    line = models.ForeignKey(BusLine, on_delete=models.CASCADE, related_name="trips")
    weekdays = models.CharField(max_length=7, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    # A feed's calendar_dates.txt: holidays the trip skips, single days it runs on besides its weekdays.
    # Kept on the trip (a few dozen dates) so reading departures needs no further query.
    added_dates = ArrayField(models.DateField(), default=list, blank=True)
    removed_dates = ArrayField(models.DateField(), default=list, blank=True)
    headsign = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.line_id}: {self.headsign}"

    def runs_on(self, day: datetime.date) -> bool:
        if day in self.removed_dates:
            return False
        if day in self.added_dates:
            return True
        if self.valid_from and day < self.valid_from or self.valid_until and day > self.valid_until:
            return False
        return str(day.weekday()) in self.weekdays


class BusStopTime(models.Model):
    """When a trip leaves a stop: minutes after the midnight of its service day (a feed may go past 24:00)."""

    trip = models.ForeignKey(BusTrip, on_delete=models.CASCADE, related_name="stop_times")
    stop = models.ForeignKey(Stop, on_delete=models.CASCADE, related_name="bus_times")
    sequence = models.PositiveIntegerField()
    minute = models.PositiveIntegerField()
    is_last = models.BooleanField(default=False)

    class Meta:
        ordering = ["trip_id", "sequence"]
        indexes = [models.Index(fields=["stop", "minute"], name="rides_bustime_stop_idx")]

    def __str__(self) -> str:
        return f"{self.trip_id}@{self.stop_id} {self.clock}"

    @property
    def clock(self) -> str:
        return f"{self.minute // 60 % 24:02d}:{self.minute % 60:02d}"


class BusBooking(models.Model):
    """A seat on one journey of a line on one day, from one stop to a later one.

    Phone bookings are entered by the line's dispatcher (the person has no account: name and phone
    only); residents signed in book their own. Seats count per section of the route, so a seat left
    in Elkenroth can be taken again from there.
    """

    trip = models.ForeignKey(BusTrip, on_delete=models.CASCADE, related_name="bookings")
    day = models.DateField(_("day"))
    from_stop = models.ForeignKey(Stop, on_delete=models.CASCADE, related_name="+", verbose_name=_("from"))
    to_stop = models.ForeignKey(Stop, on_delete=models.CASCADE, related_name="+", verbose_name=_("to"))
    from_sequence = models.PositiveIntegerField()
    to_sequence = models.PositiveIntegerField()
    seats = models.PositiveSmallIntegerField(_("seats"), default=1)
    name = models.CharField(_("name"), max_length=80)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    passenger = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="+")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    is_cancelled = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day", "trip_id", "from_sequence", "pk"]
        indexes = [models.Index(fields=["trip", "day"], name="rides_busbooking_trip_day_idx")]

    def __str__(self) -> str:
        return f"{self.name} {self.day} {self.trip_id}"


class TransitFeed(models.Model):
    """The town's GTFS feed: its address and how the last import went (one row per town)."""

    url = models.URLField(_("address of the GTFS feed (zip)"), max_length=500, blank=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    stops = models.PositiveIntegerField(default=0)
    trips = models.PositiveIntegerField(default=0)
    stop_times = models.PositiveIntegerField(default=0)
    # An import in progress: the fetched zip in the town's private files, read in chunks of rows by
    # short tasks (rides.gtfs_import_chunk); the next chunk starts at `pending_offset`.
    pending_file = models.CharField(max_length=200, blank=True)
    pending_offset = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.url or "GTFS"


class GtfsStagedCall(models.Model):
    """A call at one of the town's stops, found by an import chunk; the last chunk builds the timetable."""

    trip_id = models.CharField(max_length=255)
    stop_id = models.CharField(max_length=255)
    sequence = models.PositiveIntegerField()
    minute = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.trip_id}@{self.stop_id}"


class GtfsStagedTerminus(models.Model):
    """The furthest stop of a trip seen by one import chunk (the trip's terminus is the furthest of all)."""

    trip_id = models.CharField(max_length=255)
    stop_id = models.CharField(max_length=255)
    sequence = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.trip_id} → {self.stop_id}"
