"""Importing a town's GTFS static feed (https://gtfs.org/schedule/reference/) into the timetable.

GTFS is plain CSV in a zip, so the standard zipfile and csv modules read it (no pandas stack). Only
what the town needs is kept: the feed's stops inside the area of the town's own stops (a stop
within 150 m of a town stop becomes that stop), the trips calling there, and their times. The
whole import is one transaction: a refused feed (not a zip, files missing, bad rows, too large)
leaves the previous timetable as it was and says why in German.
"""

from __future__ import annotations

import csv
import datetime
import io
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import outbound
from modules.rides.geo import Point, straight_km
from modules.rides.models import (
    BusLine,
    BusStopTime,
    BusTrip,
    GtfsStagedCall,
    GtfsStagedTerminus,
    LineSource,
    Stop,
    StopKind,
    TransitFeed,
)

REQUIRED_FILES = ("stops.txt", "routes.txt", "trips.txt", "stop_times.txt")
# GTFS asks for calendar.txt, calendar_dates.txt or both: many German feeds give only the dates.
CALENDAR_FILES = ("calendar.txt", "calendar_dates.txt")
SAME_STOP_KM = 0.15
# How far around the town's own stops feed stops are taken (km, as latitude/longitude degrees below).
AREA_MARGIN_DEG = 0.02
BATCH = 2000
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class FeedError(Exception):
    """The feed could not be fetched or is not a usable GTFS feed; the message is for the town admin."""


@dataclass(frozen=True)
class ImportResult:
    lines: int
    stops: int
    trips: int
    stop_times: int


def _rows(archive: zipfile.ZipFile, name: str) -> Iterator[dict[str, str]]:
    with archive.open(name) as raw:
        text: IO[str] = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        for row in csv.DictReader(text):
            yield {k.strip(): (v or "").strip() for k, v in row.items() if k}


def _minutes(value: str, *, where: str) -> int:
    try:
        hours, minutes, _seconds = (int(part) for part in value.split(":"))
    except ValueError:
        raise FeedError(_("The feed has a time that isn't HH:MM:SS (%(where)s).") % {"where": where}) from None
    if not (0 <= hours < 48 and 0 <= minutes < 60):
        raise FeedError(_("The feed has a time that isn't HH:MM:SS (%(where)s).") % {"where": where})
    return hours * 60 + minutes


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        return None


def fetch_feed(url: str) -> bytes:
    """The feed's bytes, through core.outbound with the installation's timeout and size limit."""
    try:
        response = outbound.OutboundClient(
            timeout=settings.GTFS_TIMEOUT_SECONDS, max_bytes=settings.GTFS_MAX_BYTES,
        ).get(url).raise_for_status()
    except outbound.OutboundError as exc:
        raise FeedError(str(exc)) from exc
    return response.body


def open_feed(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise FeedError(_("The file is not a zip archive, so it is no GTFS feed.")) from None
    names = {info.filename.rsplit("/", 1)[-1]: info for info in archive.infolist()}
    missing = [name for name in REQUIRED_FILES if name not in names]
    if not any(name in names for name in CALENDAR_FILES):
        missing.append(" / ".join(CALENDAR_FILES))
    if missing:
        raise FeedError(_("The GTFS feed lacks %(files)s.") % {"files": ", ".join(missing)})
    if sum(info.file_size for info in archive.infolist()) > settings.GTFS_MAX_UNPACKED_BYTES:
        raise FeedError(_("The GTFS feed is too large when unpacked."))
    return archive


def _member(archive: zipfile.ZipFile, name: str) -> str:
    return next(info.filename for info in archive.infolist() if info.filename.rsplit("/", 1)[-1] == name)


def _has(archive: zipfile.ZipFile, name: str) -> bool:
    return any(info.filename.rsplit("/", 1)[-1] == name for info in archive.infolist())


@dataclass
class _Service:
    days: str = ""
    start: datetime.date | None = None
    end: datetime.date | None = None
    added: list[datetime.date] | None = None
    removed: list[datetime.date] | None = None


def _services(archive: zipfile.ZipFile) -> dict[str, _Service]:
    """calendar.txt's weekly patterns with calendar_dates.txt's exceptions (1 = runs, 2 = doesn't)."""
    services: dict[str, _Service] = {}
    if _has(archive, "calendar.txt"):
        for row in _rows(archive, _member(archive, "calendar.txt")):
            services[row["service_id"]] = _Service(
                days="".join(str(i) for i, day in enumerate(_DAYS) if row.get(day) == "1"),
                start=_date(row.get("start_date", "")), end=_date(row.get("end_date", "")))
    if _has(archive, "calendar_dates.txt"):
        for row in _rows(archive, _member(archive, "calendar_dates.txt")):
            day = _date(row.get("date", ""))
            kind = row.get("exception_type", "")
            if day is None or kind not in ("1", "2"):
                raise FeedError(_("calendar_dates.txt has a row that isn't a date with exception type 1 or 2 "
                                  "(service %(service)s).") % {"service": row.get("service_id", "?")})
            service = services.setdefault(row["service_id"], _Service())
            if kind == "1":
                service.added = [*(service.added or []), day]
            else:
                service.removed = [*(service.removed or []), day]
    return services


@transaction.atomic
def import_feed(data: bytes) -> ImportResult:
    """Replace the imported timetable by the feed in `data` in one go (an upload in the back office)."""
    archive = open_feed(data)
    try:
        area = _area(archive)
        trips = _trips(archive)
        calls, last, _rows_read = _scan_calls(archive, area, trips)
        return _apply(archive, area, trips, calls, last)
    except (KeyError, ValueError, UnicodeDecodeError, csv.Error, zipfile.BadZipFile) as exc:
        raise FeedError(_("The GTFS feed could not be read: %(error)s") % {"error": exc}) from None


@dataclass(frozen=True)
class _Area:
    """The feed's stops: every name, and the positions of those inside the town's area."""

    names: dict[str, str]
    positions: dict[str, tuple[float, float]]


def _area(archive: zipfile.ZipFile) -> _Area:
    town_stops = list(Stop.objects.all())
    if town_stops:
        lats = [s.latitude for s in town_stops]
        lons = [s.longitude for s in town_stops]
        box = (min(lats) - AREA_MARGIN_DEG, max(lats) + AREA_MARGIN_DEG,
               min(lons) - AREA_MARGIN_DEG, max(lons) + AREA_MARGIN_DEG)
    else:
        box = (-90.0, 90.0, -180.0, 180.0)
    names: dict[str, str] = {}
    positions: dict[str, tuple[float, float]] = {}
    for row in _rows(archive, _member(archive, "stops.txt")):
        stop_id = row["stop_id"]
        names[stop_id] = row.get("stop_name", "")
        if row.get("location_type", "0") not in ("", "0"):
            continue  # stations, entrances: departures are at their platforms
        try:
            lat, lon = float(row["stop_lat"]), float(row["stop_lon"])
        except ValueError:
            raise FeedError(_("The stop %(stop)s has no valid position.") % {"stop": stop_id}) from None
        if box[0] <= lat <= box[1] and box[2] <= lon <= box[3]:
            positions[stop_id] = (lat, lon)
    return _Area(names=names, positions=positions)


def _trips(archive: zipfile.ZipFile) -> dict[str, tuple[str, str, str]]:
    """trip_id → (route_id, service_id, headsign)."""
    return {row["trip_id"]: (row["route_id"], row["service_id"], row.get("trip_headsign", ""))
            for row in _rows(archive, _member(archive, "trips.txt"))}


Calls = dict[str, list[tuple[int, str, int]]]
Termini = dict[str, tuple[int, str]]


def _scan_calls(archive: zipfile.ZipFile, area: _Area, trips: dict[str, tuple[str, str, str]], *,
                start: int = 0, limit: int | None = None) -> tuple[Calls, Termini, int]:
    """stop_times.txt rows [start, start+limit): the calls at the town's stops, each trip's last stop seen
    (its terminus: no departure there), and how many rows were read."""
    calls: Calls = {}
    last: Termini = {}
    read = 0
    for index, row in enumerate(_rows(archive, _member(archive, "stop_times.txt"))):
        if index < start:
            continue
        if limit is not None and read >= limit:
            break
        read += 1
        trip_id = row["trip_id"]
        if trip_id not in trips:
            raise FeedError(_("A stop time names the trip %(trip)s the feed doesn't have.") % {"trip": trip_id})
        sequence = int(row["stop_sequence"])
        if trip_id not in last or sequence > last[trip_id][0]:
            last[trip_id] = (sequence, row["stop_id"])
        if row["stop_id"] in area.positions:
            value = row.get("departure_time") or row.get("arrival_time", "")
            calls.setdefault(trip_id, []).append((sequence, row["stop_id"], _minutes(value, where=trip_id)))
    return calls, last, read


def _apply(archive: zipfile.ZipFile, area: _Area, trips: dict[str, tuple[str, str, str]], calls: Calls,
           last: Termini) -> ImportResult:
    """Replace the imported lines by the feed's, from the calls found (inside the caller's transaction)."""
    town_stops = list(Stop.objects.exclude(kind=StopKind.BUS_STOP, gtfs_id__gt=""))
    kept: dict[str, Stop] = {}
    created = 0
    used_stops = {stop_id for trip_calls in calls.values() for _seq, stop_id, _minute in trip_calls}
    for stop_id in sorted(used_stops):
        lat, lon = area.positions[stop_id]
        point = Point(lat, lon)
        near = min(town_stops, key=lambda s: straight_km(s.point, point), default=None)
        if near is not None and straight_km(near.point, point) <= SAME_STOP_KM:
            kept[stop_id] = near
            continue
        stop = Stop.objects.filter(kind=StopKind.BUS_STOP, gtfs_id=stop_id[:64]).first()
        if stop is None:
            stop = Stop.objects.create(name=area.names.get(stop_id, "")[:120] or stop_id, kind=StopKind.BUS_STOP,
                                       latitude=lat, longitude=lon, gtfs_id=stop_id[:64])
            created += 1
        town_stops.append(stop)
        kept[stop_id] = stop

    services = _services(archive)
    BusLine.objects.filter(source=LineSource.GTFS).delete()
    lines: dict[str, BusLine] = {}
    for row in _rows(archive, _member(archive, "routes.txt")):
        name = row.get("route_short_name") or row.get("route_long_name") or row["route_id"]
        lines[row["route_id"]] = BusLine(name=name[:120], operator=row.get("route_long_name", "")[:120],
                                         source=LineSource.GTFS, gtfs_id=row["route_id"][:64])
    for trip_id, (route_id, _service, _headsign) in trips.items():
        if route_id not in lines:
            raise FeedError(_("The trip %(trip)s names a route the feed doesn't have.") % {"trip": trip_id})

    used_routes = {trips[t][0] for t in calls}
    BusLine.objects.bulk_create([line for route_id, line in lines.items() if route_id in used_routes])
    new_trips: list[tuple[str, BusTrip]] = []
    for trip_id in calls:
        route_id, service_id, headsign = trips[trip_id]
        service = services.get(service_id, _Service())
        if not service.days and not service.added:
            continue  # a service that never runs
        new_trips.append((trip_id, BusTrip(line=lines[route_id], weekdays=service.days, valid_from=service.start,
                                           valid_until=service.end, added_dates=service.added or [],
                                           removed_dates=service.removed or [],
                                           headsign=(headsign or area.names.get(last[trip_id][1], ""))[:120])))
    BusTrip.objects.bulk_create([trip for _id, trip in new_trips], batch_size=BATCH)
    times = [
        BusStopTime(trip=trip, stop=kept[stop_id], sequence=sequence, minute=minute,
                    is_last=(sequence, stop_id) == last[trip_id])
        for trip_id, trip in new_trips for sequence, stop_id, minute in calls[trip_id]
    ]
    BusStopTime.objects.bulk_create(times, batch_size=BATCH)
    return ImportResult(lines=len(used_routes), stops=created, trips=len(new_trips), stop_times=len(times))


def _record_failure(feed: TransitFeed, error: FeedError) -> TransitFeed:
    feed.last_error = str(error)[:500]
    feed.pending_file, feed.pending_offset = "", 0
    feed.save(update_fields=["last_error", "pending_file", "pending_offset", "updated_at"])
    return feed


def feed_import_start(data: bytes) -> TransitFeed:
    """Check the zip, keep it in the town's private files and queue its import in chunks.

    A fetch and a regional feed's millions of stop times don't fit in one task's time limit: each
    chunk reads CHUNK_ROWS rows in its own short task; the last builds the timetable in one
    transaction, so until then the previous timetable stays as it was.
    """
    from django.core.files.base import ContentFile

    from core.outbox import outbox_enqueue
    from core.storage import private_storage

    feed, _created = TransitFeed.objects.get_or_create(pk=1)
    try:
        open_feed(data)
    except FeedError as error:
        return _record_failure(feed, error)
    name = private_storage().save(f"gtfs/{uuid.uuid4().hex}.zip", ContentFile(data))
    with transaction.atomic():
        feed = TransitFeed.objects.select_for_update().get(pk=1)
        if feed.pending_file:
            _discard(feed.pending_file)  # a newer feed replaces an import still running
        GtfsStagedCall.objects.all().delete()
        GtfsStagedTerminus.objects.all().delete()
        feed.pending_file, feed.pending_offset = name, 0
        feed.save(update_fields=["pending_file", "pending_offset", "updated_at"])
        outbox_enqueue("rides.gtfs_import_chunk", args=[name, 0])
    return feed


def _discard(name: str) -> None:
    from core.storage import delete_files_after_commit, private_storage

    delete_files_after_commit(private_storage(), [name])


def import_chunk(name: str, offset: int) -> str:
    """Read the next rows of stop_times.txt; the last chunk applies the feed. Returns what happened.

    Idempotent: a redelivered or superseded chunk (another file, or rows already read) does nothing.
    """
    from core.outbox import outbox_enqueue
    from core.storage import private_storage

    with transaction.atomic():
        feed = TransitFeed.objects.select_for_update().filter(pk=1).first()
        if feed is None or feed.pending_file != name or feed.pending_offset != offset:
            return "skipped"
        try:
            with private_storage().open(name) as stored, zipfile.ZipFile(stored) as archive:
                area, trips = _area(archive), _trips(archive)
                calls, last, read = _scan_calls(archive, area, trips, start=offset, limit=settings.GTFS_CHUNK_ROWS)
                if read == settings.GTFS_CHUNK_ROWS:
                    _stage(calls, last)
                    feed.pending_offset = offset + read
                    feed.save(update_fields=["pending_offset", "updated_at"])
                    outbox_enqueue("rides.gtfs_import_chunk", args=[name, offset + read])
                    return "chunk"
                _stage(calls, last)
                with transaction.atomic():  # a refused feed rolls back to here, the old timetable stays
                    result = _apply(archive, area, trips, *_staged())
        except (FeedError, KeyError, ValueError, UnicodeDecodeError, csv.Error, zipfile.BadZipFile, OSError) as exc:
            error = exc if isinstance(exc, FeedError) else FeedError(
                _("The GTFS feed could not be read: %(error)s") % {"error": exc})
            GtfsStagedCall.objects.all().delete()
            GtfsStagedTerminus.objects.all().delete()
            _discard(name)
            _record_failure(feed, error)
            return "failed"
        GtfsStagedCall.objects.all().delete()
        GtfsStagedTerminus.objects.all().delete()
        _discard(name)
        feed.last_error, feed.imported_at = "", timezone.now()
        feed.stops, feed.trips, feed.stop_times = result.stops, result.trips, result.stop_times
        feed.pending_file, feed.pending_offset = "", 0
        feed.save()
        return "done"


def _stage(calls: Calls, last: Termini) -> None:
    GtfsStagedCall.objects.bulk_create(
        [GtfsStagedCall(trip_id=trip_id, stop_id=stop_id, sequence=sequence, minute=minute)
         for trip_id, trip_calls in calls.items() for sequence, stop_id, minute in trip_calls], batch_size=BATCH)
    GtfsStagedTerminus.objects.bulk_create(
        [GtfsStagedTerminus(trip_id=trip_id, sequence=sequence, stop_id=stop_id)
         for trip_id, (sequence, stop_id) in last.items()], batch_size=BATCH)


def _staged() -> tuple[Calls, Termini]:
    calls: Calls = {}
    for trip_id, sequence, stop_id, minute in GtfsStagedCall.objects.order_by("pk").values_list(
            "trip_id", "sequence", "stop_id", "minute").iterator(chunk_size=BATCH):
        calls.setdefault(trip_id, []).append((sequence, stop_id, minute))
    last: Termini = {}
    for trip_id, sequence, stop_id in GtfsStagedTerminus.objects.values_list("trip_id", "sequence", "stop_id"):
        if trip_id not in last or sequence > last[trip_id][0]:
            last[trip_id] = (sequence, stop_id)
    return calls, last


def feed_refresh() -> TransitFeed:
    """Fetch the town's configured feed and queue its import; a failed fetch is kept on the feed row."""
    feed, _created = TransitFeed.objects.get_or_create(pk=1)
    if not feed.url:
        return feed
    try:
        data = fetch_feed(feed.url)
    except FeedError as error:
        return _record_failure(feed, error)
    return feed_import_start(data)
