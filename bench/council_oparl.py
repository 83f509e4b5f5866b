"""OParl sync time and SQL queries (modules.council), and the queries of the council pages.

    python bench/council_oparl.py [--organizations 20] [--meetings 200] [--papers 2000] [--page-size 50]

One town with every module on. A local HTTP server plays the town's RIS: the recorded fixtures of
tests/modules/council/fixtures scaled up to `--organizations` Gremien (10 people each, one membership
per person), `--meetings` meetings (8 agenda items, an invitation and minutes each) and `--papers` papers
(a main file, an attachment, a consultation naming an agenda item), in pages of `--page-size` linked by
`links.next`. Measured: the first (full) sync, an incremental sync with nothing changed (the hourly
steady state), an incremental sync after 10 % of the meetings changed, and the queries of the RIS pages.
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
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

SLUG = "ratsdorf"
T = "https://schema.oparl.org/1.1/"


def _lists(base: str, args: argparse.Namespace, *, changed: int = 0) -> dict[str, list[dict[str, Any]]]:
    o = f"{base}/oparl"
    orgs = [{"id": f"{o}/organization/{i}", "type": T + "Organization", "name": f"Ausschuss {i}",
             "organizationType": "Gremium", "classification": "Ausschuss" if i else "Rat",
             "modified": "2026-11-01T08:00:00+01:00"} for i in range(args.organizations)]
    people = [{"id": f"{o}/person/{i}", "type": T + "Person", "name": f"Person {i}",
               "membership": [{"id": f"{o}/membership/{i}", "type": T + "Membership",
                               "organization": f"{o}/organization/{i % args.organizations}", "role": "Mitglied",
                               "votingRight": True, "startDate": "2024-07-01"}]}
              for i in range(args.organizations * 10)]
    meetings = []
    for i in range(args.meetings):
        mid = f"{o}/meeting/{i}"
        meetings.append({
            "id": mid, "type": T + "Meeting", "name": f"{i}. Sitzung" + (" (geändert)" if i < changed else ""),
            "start": f"2027-{1 + i % 12:02d}-{1 + i % 28:02d}T18:00:00+01:00",
            "end": f"2027-{1 + i % 12:02d}-{1 + i % 28:02d}T20:00:00+01:00",
            "location": {"id": f"{o}/location/1", "type": T + "Location", "description": "Rathaus, Sitzungssaal"},
            "organization": [f"{o}/organization/{i % args.organizations}"],
            "invitation": {"id": f"{o}/file/m{i}a", "type": T + "File", "name": "Einladung",
                           "mimeType": "application/pdf", "accessUrl": f"{base}/ris/m{i}a.pdf"},
            "resultsProtocol": {"id": f"{o}/file/m{i}b", "type": T + "File", "name": "Niederschrift",
                                "mimeType": "application/pdf", "accessUrl": f"{base}/ris/m{i}b.pdf"},
            "agendaItem": [{"id": f"{mid}/ti/{n}", "type": T + "AgendaItem", "meeting": mid, "number": str(n),
                            "order": n, "name": f"Tagesordnungspunkt {n}", "public": n != 7} for n in range(1, 9)],
            "modified": "2026-12-05T10:00:00+01:00" if i < changed else "2026-11-01T08:00:00+01:00"})
    papers = [{"id": f"{o}/paper/{i}", "type": T + "Paper", "name": f"Vorlage über Thema {i}",
               "reference": f"VG/2026/{i:04d}", "date": "2026-11-02", "paperType": "Beschlussvorlage",
               "mainFile": {"id": f"{o}/file/p{i}", "type": T + "File", "name": "Vorlage",
                            "mimeType": "application/pdf", "accessUrl": f"{base}/ris/p{i}.pdf"},
               "auxiliaryFile": [{"id": f"{o}/file/p{i}x", "type": T + "File", "name": "Anlage",
                                  "mimeType": "application/pdf", "accessUrl": f"{base}/ris/p{i}x.pdf"}],
               "consultation": [{"id": f"{o}/consultation/{i}", "type": T + "Consultation",
                                 "agendaItem": f"{o}/meeting/{i % args.meetings}/ti/{2 + i % 5}",
                                 "meeting": f"{o}/meeting/{i % args.meetings}", "role": "Beschlussfassung"}]}
              for i in range(args.papers)]
    return {"organizations": orgs, "people": people, "meetings": meetings, "papers": papers}


class Ris:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.base = ""
        self.changed = 0
        self.requests = 0

    def answer(self, target: str) -> bytes:
        parts = urlsplit(target)
        o = f"{self.base}/oparl"
        if parts.path == "/oparl/":
            return json.dumps({"id": f"{o}/", "type": T + "System", "oparlVersion": T, "body": f"{o}/bodies"}).encode()
        if parts.path == "/oparl/bodies":
            body = {"id": f"{o}/body/1", "type": T + "Body", "name": "Verbandsgemeinde Ratsdorf", **{
                kind: f"{o}/body/1/{name}" for kind, name in (("organization", "organizations"),
                                                              ("person", "people"), ("meeting", "meetings"),
                                                              ("paper", "papers"))}}
            return json.dumps({"data": [body], "links": {}}).encode()
        name = parts.path.rsplit("/", 1)[-1]
        query = dict(p.split("=", 1) for p in parts.query.split("&") if "=" in p)
        items = _lists(self.base, self.args, changed=self.changed)[name]
        if "modified_since" in query:
            items = [i for i in items if i.get("modified", "").startswith("2026-12-05")]
        page, size = int(query.get("page", "1")), self.args.page_size
        chunk = items[(page - 1) * size:page * size]
        links = {}
        if page * size < len(items):
            extra = f"&modified_since={query['modified_since']}" if "modified_since" in query else ""
            links["next"] = f"{o}/body/1/{name}?page={page + 1}{extra}"
        return json.dumps({"data": chunk, "links": links}).encode()


def _server(ris: Ris) -> ThreadingHTTPServer:
    cache: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            ris.requests += 1
            key = f"{ris.changed}:{self.path}"
            body = cache.get(key) or cache.setdefault(key, ris.answer(self.path))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    ris.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organizations", type=int, default=20)
    parser.add_argument("--meetings", type=int, default=200)
    parser.add_argument("--papers", type=int, default=2000)
    parser.add_argument("--page-size", type=int, default=50)
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
    from django_tenants.utils import tenant_context

    from core.modules import all_modules
    from modules.council.models import OparlAgendaItem, OparlFile, OparlMeeting, OparlPaper
    from modules.council.services import oparl_sync
    from tenants.services import tenant_module_configure, tenant_module_enable, town_create

    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    ris = Ris(args)
    server = _server(ris)
    old_config = setup_databases(verbosity=0, interactive=False)
    call_command("migrate_schemas", shared=True, verbosity=0)
    rows: list[list[Any]] = []
    results: dict[str, Any] = {}
    try:
        town = town_create(name="Ratsdorf", kind="verbandsgemeinde", slug=SLUG, admin_name="Anna Admin",
                           admin_email="admin@example.org", admin_password="x" * 12)
        for key in all_modules():
            tenant_module_enable(tenant=town, key=key, by_staff=True)
        tenant_module_configure(tenant=town, key="council", data={
            "council_name": "Digitaler Rat", "council_intro": "", "oparl_url": f"{ris.base}/oparl/"})
        for label, changed in (("full sync", 0), ("incremental, nothing changed", 0),
                               ("incremental, 10 % of meetings changed", args.meetings // 10)):
            ris.changed, ris.requests = changed, 0
            with tenant_context(town), CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                result = oparl_sync()
                seconds = time.perf_counter() - start
            assert result.ok, result.error
            rows.append([label, f"{seconds:.2f} s", len(queries), ris.requests, result.objects])
            results[label] = {"seconds": seconds, "queries": len(queries), "requests": ris.requests,
                              "objects": result.objects}
        with tenant_context(town):
            stored = {"meetings": OparlMeeting.objects.count(), "agenda_items": OparlAgendaItem.objects.count(),
                      "papers": OparlPaper.objects.count(), "files": OparlFile.objects.count()}
            meeting, paper = OparlMeeting.objects.order_by("pk").first(), OparlPaper.objects.order_by("pk").first()
        client = Client(HTTP_HOST=f"{SLUG}.{settings.BASE_DOMAIN}")
        for path in ("/council/", "/council/ris/", "/council/ris/vorlagen/", "/council/ris/vorlagen/?q=Thema",
                     f"/council/ris/sitzungen/{meeting.pk}/", f"/council/ris/vorlagen/{paper.pk}/",
                     "/kalender/ical/quelle/ratssitzungen/"):
            client.get(path)
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                status = client.get(path).status_code
                seconds = time.perf_counter() - start
            rows.append([path, f"{seconds * 1000:.0f} ms", len(queries), status, ""])
            results[path] = {"queries": len(queries), "ms": seconds * 1000}
        results["stored"] = stored
    finally:
        server.shutdown()
        connection.set_schema_to_public()
        teardown_databases(old_config, verbosity=0)
    benchlib.table_print(["what", "time", "queries", "requests/status", "objects"], rows)
    print(f"stored: {stored}")
    print(f"results: {benchlib.results_write('council_oparl', {'args': vars(args), 'results': results})}")


if __name__ == "__main__":
    main()
