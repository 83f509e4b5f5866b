"""Abfallkalender: import time of a year of dates for 17 Ortsgemeinden, and the evening reminder fan-out
for 5,000 residents through a real Celery worker.

    python bench/waste.py [--residents 5000]

1. Import: 17 pickup areas (one per Ortsgemeinde of the demo town), a CSV file with a year of
   dates (Restmüll and Bio every two weeks, Gelber Sack every two weeks, Papier every four: 91
   dates per area, 1,547 rows): seconds to read and check it (preview), to apply it, and to apply
   the same file again (the re-import replaces the year). Then the same year from rules.
2. Reminders: `--residents` residents with a reminder at 00:00 for an area collected tomorrow;
   beat's task `waste.send_reminders` is sent twice, as if beat fired twice, to a real worker
   (celery.contrib.testing, solo pool, in this process); the time until every resident has their
   in-app notification, and the check that each has exactly one.
Runs against a throw-away embedded PostgreSQL/Redis (or DATABASE_URL/REDIS_URL).
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

SLUG = "muelldorf"


def main() -> None:  # noqa: PLR0915
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=5000)
    args = parser.parse_args()

    benchlib.state_dir_setup()
    benchlib.paths_setup()
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ.setdefault("CELERY_SKIP_CHECKS", "1")
    import django

    django.setup()
    from celery.contrib.testing.worker import start_worker
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from accounts.models import User
    from config.celery import app
    from core.modules import all_modules
    from demo.data import ORTSGEMEINDEN
    from modules.notifications.models import Notification, NotificationSettings
    from modules.waste import services
    from modules.waste.models import Pickup, PickupArea, ReminderSent, WasteHome, WasteType
    from modules.waste.rules import rule_dates
    from tenants.services import tenant_module_enable, town_create
    from town.models import Ortsgemeinde

    old_config = setup_databases(verbosity=0, interactive=False)
    call_command("migrate_schemas", shared=True, verbosity=0)
    rows: list[list[object]] = []
    try:
        town = town_create(name="Mülldorf", kind="verbandsgemeinde", slug=SLUG, admin_name="Anna Admin",
                           admin_email="admin@example.org", admin_password="x" * 12)
        for key in all_modules():
            tenant_module_enable(tenant=town, key=key, by_staff=True)
        with schema_context(town.schema_name):
            admin = User.objects.get(email="admin@example.org")
            services.waste_types_seed()
            areas = []
            for name, slug, _codes in ORTSGEMEINDEN:
                village = Ortsgemeinde.objects.create(name=name, slug=slug)
                areas.append(services.area_create(acting_user=admin, name=name, ortsgemeinde=village))
            year = timezone.localdate().year + 1
            names = {"restmuell": "Restmüll", "bio": "Bioabfall", "gelber-sack": "Gelber Sack", "papier": "Papier"}
            lines = ["Datum;Abfallart;Gebiet"]
            for index, area in enumerate(areas):
                new_year = datetime.date(year, 1, 1)
                monday = new_year + datetime.timedelta(days=(7 - new_year.weekday()) % 7)
                first = monday + datetime.timedelta(days=index % 5)
                plan = (("restmuell", 2, 0), ("bio", 2, 1), ("gelber-sack", 2, 1), ("papier", 4, 2))
                for slug, weeks, offset in plan:
                    for day in rule_dates(first=first + datetime.timedelta(weeks=offset), every_weeks=weeks,
                                          year=year, land="RP"):
                        lines.append(f"{day:%d.%m.%Y};{names[slug]};{area.name}")
            data = "\n".join(lines).encode()

            def timed(label: str, action):  # type: ignore[no-untyped-def]
                started = time.perf_counter()
                result = action()
                rows.append([label, f"{time.perf_counter() - started:.2f} s", Pickup.objects.count()])
                return result

            label = f"CSV check + store ({len(lines) - 1} rows, 17 areas)"
            waste_import = timed(label, lambda: services.import_prepare_csv(acting_user=admin, data=data,
                                                                            filename="plan.csv"))
            from modules.waste.selectors import import_preview

            timed("preview diff", lambda: import_preview(waste_import))
            timed("apply (empty year)", lambda: services.import_apply(acting_user=admin, waste_import=waste_import))
            again = services.import_prepare_csv(acting_user=admin, data=data, filename="plan.csv")
            timed("apply again (replaces the year)", lambda: services.import_apply(acting_user=admin,
                                                                                   waste_import=again))
            bio = WasteType.objects.get(slug="bio")
            rule = timed("rule: Bio every 2 weeks, 17 areas", lambda: services.import_prepare_rule(
                acting_user=admin, areas=areas, waste_type=bio, first=datetime.date(year, 1, 6), every_weeks=2,
                year=year))
            timed("apply rule", lambda: services.import_apply(acting_user=admin, waste_import=rule))

            # Queries per page: an area with 5 dates against one with a full year (two years of rules).
            from django.conf import settings
            from django.test import Client
            from django.test.utils import CaptureQueriesContext

            host = f"{SLUG}.{settings.BASE_DOMAIN}"
            few_area, many_area = areas[0], areas[1]
            Pickup.objects.filter(area=few_area).exclude(
                pk__in=list(Pickup.objects.filter(area=few_area).values_list("pk", flat=True)[:5])).delete()
            visitor, office = Client(HTTP_HOST=host), Client(HTTP_HOST=host)
            office.force_login(admin)
            connection.set_schema_to_public()
            for label, client, path in (
                ("area page", visitor, "/waste/bereich/{slug}/"),
                ("area feed", visitor, "/waste/bereich/{slug}/abfall.ics"),
                ("API dates", visitor, f"/api/v1/waste/areas/{{slug}}/pickups/?from={year}-01-01&to={year}-12-31"),
                ("admin: area dates", office, "/waste/manage/areas/{pk}/?jahr=" + str(year)),
            ):
                counts = []
                for area in (few_area, many_area):
                    url = path.format(slug=area.slug, pk=area.pk)
                    client.get(url)
                    with CaptureQueriesContext(connection) as queries:
                        response = client.get(url)
                    assert response.status_code == 200, (url, response.status_code)
                    counts.append(len(queries))
                rows.append([f"queries: {label} (5 vs {Pickup.objects.filter(area=many_area).count()} dates)",
                             "", f"{counts[0]} / {counts[1]}"])
            connection.set_tenant(town)

            # Reminders: everyone in the first area, collected tomorrow.
            tomorrow = timezone.localdate() + datetime.timedelta(days=1)
            area = PickupArea.objects.order_by("pk").first()
            Pickup.objects.get_or_create(area=area, waste_type=bio, date=tomorrow)
            users = User.objects.bulk_create(User(email=f"r{n}@example.org", name=f"Resident {n}",
                                                  date_joined=timezone.now() - datetime.timedelta(days=400))
                                             for n in range(args.residents))
            WasteHome.objects.bulk_create(WasteHome(user=u, area=area, reminder_on=True,
                                                    reminder_time=datetime.time(0)) for u in users)
            NotificationSettings.objects.bulk_create(NotificationSettings(user=u, quiet_hours=False) for u in users)
        connection.set_schema_to_public()
        app.control.purge()
        with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, loglevel="WARNING",
                          shutdown_timeout=60.0):
            started = time.perf_counter()
            for _ in range(2):  # beat fires twice
                with schema_context(town.schema_name):
                    app.send_task("waste.send_reminders", headers={"_schema_name": town.schema_name})
            deadline = started + 900
            with schema_context(town.schema_name):
                while time.perf_counter() < deadline:
                    done = Notification.objects.filter(event="waste.reminder").count()
                    if done >= args.residents:
                        break
                    time.sleep(0.5)
                elapsed = time.perf_counter() - started
                time.sleep(3)  # would a second round arrive late?
                total = Notification.objects.filter(event="waste.reminder").count()
                per_user = Notification.objects.filter(event="waste.reminder").values("user").distinct().count()
                claimed = ReminderSent.objects.count()
        rows.append([f"reminders: {args.residents} residents, beat twice, real worker", f"{elapsed:.2f} s",
                     f"{total} notifications, {per_user} people, {claimed} claims"])
    finally:
        connection.set_schema_to_public()
        teardown_databases(old_config, verbosity=0)
    benchlib.table_print(["step", "time", "result"], rows)
    benchlib.results_write("waste", {"rows": rows, "machine": benchlib.machine_info()})


if __name__ == "__main__":
    main()
