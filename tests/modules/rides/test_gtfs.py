"""Next departures from the town's GTFS feed, fetched from a local server serving a recorded zip
(fixtures/gtfs_small.zip, made by fixtures/make_gtfs.py): stops matched to the town's, times past
midnight in the town's time zone, bad feeds refused with a German message and the old timetable kept."""

from __future__ import annotations

import datetime
import io
import threading
import time
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.utils import timezone

from modules.rides import bus
from modules.rides.gtfs import feed_refresh
from modules.rides.models import BusLine, BusStopTime, Stop, TransitFeed
from modules.rides.tasks import gtfs_refresh
from tests.helpers import TownClient, admin_of, host_of, logged_in_client, shown
from tests.modules.rides.helpers import next_weekday

FEED = (Path(__file__).parent / "fixtures" / "gtfs_small.zip").read_bytes()


@pytest.fixture(scope="module")
def feed_server() -> Iterator[dict]:
    state: dict = {"routes": {}}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            status, body, delay = state["routes"].get(self.path, (404, b"", 0.0))
            time.sleep(delay)
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/zip")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:
                pass

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state["url"] = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def feed(feed_server, settings, stops):
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    settings.GTFS_TIMEOUT_SECONDS = 1.0
    feed_server["routes"] = {"/vrm.zip": (200, FEED, 0.0)}
    TransitFeed.objects.update_or_create(pk=1, defaults={"url": feed_server["url"] + "/vrm.zip"})
    return feed_server


def _import_queued() -> list:
    """Run the queued import chunks as a worker would, until the last one has applied the feed."""
    from tests.outbox_helpers import outbox_run_pending

    outcomes: list = []
    while ran := outbox_run_pending("rides.gtfs_import_chunk"):
        outcomes += ran
    return outcomes


def _local(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def test_the_feed_is_imported_and_departures_cross_midnight(feed, stops, town_a):
    assert gtfs_refresh() == ""
    assert _import_queued() == ["done"]
    status = TransitFeed.objects.get()
    assert (status.trips, status.stop_times, status.stops) == (3, 9, 1)
    # Betzdorf Bahnhof and Kausen are the town's stops (within 150 m); Elkenroth Post is new; Köln stays out.
    assert Stop.objects.filter(name="Elkenroth Post", kind="bus_stop").exists()
    assert not Stop.objects.filter(name="Köln Hbf").exists()
    assert list(BusLine.objects.values_list("name", flat=True)) == ["282"]

    kausen, friday = stops["kausen"], next_weekday(4)
    late = bus.next_departures(stop=kausen, now=_local(friday, 23, 55))[0]
    assert late.when == _local(friday + datetime.timedelta(days=1), 0, 10) and late.headsign == "Elkenroth Post"
    # Just after midnight, Friday's late bus is still to come; on Saturday night the next is Sunday's.
    assert bus.next_departures(stop=kausen, now=_local(friday + datetime.timedelta(days=1), 0, 5))[0].when == late.when
    assert bus.next_departures(stop=kausen, now=_local(friday + datetime.timedelta(days=1), 23, 55))[0].when == \
        _local(friday + datetime.timedelta(days=2), 10, 10)
    page = TownClient(host_of(town_a)).get(f"/rides/stops/{kausen.pk}/").content.decode()
    assert "282" in page and shown("Next departures") in page


def _zip(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


def test_bad_feeds_are_refused_and_the_last_timetable_stays(feed, settings, stops):
    feed_refresh()
    _import_queued()
    before = BusStopTime.objects.count()
    with zipfile.ZipFile(io.BytesIO(FEED)) as archive:
        files = {name: archive.read(name).decode() for name in archive.namelist()}
    broken_times = files | {"stop_times.txt": files["stop_times.txt"] + "t1,xx,xx,de:7132:200,9\n"}
    cases = [
        ((200, b"<html>Wartung</html>", 0.0), "ist kein Zip-Archiv"),
        ((200, _zip({"stops.txt": files["stops.txt"]}), 0.0), "Im GTFS-Datensatz fehlt routes.txt, trips.txt"),
        ((200, _zip(broken_times), 0.0), "nicht die Form HH:MM:SS"),
        ((500, b"", 0.0), ""),
        ((200, FEED, 2.0), ""),
    ]
    for route, message in cases:
        feed["routes"]["/vrm.zip"] = route
        feed_refresh()
        _import_queued()
        status = TransitFeed.objects.get()
        assert status.last_error, route[1][:20]
        assert message in status.last_error  # in German, for the town admin
        assert BusStopTime.objects.count() == before
    settings.GTFS_MAX_BYTES = 500
    feed["routes"]["/vrm.zip"] = (200, FEED, 0.0)
    assert feed_refresh().last_error and BusStopTime.objects.count() == before


def test_the_town_admin_sets_the_feed_address_and_sees_a_failure(feed, town_a, passenger):
    admin = logged_in_client(town_a, admin_of(town_a))
    assert admin.post("/rides/manage/feed/", {"url": "kein link"}).status_code == 400
    assert admin.post("/rides/manage/feed/", {"url": feed["url"] + "/missing.zip"}).status_code == 302
    feed_refresh()
    page = admin.get("/rides/manage/feed/").content.decode()
    assert shown("The last fetch failed: %(error)s The previous timetable stays.", error="|").split("|")[0] in page
    assert logged_in_client(town_a, passenger).post("/rides/manage/feed/", {"url": ""}).status_code in (302, 403)
    assert TransitFeed.objects.get().url.endswith("/missing.zip")


def test_the_town_admin_uploads_a_feed_and_a_bad_file_changes_nothing(stops, town_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    admin = logged_in_client(town_a, admin_of(town_a))
    bad = admin.post("/rides/manage/feed/", {"url": "", "upload": SimpleUploadedFile("feed.zip", b"kein zip")})
    assert bad.status_code == 400 and "Zip-Archiv" in bad.content.decode() and not BusStopTime.objects.exists()
    good = admin.post("/rides/manage/feed/", {"url": "", "upload": SimpleUploadedFile("feed.zip", FEED)})
    assert good.status_code == 302 and not BusStopTime.objects.exists()  # imported by the worker, in chunks
    assert _import_queued() == ["done"] and BusStopTime.objects.count() == 9


def test_calendar_dates_skip_holidays_and_add_single_days(stops, town_a):
    """calendar_dates.txt: a weekday service skips a holiday Friday; a service given only by dates runs on
    exactly those days; a feed with no calendar.txt at all is read too."""
    from modules.rides.gtfs import import_feed
    from tests.modules.rides.fixtures.make_gtfs import FILES

    kausen, friday = stops["kausen"], next_weekday(4)
    holiday, market_day = friday + datetime.timedelta(days=7), friday + datetime.timedelta(days=8)
    dates = ("service_id,date,exception_type\n"
             f"wd,{holiday:%Y%m%d},2\n"
             f"extra,{market_day:%Y%m%d},1\n")
    trips = FILES["trips.txt"] + "r282,extra,t4,Markt\n"
    times = FILES["stop_times.txt"] + "t4,15:00:00,15:00:00,de:7132:100,1\nt4,15:10:00,15:10:00,de:7132:200,2\n" \
                                      "t4,15:20:00,15:20:00,de:7132:300,3\n"
    import_feed(_zip(FILES | {"calendar_dates.txt": dates, "trips.txt": trips, "stop_times.txt": times}))

    assert bus.next_departures(stop=kausen, now=_local(friday, 6, 0))[0].when == _local(friday, 7, 11)
    # The holiday Friday: no 07:11 bus; the next is Saturday's 10:10 weekend bus.
    assert bus.next_departures(stop=kausen, now=_local(holiday, 6, 0))[0].when == _local(market_day, 10, 10)
    market = [d for d in bus.next_departures(stop=kausen, now=_local(market_day, 11, 0), limit=10)
              if d.headsign == "Markt"]
    assert [d.when for d in market] == [_local(market_day, 15, 10)]  # once, not every Saturday

    only_dates = {name: text for name, text in FILES.items() if name != "calendar.txt"}
    result = import_feed(_zip(only_dates | {"calendar_dates.txt": f"service_id,date,exception_type\n"
                                                                  f"wd,{friday:%Y%m%d},1\n"}))
    assert result.trips == 2  # t1 and t2 run on that Friday; the weekend service never runs
    assert [d.when for d in bus.next_departures(stop=kausen, now=_local(friday, 6, 0))][:1] == [_local(friday, 7, 11)]

    bad = FILES | {"calendar_dates.txt": "service_id,date,exception_type\nwd,morgen,3\n"}
    with pytest.raises(Exception, match="calendar_dates.txt"):
        import_feed(_zip(bad))


def test_a_feed_is_imported_in_chunks_and_a_redelivered_chunk_does_nothing(feed, settings, stops):
    """Four rows per task: three chunks build the same timetable as one go; a chunk delivered twice is
    skipped; a bad row in the last chunk keeps the previous timetable and its staged rows are gone."""
    from modules.rides.gtfs import import_chunk
    from modules.rides.models import GtfsStagedCall

    settings.GTFS_CHUNK_ROWS = 4
    feed_refresh()
    outcomes = _import_queued()
    assert outcomes == ["chunk", "chunk", "done"]  # 10 rows of stop_times.txt
    status = TransitFeed.objects.get()
    assert (status.trips, status.stop_times, status.stops, status.pending_file) == (3, 9, 1, "")
    assert import_chunk("gtfs/whatever.zip", 4) == "skipped" and BusStopTime.objects.count() == 9

    with zipfile.ZipFile(io.BytesIO(FEED)) as archive:
        files = {name: archive.read(name).decode() for name in archive.namelist()}
    broken = files["stop_times.txt"] + "t1,xx,xx,de:7132:200,9\n"
    feed["routes"]["/vrm.zip"] = (200, _zip(files | {"stop_times.txt": broken}), 0.0)
    feed_refresh()
    assert _import_queued()[-1] == "failed"
    status = TransitFeed.objects.get()
    assert "HH:MM:SS" in status.last_error
    assert BusStopTime.objects.count() == 9 and not GtfsStagedCall.objects.exists() and status.pending_file == ""
