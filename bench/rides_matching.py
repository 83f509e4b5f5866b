"""Mitfahren: matching time and SQL queries for one request against N open offers, and the bench notice.

    python bench/rides_matching.py [--offers 1000] [--drivers 200]

One town with every module on, in a throw-away embedded PostgreSQL/Redis. `--offers` open offers
(half regular on weekdays, half one-off next Tuesday) between random points of a 30 × 30 km square
around Betzdorf, each through the service (bounding box filled as in real use, matching notices
suppressed). Then one request Kausen → Betzdorf Bahnhof next Tuesday 07:30 is matched
(`offers_matching`): median of 20 runs, with the query count and how many offers the indexed
prefilter let through to the exact check. The reverse direction (`requests_matching` for one new
offer against `--offers` open requests) is measured the same way. Last, `--drivers` drivers opt in
for one Mitfahrbank and a bench request is made: the time of the service call (the notices are
queued after commit) and of the delivery to all of them by the notifications worker run eagerly.
Writes bench/results/rides_matching.json with machine info.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

SLUG = "mitfahrdorf"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=1000)
    parser.add_argument("--drivers", type=int, default=200)
    args = parser.parse_args()

    benchlib.state_dir_setup()
    benchlib.paths_setup()
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    import datetime

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from accounts.models import User
    from core.modules import all_modules
    from modules.rides import selectors, services
    from modules.rides.models import Ride, RideKind, Stop
    from tenants.services import tenant_module_enable, town_create

    old_config = setup_databases(verbosity=0, interactive=False)
    call_command("migrate_schemas", shared=True, verbosity=0)
    rng = random.Random(16)
    results: dict[str, object] = {"offers": args.offers, "drivers": args.drivers}
    try:
        town = town_create(name="Mitfahrdorf", kind="gemeinde", slug=SLUG, admin_name="Anna Admin",
                           admin_email="admin@example.org", admin_password="x" * 12)
        for key in all_modules():
            tenant_module_enable(tenant=town, key=key, by_staff=True)
        with schema_context(town.schema_name):
            connection.set_tenant(town)
            services._announce_matches = lambda ride: None  # type: ignore[assignment]  # setup only
            today = timezone.localdate()
            tuesday = today + datetime.timedelta(days=(1 - today.weekday()) % 7 + 7)
            people = [User.objects.create_user(email=f"p{i}@example.org", password=None, name=f"Person {i}",
                                               date_joined=timezone.now() - datetime.timedelta(days=90))
                      for i in range(max(50, args.drivers))]

            def point() -> tuple[float, float]:
                return 50.65 + rng.random() * 0.27, 7.66 + rng.random() * 0.42

            start = time.perf_counter()
            for i in range(args.offers):
                (a_lat, a_lon), (b_lat, b_lon) = point(), point()
                when = {"weekdays": [0, 1, 2, 3, 4]} if i % 2 else {"date": tuesday}
                services.ride_create(acting_user=people[i % len(people)], kind=RideKind.OFFER, from_lat=a_lat,
                                     from_lon=a_lon, to_lat=b_lat, to_lon=b_lon,
                                     time=datetime.time(6 + i % 4, (i * 7) % 60), seats=3,
                                     detour_km=rng.choice([2, 5, 10]), **when)
                services.ride_create(acting_user=people[(i + 1) % len(people)], kind=RideKind.REQUEST,
                                     from_lat=b_lat, from_lon=b_lon, to_lat=a_lat, to_lon=a_lon, date=tuesday,
                                     time=datetime.time(6 + i % 4, (i * 11) % 60))
            results["setup_s"] = round(time.perf_counter() - start, 1)

            request = Ride(kind=RideKind.REQUEST, person_id=people[0].pk, from_lat=50.7526, from_lon=7.8486,
                           to_lat=50.7883, to_lon=7.8716, date=tuesday, time=datetime.time(7, 30),
                           flex_minutes=30, seats=1)
            timings = []
            for _ in range(20):
                with CaptureQueriesContext(connection) as queries:
                    t = time.perf_counter()
                    found = selectors.offers_matching(request)
                    timings.append((time.perf_counter() - t) * 1000)
            in_box = Ride.objects.filter(selectors._containing(request.start), selectors._containing(request.end),
                                         kind=RideKind.OFFER)
            box = in_box.count()
            prefiltered = in_box.filter(selectors._leaves_in_time(request)).count()
            results["request_vs_offers"] = {
                "median_ms": round(statistics.median(timings), 2), "max_ms": round(max(timings), 2),
                "queries": len([q for q in queries.captured_queries if not q["sql"].startswith("SET ")]),
                "in_bounding_box": box, "after_time_prefilter": prefiltered,
                "matches": len(found)}

            offer = Ride.objects.filter(kind=RideKind.OFFER, date__isnull=True).first()
            assert offer is not None
            timings = []
            for _ in range(20):
                with CaptureQueriesContext(connection) as queries:
                    t = time.perf_counter()
                    found = selectors.requests_matching(offer)
                    timings.append((time.perf_counter() - t) * 1000)
            results["offer_vs_requests"] = {
                "median_ms": round(statistics.median(timings), 2), "max_ms": round(max(timings), 2),
                "queries": len([q for q in queries.captured_queries if not q["sql"].startswith("SET ")]),
                "matches": len(found)}

            bench = Stop.objects.create(name="Mitfahrbank", kind="bench", is_bench=True, latitude=50.75,
                                        longitude=7.85)
            station = Stop.objects.create(name="Bahnhof", kind="station", latitude=50.788, longitude=7.872)
            for person in people[:args.drivers]:
                services.bench_watch_set(acting_user=person, bench=bench, on=True)
            from django.conf import settings

            from config.celery import app

            app.conf.task_always_eager = True
            settings.CELERY_TASK_ALWAYS_EAGER = True
            from django.db import transaction

            from modules.notifications.models import Notification

            with transaction.atomic():  # warm-up: imports, caches, the first task round trip
                services.bench_request_create(bench=bench, direction=station, name="Probe")
            Notification.objects.all().delete()
            import cProfile
            import pstats

            profile = cProfile.Profile() if os.environ.get("RIDES_PROFILE") else None
            t = time.perf_counter()
            with transaction.atomic():
                if profile:
                    profile.enable()
                services.bench_request_create(bench=bench, direction=station, name="Erna")
                created = time.perf_counter()
                if profile:
                    profile.disable()
                    pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
            # on_commit ran the (eager) delivery tasks as the block closed
            delivered = time.perf_counter()
            results["bench_notice"] = {
                "service_ms": round((created - t) * 1000, 1), "delivered_ms": round((delivered - t) * 1000, 1),
                "notified": Notification.objects.filter(event="rides.bench").count()}
    finally:
        connection.set_schema_to_public()
        teardown_databases(old_config, verbosity=0)
    results["machine"] = benchlib.machine_info()
    path = benchlib.results_write("rides_matching", results)
    for key, value in results.items():
        if key != "machine":
            print(f"{key}: {value}")
    print(f"written to {path}")


if __name__ == "__main__":
    main()
