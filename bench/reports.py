"""Mängelmelder: SQL queries of the public list/map, the back-office queue and Open311 with 10 and 10,000
reports, and the time of the duplicate check (bounding box on the lat/lon btree + exact haversine), also
as the reporting form's live check asks it over HTTP.

    python bench/reports.py [--small 10] [--large 10000] [--repeat 200]

One town with every module on; reports spread over ~10 × 10 km around Betzdorf. Each page is
requested warm (after one request that fills the caches) on the town's host; the duplicate check
runs `--repeat` times at random points and reports the median and the 95th percentile, with
EXPLAIN's plan of its query.
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

SLUG = "meldedorf"
LAT, LON = 50.7500, 7.8000


def _populate(n: int) -> None:
    from modules.reports.models import Category, Report

    categories = list(Category.objects.order_by("pk"))
    have = Report.objects.count()
    rng = random.Random(n)
    Report.objects.bulk_create([
        Report(category=categories[i % len(categories)], description=f"Meldung {i}: Laterne dunkel",
               latitude=LAT + rng.random() * 0.09, longitude=LON + rng.random() * 0.14,
               status=("received", "in_progress", "done", "forwarded")[i % 4])
        for i in range(have, n)
    ], batch_size=2000)
    with __import__("django").db.connection.cursor() as cursor:
        cursor.execute("ANALYZE reports_report")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--large", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    benchlib.state_dir_setup()
    benchlib.paths_setup()
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import logging

    import django

    django.setup()
    logging.getLogger("django.request").setLevel(logging.ERROR)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases
    from django_tenants.utils import schema_context

    from accounts.models import Role, User
    from core.modules import all_modules
    from modules.reports.models import Category
    from modules.reports.selectors import duplicates_near
    from tenants.services import tenant_module_enable, town_create

    old_config = setup_databases(verbosity=0, interactive=False)
    call_command("migrate_schemas", shared=True, verbosity=0)
    host = f"{SLUG}.{settings.BASE_DOMAIN}"
    pages = [("public list", "/reports/", False), ("public list, open only", "/reports/?status=open", False),
             ("town map /karte/", "/karte/", False), ("back-office queue", "/reports/manage/", True),
             ("back-office queue, overdue", "/reports/manage/?overdue=on", True),
             ("Open311 requests.json", "/open311/v2/requests.json", False),
             ("Open311 requests.xml", "/open311/v2/requests.xml", False)]
    rows, results = [], {}
    try:
        town = town_create(name="Meldedorf", kind="gemeinde", slug=SLUG, admin_name="Anna Admin",
                           admin_email="admin@example.org", admin_password="x" * 12)
        for key in all_modules():
            tenant_module_enable(tenant=town, key=key, by_staff=True)
        visitor, office = Client(), Client()
        with schema_context(town.schema_name):
            office.force_login(User.objects.get(role=Role.ADMIN))
        for n in (args.small, args.large):
            with schema_context(town.schema_name):
                _populate(n)
            connection.set_schema_to_public()
            with schema_context(town.schema_name):
                first = Category.objects.order_by("pk").first()
            live = f"/reports/melden/in-der-naehe/?category={first.pk}&lat={LAT + 0.045}&lon={LON + 0.07}"
            for label, path, staff in [*pages, ("live duplicate check (JSON)", live, True)]:
                client = office if staff else visitor
                client.get(path, HTTP_HOST=host)
                with CaptureQueriesContext(connection) as queries:
                    status = client.get(path, HTTP_HOST=host).status_code
                results.setdefault(label, {})[n] = (len(queries), status)
            office.get(live, HTTP_HOST=host)
            live_ms = []
            for _ in range(50):
                start = time.perf_counter()
                office.get(live, HTTP_HOST=host)
                live_ms.append((time.perf_counter() - start) * 1000)
            results.setdefault("live check over HTTP, 50×", {})[n] = (
                "", f"median {statistics.median(live_ms):.2f} ms")
            with schema_context(town.schema_name):
                category = Category.objects.order_by("pk").first()
                rng = random.Random(1)
                timings, found = [], 0
                for _ in range(args.repeat):
                    lat, lon = LAT + rng.random() * 0.09, LON + rng.random() * 0.14
                    with CaptureQueriesContext(connection) as queries:
                        start = time.perf_counter()
                        found += len(duplicates_near(category=category, lat=lat, lon=lon))
                        timings.append((time.perf_counter() - start) * 1000)
                timings.sort()
                results.setdefault("duplicate check", {})[n] = (
                    len(queries), f"median {statistics.median(timings):.2f} ms, "
                                  f"p95 {timings[int(len(timings) * 0.95) - 1]:.2f} ms, {found} found")
                if n == args.large:
                    with connection.cursor() as cursor:
                        cursor.execute("EXPLAIN " + str(
                            duplicates_near.__globals__["public_reports"]().filter(
                                category=category, latitude__gte=LAT, latitude__lte=LAT + 0.0005,
                                longitude__gte=LON, longitude__lte=LON + 0.0007).query))
                        plan = "\n".join(row[0] for row in cursor.fetchall())
    finally:
        connection.set_schema_to_public()
        teardown_databases(old_config, verbosity=0)
    for label, by_n in results.items():
        small, large = by_n[args.small], by_n[args.large]
        rows.append([label, small[0], large[0], small[1], large[1]])
    benchlib.table_print(["what", f"queries@{args.small}", f"queries@{args.large}", f"@{args.small}",
                          f"@{args.large}"], rows, align="<>><<")
    print("\nduplicate-check plan at", args.large, "reports:\n" + plan)
    benchlib.results_write("reports", {"settings": vars(args), "rows": rows, "plan": plan})


if __name__ == "__main__":
    main()
