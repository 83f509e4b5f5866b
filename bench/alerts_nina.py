"""NINA poll time and SQL queries, and the query cost of the warning banner (modules.alerts).

    python bench/alerts_nina.py [--small 10] [--large 200] [--residents 500]

One town with every module on and `--residents` residents. A local HTTP server plays NINA with
a dashboard of N warnings (N = --small, then --large; MoWaS, DWD and LHP mixed) and their details.
Measured per N: the first poll (everything new: details fetched, warnings stored, announcements
queued), a second poll (nothing changed: the steady state every two minutes), and the SQL queries
of the start page (banner cold = cache emptied, warm) and of /alerts/ with N Bekanntmachungen.
Runs against a throw-away embedded PostgreSQL/Redis (or DATABASE_URL/REDIS_URL).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

SLUG = "warndorf"
ARS = "071320000000"
PROVIDERS = (("mow", "MOWAS", "Severe"), ("dwd", "DWD", "Moderate"), ("lhp", "LHP", "Minor"))


def _answers(n: int) -> dict[str, bytes]:
    dashboard, routes = [], {}
    for i in range(n):
        prefix, provider, severity = PROVIDERS[i % 3]
        ident = f"{prefix}.DE-BENCH-{i:05d}"
        dashboard.append({"id": ident, "payload": {"version": 1, "type": "ALERT", "id": ident, "hash": "0" * 64,
                          "data": {"headline": f"Warnung {i}", "provider": provider, "severity": severity,
                                   "msgType": "Alert", "transKeys": {"event": "BBK-EVC-001"},
                                   "area": {"type": "ZGEM", "data": "1+07132"}}},
                          "i18nTitle": {"de": f"Warnung {i}"}, "sent": "2026-12-06T04:10:00+01:00"})
        routes[f"/api31/warnings/{ident}.json"] = json.dumps({
            "identifier": ident, "sender": "bench", "sent": "2026-12-06T04:10:00+01:00", "status": "Actual",
            "msgType": "Alert", "scope": "Public", "info": [{
                "language": "de-DE", "severity": severity, "headline": f"Warnung {i}",
                "description": "Beschreibung<br/>zweite Zeile", "instruction": "Bleiben Sie zu Hause.",
                "area": [{"areaDesc": "Kreis Altenkirchen"}]}]}).encode()
    routes[f"/api31/dashboard/{ARS}.json"] = json.dumps(dashboard).encode()
    return routes


def _server(routes: dict[str, bytes]) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            body = routes.get(self.path, b"")
            self.send_response(200 if body else 404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/api31"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--large", type=int, default=200)
    parser.add_argument("--residents", type=int, default=500)
    args = parser.parse_args()

    benchlib.state_dir_setup()
    benchlib.paths_setup()
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases
    from django.utils import timezone
    from django_tenants.utils import schema_context, tenant_context

    from accounts.models import User
    from core.modules import all_modules
    from modules.alerts.models import Notice, OfficialWarning, WarningDispatch
    from modules.alerts.services import warnings_poll
    from tenants.services import tenant_module_configure, tenant_module_enable, town_create

    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    settings.CELERY_TASK_ALWAYS_EAGER = False
    old_config = setup_databases(verbosity=0, interactive=False)
    call_command("migrate_schemas", shared=True, verbosity=0)
    rows: list[list[Any]] = []
    results: dict[str, Any] = {}
    try:
        town = town_create(name="Warndorf", kind="gemeinde", slug=SLUG, admin_name="Anna Admin",
                           admin_email="admin@example.org", admin_password="x" * 12)
        for key in all_modules():
            tenant_module_enable(tenant=town, key=key, by_staff=True)
        tenant_module_configure(tenant=town, key="alerts", data={"ars": ARS, "legal_publication": ""})
        client = Client(HTTP_HOST=f"{SLUG}.{settings.BASE_DOMAIN}")
        with schema_context(town.schema_name):
            User.objects.bulk_create([User(email=f"r{i}@example.org", name=f"R {i}") for i in range(args.residents)])
        for n in (args.small, args.large):
            server, base = _server(_answers(n))
            settings.NINA_API_BASE = base
            # tenant_context, as a worker runs a town's task (TownTask): the town's switches are memoised.
            with tenant_context(town):
                OfficialWarning.objects.all().delete()
                WarningDispatch.objects.all().delete()
                Notice.objects.all().delete()
                today = timezone.localdate()
                Notice.objects.bulk_create([Notice(title=f"Bekanntmachung {i}", body="Text", valid_from=today,
                                                   valid_until=today, latitude=50.7, longitude=7.8)
                                            for i in range(n)])
                measured = {}
                for label in ("first poll", "second poll"):
                    # on_commit callbacks (enqueueing the notifications) are left out: no broker needed here.
                    with CaptureQueriesContext(connection) as queries, transaction.atomic():
                        start = time.perf_counter()
                        result = warnings_poll()
                        seconds = time.perf_counter() - start
                        connection.run_on_commit = []  # the bench measures the poll, not the broker
                    measured[label] = (seconds, len(queries), result.announced)
            server.shutdown()
            cache.clear()
            with CaptureQueriesContext(connection) as cold:
                client.get("/")
            with CaptureQueriesContext(connection) as warm:
                client.get("/")
            with CaptureQueriesContext(connection) as overview:
                client.get("/alerts/")
            for label, (seconds, count, announced) in measured.items():
                rows.append([n, label, f"{seconds * 1000:.0f} ms", count, announced])
            rows.append([n, "start page, banner cold", "", len(cold), ""])
            rows.append([n, "start page, banner warm", "", len(warm), ""])
            rows.append([n, "/alerts/ (N notices)", "", len(overview), ""])
            results[str(n)] = {"poll": measured, "start_cold": len(cold), "start_warm": len(warm),
                               "overview": len(overview)}
    finally:
        connection.set_schema_to_public()
        teardown_databases(old_config, verbosity=0)
    benchlib.table_print(["N warnings", "what", "time", "queries", "announced"], rows)
    print(f"results: {benchlib.results_write('alerts_nina', {'args': vars(args), 'results': results})}")


if __name__ == "__main__":
    main()
