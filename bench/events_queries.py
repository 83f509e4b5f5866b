"""SQL queries of the town calendar's month view, the events list and the start page's events widget,
with 10 and with 5,000 events (a fifth of them weekly series without end).

    python bench/events_queries.py [--small 10] [--large 5000]

Goal: the same number of queries at both sizes (the rows grow, the queries don't). Each page is
requested twice after the data changes; the second (warm) count is reported, with the time it took.
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

SLUG = "festdorf"
PAGES = (("calendar month view", "/kalender/?ort=alle"), ("calendar list view", "/kalender/?ansicht=liste&ort=alle"),
         ("calendar week view", "/kalender/?ansicht=woche&ort=alle"),
         ("calendar month, category filter", "/kalender/?ort=alle&kategorie=sport"),
         ("calendar month, organisation filter", "/kalender/?ort=alle&verein=tus"),
         ("calendar this weekend", "/kalender/?zeitraum=wochenende&ort=alle"),
         ("events list", "/events/"), ("events this weekend", "/events/?when=weekend"),
         ("series page (registration per date)", "/events/kurs/"), ("my dates", "/events/meine-termine/"),
         ("start page", "/"))


def _populate(n: int) -> None:
    """Top the events up to `n`: a fifth weekly series without end, the rest single dates over the next year."""
    from django.utils import timezone

    from core.calendar import TOWN_TZ
    from modules.events.models import Category, Event, EventStatus
    from town.models import Organisation, Ortsgemeinde

    have = Event.objects.count()
    villages = list(Ortsgemeinde.objects.all())
    categories = list(Category.objects.all())
    clubs = list(Organisation.objects.all())
    today = timezone.localtime(timezone.now(), TOWN_TZ).date()
    rows = []
    for i in range(have, n):
        day = today + datetime.timedelta(days=i % 365)
        start = datetime.datetime.combine(day, datetime.time(10 + i % 10), tzinfo=TOWN_TZ)
        series = i % 5 == 0
        rows.append(Event(
            title=f"Veranstaltung {i}", slug=f"veranstaltung-{i}", starts_at=start,
            ends_at=start + datetime.timedelta(hours=2), rrule="FREQ=WEEKLY" if series else "",
            series_ends_at=None if series else start + datetime.timedelta(hours=2),
            status=EventStatus.PUBLISHED, published_at=timezone.now(),
            ortsgemeinde=villages[i % len(villages)] if villages and i % 3 else None,
            category=categories[i % len(categories)] if categories and i % 2 else None,
            organisation=clubs[i % len(clubs)] if clubs and i % 4 == 1 else None))
    Event.objects.bulk_create(rows, batch_size=1000)


def _series_with_registrations(resident: object) -> None:
    """A weekly course of the TuS with registration per date: the resident registered for one date, saved two."""
    import datetime as dt

    from accounts.models import Role, User
    from modules.events.models import Category
    from modules.events.services import event_create, event_save, first_day, registration_create
    from town.models import Organisation

    admin = User.objects.filter(role=Role.ADMIN).first()
    tus = Organisation.objects.create(name="TuS", slug="tus")
    start = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    course = event_create(acting_user=admin, title="Kurs", starts_at=start, ends_at=start + dt.timedelta(hours=2),
                          rrule="FREQ=WEEKLY", registration_enabled=True, capacity=12, organisation=tus,
                          category=Category.objects.get(slug="sport"), publish=True)
    day = first_day(course)
    registration_create(event=course, acting_user=resident, places=2, day=day)
    for weeks in (1, 2):
        event_save(event=course, acting_user=resident, day=day + dt.timedelta(days=7 * weeks))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--large", type=int, default=5000)
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
    from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases
    from django_tenants.utils import schema_context

    from accounts.models import Role, User
    from core.modules import all_modules
    from tenants.services import tenant_module_enable, town_create
    from town.models import Ortsgemeinde, ResidentProfile

    old_config = setup_databases(verbosity=0, interactive=False)
    call_command("migrate_schemas", shared=True, verbosity=0)
    host = f"{SLUG}.{settings.BASE_DOMAIN}"
    rows = []
    try:
        town = town_create(name="Festdorf", kind="gemeinde", slug=SLUG, admin_name="Anna Admin",
                           admin_email="admin@example.org", admin_password="x" * 12)
        for key in all_modules():
            tenant_module_enable(tenant=town, key=key, by_staff=True)
        with schema_context(town.schema_name):
            for name in ("Nord", "Süd", "West"):
                Ortsgemeinde.objects.create(name=name, slug=name.lower().replace("ü", "ue"))
            resident = User.objects.create_user(email="resident@example.org", password=None, name="Rita",
                                                role=Role.RESIDENT)
            ResidentProfile.objects.create(user=resident, ortsgemeinde=Ortsgemeinde.objects.first())
            _series_with_registrations(resident)
            client = Client()
            client.force_login(resident)
        counts: dict[int, dict[str, tuple[int, float]]] = {}
        for n in (args.small, args.large):
            with schema_context(town.schema_name):
                _populate(n)
            counts[n] = {}
            for label, path in PAGES:
                client.get(path, HTTP_HOST=host)
                started = time.perf_counter()
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(path, HTTP_HOST=host)
                assert response.status_code == 200, (path, response.status_code)
                counts[n][label] = (len(queries), time.perf_counter() - started)
        for label, _path in PAGES:
            (small, t_small), (large, t_large) = counts[args.small][label], counts[args.large][label]
            rows.append([label, small, large, f"{t_small * 1000:.0f} ms", f"{t_large * 1000:.0f} ms",
                         "" if small == large else "GROWS"])
        benchlib.table_print(["page (resident)", f"queries @{args.small}", f"queries @{args.large}",
                              f"time @{args.small}", f"time @{args.large}", ""], rows)
        benchlib.results_write("events_queries", {"rows": rows, "machine": benchlib.machine_info()})
    finally:
        connection.set_schema_to_public()
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
