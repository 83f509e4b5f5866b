"""Server CPU per request of Dorfkern's pages against a plain Django 20-item page (the ceiling), as ratios.

    python bench/page_cpu.py [--quick] [--rounds 3] [--requests 20] [--roles anonymous,uncached,resident]
                             [--only TEXT] [--before] [--plain-every 6]

Two gunicorn servers (one sync worker each, production-like settings, DEBUG off) on loopback, on
the same embedded PostgreSQL and Redis:

- plain: bench/plaindjango, a `startproject`-style Django project without django-tenants whose one
  page lists 20 items from PostgreSQL (the ceiling: Django's own cost for such a page);
- Dorfkern: the demo town (`load_demo`: every module on, with its samples) plus news topped up
  to 25 articles, so list pages are full.

Pages, as an anonymous visitor (served from the visitor page cache, core.visitor_pages, as the
second visitor after a change is), as an uncached anonymous visitor (each request adds a query
parameter of its own, so every page is rendered, as for the first visitor after a change) and as a
signed-in resident (whose shared pages come from the cache as for the second resident of the same
village and role after a change, core.resident_pages): the start page, news list and detail,
every module's navigation entries (Pinnwand, Branchenbuch, events, ...), every module's RSS feed
and every API list without parameters. A page that doesn't answer 200 for a role is skipped (and
named). With --before a third server runs Dorfkern with the settings before issue 20 (a new
database connection per request, `SET search_path` before every statement, a Redis client built per
cache call), so the settings' effect is measured in the same run.

Server CPU of a request = CPU of the gunicorn worker + PostgreSQL (every backend, the postmaster
and backends that exited during the batch) + Redis, read from /proc/<pid>/task/*/schedstat
(nanoseconds) while `--requests` GETs run one after another; divided by the number of requests.
Rounds alternate the order of the pages, and the plain page is measured again every
`--plain-every` pages: each page's ratio is plain CPU / page CPU against the plain measurement
next to it, the median over rounds is reported, with the load average. Goals (issue 20 B):
anonymous ≥ 0.8, resident ≥ 0.5 (the uncached figure has no goal of its own: it says what a
change costs the first visitor).

Writes bench/results/page_cpu.json. --quick (2 rounds × 10 requests) takes about 3 minutes on a
busy 2-core machine, most of it setting up the demo town.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

PLAIN = "plain Django, 20 items"
DORFKERN = "dorfkern"
BEFORE = "dorfkern before"
# "uncached": an anonymous visitor whose page is not in the visitor page cache (core.visitor_pages), as
# for the first visitor after a change: each request adds a query parameter of its own.
ROLES = ("anonymous", "uncached", "resident")
_unique = iter(range(1, 10**9))


def _path_for(path: str, role: str) -> str:
    if role != "uncached":
        return path
    return f"{path}{'&' if '?' in path else '?'}bench-uncached={next(_unique)}"
PLAIN_HOST = "localhost"


@dataclass
class Page:
    label: str
    path: str


# --- CPU of the server side, in nanoseconds -------------------------------------------------------

def _task_ns(pid: int) -> int:
    """CPU nanoseconds of every thread of `pid` so far (0 when it is gone)."""
    total = 0
    try:
        for task in os.scandir(f"/proc/{pid}/task"):
            try:
                with open(f"{task.path}/schedstat") as stat:
                    total += int(stat.read().split()[0])
            except (OSError, ValueError, IndexError):
                continue
    except OSError:
        return 0
    return total


def _tree_ns(parent: Any) -> int:
    """CPU ns ever used by `parent`'s children: the living ones' schedstat plus the reaped ones' times.

    A child alive at the first reading and gone at the second is counted in full in the parent's reaped
    children times then; the difference of two readings is still exactly the CPU in between, up to the
    clock tick (10 ms) in which the kernel reports the reaped total.
    """
    try:
        times = parent.cpu_times()
        children = parent.children()
    except Exception:  # the server is gone: nothing more to count
        return 0
    reaped = int((times.children_user + times.children_system) * 1e9)
    return reaped + _task_ns(parent.pid) + sum(_task_ns(child.pid) for child in children)


class ServerCpu:
    """Cumulative CPU ns of one gunicorn (workers), the embedded PostgreSQL and Redis."""

    def __init__(self, gunicorn_pid: int, pg_dir: Path | None, redis_pid: int | None) -> None:
        import psutil

        self.gunicorn = psutil.Process(gunicorn_pid)
        self.postmaster = None
        if pg_dir is not None:
            self.postmaster = psutil.Process(int((pg_dir / "postmaster.pid").read_text().split()[0]))
        self.redis_pid = redis_pid

    def ns(self) -> int:
        total = _tree_ns(self.gunicorn)
        if self.postmaster is not None:
            total += _tree_ns(self.postmaster)
        if self.redis_pid is not None:
            total += _task_ns(self.redis_pid)
        return total


# --- the two projects -----------------------------------------------------------------------------

def _dorfkern_prepare() -> tuple[str, str]:
    """The demo town with 25 published articles and a resident; returns (host, resident's session cookie)."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from accounts.models import Role, User
    from demo.loader import demo_load, demo_town_get
    from modules.news.models import Article
    from modules.news.services import article_create, article_publish
    from tenants.models import Municipality
    from town.models import Ortsgemeinde, ResidentProfile

    reused = (Municipality._meta.db_table in connection.introspection.table_names()
              and demo_town_get() is not None)
    # A kept set-up (--state) is brought up to the code's migrations; a fresh one is built.
    call_command("migrate_schemas", shared=not reused, verbosity=0)
    if not reused:
        demo_load()
    town = demo_town_get()
    with tenant_context(town):
        admin = User.objects.filter(role=Role.ADMIN).order_by("pk").first()
        for i in range(Article.objects.filter(status="published").count(), 25):
            article = article_create(acting_user=admin, title=f"Nachricht {i} aus dem Ort", teaser="Kurz gesagt.",
                                     body="<p>Text mit <strong>Inhalt</strong>.</p>")
            article_publish(article=article, acting_user=admin)
        resident, created = User.objects.get_or_create(
            email="bench-resident@example.org", defaults={"name": "Rita Resident", "role": Role.RESIDENT},
        )
        if created:
            resident.privacy_accepted_at = timezone.now()
            resident.save(update_fields=["privacy_accepted_at"])
            ResidentProfile.objects.create(user=resident, ortsgemeinde=Ortsgemeinde.objects.order_by("slug").first())
        client = Client()
        client.force_login(resident)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    host = f"{town.slug}.{settings.BASE_DOMAIN}"
    connection.set_schema_to_public()
    connection.close()
    return host, cookie


def _dorfkern_pages() -> list[Page]:
    """Start, news list and detail, every module's navigation entries and RSS feed, every API list."""
    from django.urls import NoReverseMatch, URLPattern, URLResolver, reverse
    from django_tenants.utils import tenant_context

    from config.urls_tenant import api_patterns
    from core.modules import all_modules
    from demo.loader import demo_town_get
    from modules.news.models import Article

    with tenant_context(demo_town_get()):
        article = Article.objects.filter(status="published").order_by("-pk").first()
        pages = [Page("start", reverse("home")), Page("news list", reverse("news:article-list")),
                 Page("news detail", reverse("news:article-detail", kwargs={"slug": article.slug}))]
        seen = {page.path for page in pages}

        def add(label: str, path: str) -> None:
            if path not in seen:
                seen.add(path)
                pages.append(Page(label, path))

        for key, module in all_modules().items():
            for item in module.spec.nav:
                try:
                    add(f"{key}: {item.url_name.split(':')[-1]}", reverse(item.url_name))
                except NoReverseMatch:
                    continue
        for key in all_modules():
            try:
                add(f"{key}: RSS", reverse(f"{key}:feed-rss"))
            except NoReverseMatch:
                continue
        for label, name in (("API Ortsgemeinden", "api:ortsgemeinde-list"),
                            ("API organisations", "api:organisation-list")):
            add(label, reverse(name))
        for resolver in api_patterns:
            if not isinstance(resolver, URLResolver):
                continue
            for pattern in resolver.url_patterns:
                name = getattr(pattern, "name", None) or ""
                if isinstance(pattern, URLPattern) and name.endswith("-list") and not pattern.pattern.converters:
                    try:
                        add(f"API {resolver.namespace.removesuffix('-api')} {name}",
                            reverse(f"{resolver.namespace}:{name}"))
                    except NoReverseMatch:
                        continue
    return pages


def _statements(targets: list[tuple[Page, str]], host: str, session: str, *, limit_set_calls: bool
                ) -> dict[tuple[str, str], tuple[int, int]]:
    """{(page, role): (SQL statements, of which SET search_path)} of a warm request, in this process."""
    from django.conf import settings
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    clients = {"anonymous": Client(), "uncached": Client(), "resident": Client()}
    clients["resident"].cookies[settings.SESSION_COOKIE_NAME] = session
    counts: dict[tuple[str, str], tuple[int, int]] = {}
    with override_settings(TENANT_LIMIT_SET_CALLS=limit_set_calls):
        for page, role in targets:
            clients[role].get(_path_for(page.path, role), HTTP_HOST=host)  # warm: what a second visit finds
            reset_queries()  # the log keeps 9,000 statements; a full one would count 0
            with CaptureQueriesContext(connection) as captured:
                clients[role].get(_path_for(page.path, role), HTTP_HOST=host)
            connection.set_schema_to_public()
            sets = sum(query["sql"].startswith("SET search_path") for query in captured.captured_queries)
            counts[(page.label, role)] = (len(captured), sets)
    return counts


def _cache_get_us(calls: int = 2000) -> dict[str, float]:
    """CPU µs of one cache GET (a hit), with the process's shared Redis client and with a client built per
    call (Django's own, as before issue 20); best of 5, timed in this process."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    params = settings.CACHES["default"]
    timings = {}
    for name, backend in (("shared client", params["BACKEND"]), ("client per call", "percall_cache.PerCallRedisCache")):
        cache = import_string(backend)(params["LOCATION"], params)
        cache.set("page-cpu-probe", "x" * 200)
        best = float("inf")
        for _ in range(5):
            start = time.process_time()
            for _ in range(calls):
                cache.get("page-cpu-probe")
            best = min(best, time.process_time() - start)
        timings[name] = best / calls * 1e6
    return timings


# --- requests -------------------------------------------------------------------------------------

def _get(port: int, host: str, path: str, cookie: str | None) -> tuple[int, int]:
    headers = {"Host": host}
    if cookie:
        headers["Cookie"] = cookie
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, len(response.read())
    finally:
        conn.close()


@dataclass
class Server:
    name: str
    port: int
    host: str
    proc: Any
    cpu: ServerCpu


def _batch_ms(server: Server, path: str, role: str, cookie: str | None, requests: int, *, warm_up: bool
              ) -> float | None:
    """Server CPU ms per request over `requests` sequential GETs (after one warm-up request in the first
    round); None when a request didn't answer 200 (the page is then left out, not measured with an error
    page's cost)."""
    if warm_up:
        _get(server.port, server.host, _path_for(path, role), cookie)
    before = server.cpu.ns()
    for _ in range(requests):
        status, _size = _get(server.port, server.host, _path_for(path, role), cookie)
        if status != 200:
            print(f"{server.name} {path}: {status}, left out", flush=True)
            return None
    return (server.cpu.ns() - before) / requests / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 rounds × 5 requests per page")
    parser.add_argument("--state", default="",
                        help="keep the embedded servers' folder (and the prepared town) here and reuse it next time")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=20, help="requests per page and round")
    parser.add_argument("--roles", default=",".join(ROLES))
    parser.add_argument("--only", default="", help="measure only pages whose label contains this")
    parser.add_argument("--before", action="store_true",
                        help="also Dorfkern with the settings before issue 20 (no persistent connections, "
                             "SET search_path before every statement, a Redis client per call)")
    parser.add_argument("--statements", action="store_true",
                        help="also count SQL statements per page (and SET search_path among them), one SET per "
                             "request against one before every statement, in this process")
    parser.add_argument("--plain-every", type=int, default=6, help="measure the plain page again after this many")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.requests = 2, 5
    roles = [role for role in args.roles.split(",") if role]

    started = time.monotonic()
    external_db, external_redis = "DATABASE_URL" in os.environ, "REDIS_URL" in os.environ
    if args.state:
        os.environ["DORFKERN_STATE_DIR"] = str(Path(args.state).resolve())
    benchlib.fresh_database_urls("dorfkern_pagecpu", keep=bool(args.state))
    plain_url = benchlib.plain_django_prepare("plaindjango_pagecpu")
    pg_dir = None if external_db else benchlib.embedded_pg_data_dir("bench-pg")
    redis_pid = None if external_redis else benchlib.embedded_redis_pid("bench-redis")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tenancy_settings"
    host, session = _dorfkern_prepare()
    from django.conf import settings

    cookies = {"anonymous": None, "uncached": None, "resident": f"{settings.SESSION_COOKIE_NAME}={session}"}
    pages = [page for page in _dorfkern_pages() if args.only.lower() in page.label.lower()]
    print(f"set up in {time.monotonic() - started:.0f} s; {len(pages)} pages × {len(roles)} roles", flush=True)
    cache_us = _cache_get_us()

    variants = {
        PLAIN: ("plaindjango.wsgi", PLAIN_HOST, "/", benchlib.plain_django_env(plain_url)),
        # The API's throttles count as usual but are never reached by the bench's few hundred calls a minute.
        DORFKERN: ("config.wsgi", host, "/", {"API_RATE_ANON": "1000000/min", "API_RATE_USER": "1000000/min"}),
    }
    if args.before:
        variants[BEFORE] = ("config.wsgi", host, "/", {**variants[DORFKERN][3], "CONN_MAX_AGE": "0",
                                                         "TENANT_LIMIT_SET_CALLS": "false",
                                                         "BENCH_REDIS_CLIENT_PER_CALL": "1"})
    servers: dict[str, Server] = {}
    try:
        for name, (app, probe_host, probe_path, env) in variants.items():
            port = benchlib.free_port()
            proc = benchlib.gunicorn_start(port, workers=1, probe_host=probe_host, probe_path=probe_path,
                                           extra_env=env, app=app)
            servers[name] = Server(name, port, probe_host, proc, ServerCpu(proc.pid, pg_dir, redis_pid))
        # Which pages each role may see (200), and that every server serves them alike.
        targets: list[tuple[Page, str]] = []
        skipped: list[str] = []
        for page in pages:
            for role in roles:
                statuses = {_get(servers[name].port, host, page.path, cookies[role])[0]
                            for name in servers if name != PLAIN}
                if statuses == {200}:
                    targets.append((page, role))
                else:
                    skipped.append(f"{page.label} ({role}: {'/'.join(map(str, sorted(statuses)))})")
        dorfkern_variants = [name for name in servers if name != PLAIN]
        plain_ms: list[float] = []
        cpu: dict[tuple[str, str, str], list[float]] = {}
        ratios: dict[tuple[str, str, str], list[float]] = {}
        failed: set[tuple[str, str]] = set()

        def plain_measure() -> float:
            ms = _batch_ms(servers[PLAIN], "/", "anonymous", None, args.requests, warm_up=not plain_ms)
            if ms is None:
                raise RuntimeError("the plain Django page failed")
            plain_ms.append(ms)
            return ms

        for round_no in range(args.rounds):
            order = targets if round_no % 2 == 0 else list(reversed(targets))
            plain = plain_measure()
            for n, (page, role) in enumerate(order):
                if n and n % args.plain_every == 0:
                    plain = plain_measure()
                names = dorfkern_variants if n % 2 == 0 else list(reversed(dorfkern_variants))
                for name in names:
                    if (page.label, role) in failed:
                        continue
                    ms = _batch_ms(servers[name], page.path, role, cookies[role], args.requests,
                                   warm_up=round_no == 0)
                    if ms is None:
                        failed.add((page.label, role))
                        skipped.append(f"{page.label} ({role}: failed while measured)")
                        continue
                    cpu.setdefault((page.label, role, name), []).append(ms)
                    ratios.setdefault((page.label, role, name), []).append(plain / ms)
            print(f"round {round_no + 1}/{args.rounds} done, plain {statistics.median(plain_ms):.2f} ms, "
                  f"load {os.getloadavg()[0]:.1f}", flush=True)
    finally:
        for server in servers.values():
            benchlib.gunicorn_stop(server.proc)
    statements: dict[bool, dict[tuple[str, str], tuple[int, int]]] = {}
    if args.statements:
        import logging

        logging.getLogger("django.request").setLevel(logging.CRITICAL)
        for limit in (True, False):
            statements[limit] = _statements(targets, host, session, limit_set_calls=limit)

    plain_median = statistics.median(plain_ms)
    headers = ["page", "role", "CPU ms/req", "ratio"]
    if args.before:
        headers += ["before: CPU ms/req", "before: ratio"]
    if statements:
        headers += ["SQL (SET)", "before: SQL (SET)"]
    rows, records = [], []
    targets = [(page, role) for page, role in targets if (page.label, role) not in failed]
    for page, role in targets:
        row: list[Any] = [page.label, role]
        record: dict[str, Any] = {"page": page.label, "path": page.path, "role": role}
        for name in dorfkern_variants:
            ms, ratio = statistics.median(cpu[(page.label, role, name)]), statistics.median(
                ratios[(page.label, role, name)])
            row += [f"{ms:.2f}", f"{ratio:.2f}"]
            record[name] = {"cpu_ms": cpu[(page.label, role, name)], "ratio": ratios[(page.label, role, name)],
                            "median_cpu_ms": ms, "median_ratio": ratio}
        if statements:
            after, before = statements[True][(page.label, role)], statements[False][(page.label, role)]
            row += [f"{after[0]} ({after[1]})", f"{before[0]} ({before[1]})"]
            record["statements"] = {"after": after, "before": before}
        rows.append(row)
        records.append(record)
    print(f"\nserver CPU per request (gunicorn sync worker + PostgreSQL + Redis), median of {args.rounds} rounds "
          f"× {args.requests} requests; ratio = plain CPU / page CPU (goal: anonymous ≥ 0.8, resident ≥ 0.5)")
    print(f"ceiling: {PLAIN}: {plain_median:.2f} ms per request (median of {len(plain_ms)} measurements, "
          f"{min(plain_ms):.2f}–{max(plain_ms):.2f})")
    benchlib.table_print(headers, rows, align="<<" + ">" * (len(headers) - 2))
    for role in roles:
        values = [statistics.median(ratios[(p.label, r, DORFKERN)]) for p, r in targets if r == role]
        if values:
            print(f"{role}: ratio {min(values):.2f}–{max(values):.2f}, median {statistics.median(values):.2f} "
                  f"over {len(values)} pages")
    if skipped:
        # Mostly the back office's entries (302 to sign-in, 403 for a resident): named in the JSON.
        print(f"not measured (no 200 for that role): {len(skipped)} page/role pairs, listed in the JSON")
    print("one cache GET, CPU of the calling process: " + ", ".join(f"{k} {v:.0f} µs" for k, v in cache_us.items())
          + f" (a page's 4 GETs: {4 * cache_us['client per call'] / 1000:.2f} → "
          f"{4 * cache_us['shared client'] / 1000:.2f} ms)")
    print(f"took {time.monotonic() - started:.0f} s")
    benchlib.results_write("page_cpu", {
        "settings": vars(args),
        "plain_cpu_ms": plain_ms,
        "plain_median_cpu_ms": plain_median,
        "cache_get_cpu_us": cache_us,
        "skipped": skipped,
        "results": records,
    })


if __name__ == "__main__":
    main()
