"""Rathaus & Bürgerservice: SQL queries and time of the A–Z page, a service page, the offices API and the
site search with 10 and with 500 services (goal: the same number of queries).

    python bench/services_queries.py [--small 10] [--large 500]

One town with every module on gets `n` published services spread over `n // 25 + 1` offices (each
with weekly hours and a closed day) and Lebenslagen. Each page is requested twice as an anonymous
visitor: cold (cache emptied) and warm. Runs against a throw-away embedded PostgreSQL/Redis (or
DATABASE_URL/REDIS_URL) and writes bench/results/services_queries.json.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

SLUG = "amtsdorf"
PAGES = {
    "A–Z (/services/)": "/services/",
    "A–Z search (?q=ausweis)": "/services/?q=ausweis",
    "service page": "/services/leistung-0000-personalausweis/",
    "offices API": "/api/v1/services/offices/",
    "services API": "/api/v1/services/services/",
    "site search (Personalausweis)": "/suche/?q=Personalausweis",
}


def _populate(n: int) -> None:
    """Top the town up to `n` services (and about one office per 25 services), through the services."""
    import datetime

    from accounts.models import Role, User
    from modules.services import services
    from modules.services.models import LifeSituation, Office, Service

    admin = User.objects.filter(role=Role.ADMIN).order_by("pk").first()
    services.life_situations_seed()
    situations = list(LifeSituation.objects.all())
    for i in range(Office.objects.count(), n // 25 + 1):
        office = services.office_create(acting_user=admin, data={"name": f"Amt {i:03d}", "street": "Rathausplatz 1",
                                                                  "latitude": "50.79", "longitude": "7.87"})
        for weekday in range(5):
            services.office_hour_add(office=office, acting_user=admin, weekday=weekday,
                                     starts_at=datetime.time(8, 30), ends_at=datetime.time(12))
        services.office_day_add(office=office, acting_user=admin,
                                start_date=services.today_local() + datetime.timedelta(days=10), note="Ausflug")
    offices = list(Office.objects.order_by("pk"))
    for i in range(Service.objects.count(), n):
        services.service_create(acting_user=admin, data={
            "title": f"Leistung {i:04d} Personalausweis", "office": offices[i % len(offices)],
            "life_situation": situations[i % len(situations)], "summary": "Ein Ausweis für alle Fälle.",
            "documents": "Alter Ausweis\nPassfoto", "fees": "37,00 €"})


def _count(client: Any, host: str) -> dict[str, dict[str, Any]]:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for label, path in PAGES.items():
        cache.clear()
        numbers, times = [], []
        for _ in range(2):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path, HTTP_HOST=host)
            times.append(round((time.perf_counter() - started) * 1000, 1))
            connection.set_schema_to_public()
            numbers.append(len(captured))
        counts[label] = {"status": response.status_code, "cold": numbers[0], "warm": numbers[1], "warm_ms": times[1]}
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--large", type=int, default=500)
    args = parser.parse_args()

    benchlib.state_dir_setup()
    benchlib.paths_setup()
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_databases, teardown_databases
    from django_tenants.utils import schema_context

    from core.modules import all_modules
    from tenants.services import tenant_module_enable, town_create

    old_config = setup_databases(verbosity=0, interactive=False)
    call_command("migrate_schemas", shared=True, verbosity=0)
    host = f"{SLUG}.{settings.BASE_DOMAIN}"
    results: dict[int, dict[str, dict[str, Any]]] = {}
    try:
        town = town_create(name="Amtsdorf", kind="gemeinde", slug=SLUG, admin_name="Anna Admin",
                           admin_email="admin@example.org", admin_password="x" * 12)
        for key in all_modules():
            tenant_module_enable(tenant=town, key=key, by_staff=True)
        client = Client()
        for n in (args.small, args.large):
            with schema_context(town.schema_name):
                _populate(n)
            connection.set_schema_to_public()
            results[n] = _count(client, host)
    finally:
        connection.set_schema_to_public()
        teardown_databases(old_config, verbosity=0)

    rows = []
    for label in PAGES:
        small, large = results[args.small][label], results[args.large][label]
        rows.append([label, small["status"], f"{small['cold']}/{small['warm']}", f"{large['cold']}/{large['warm']}",
                     small["warm_ms"], large["warm_ms"],
                     "same" if (small["cold"], small["warm"]) == (large["cold"], large["warm"]) else "GROWS"])
    benchlib.table_print(["page", "status", f"queries cold/warm ({args.small})", f"queries cold/warm ({args.large})",
                          f"ms warm ({args.small})", f"ms warm ({args.large})", ""], rows)
    path = benchlib.results_write("services_queries", {"small": args.small, "large": args.large, "results": {
        str(n): counts for n, counts in results.items()}, "machine": benchlib.machine_info()})
    print(f"written to {path}")


if __name__ == "__main__":
    main()
