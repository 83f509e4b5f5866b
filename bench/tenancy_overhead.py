"""Throughput of a town's news list with the tenant middleware, against the same view without the host lookup.

    python bench/tenancy_overhead.py [--requests 2000] [--concurrency 4] [--articles 30] [--rounds 5]

Serves the page with gunicorn (2 sync workers, production-like settings) on loopback,
in two variants: Dorfkern's tenant middleware (host → town through the cache), and
the baseline, the same middleware code with the host lookup replaced by a town read
once per process (fixed_tenant.py explains why it is built that way). A third server,
the ceiling, is a plain Django project without django-tenants (bench/plaindjango) serving
a 20-item list from the same PostgreSQL: what Django itself costs for such a page, so the
CPU ratio to it shows how far the whole page (tenancy and application work) is from Django's
own cost (issue 20). A bounded keep-alive HTTP client in threads sends the load.

The variants take turns round by round, in alternating order (A B, B A, ...), so
drift on a shared machine hits both alike. The headline ratio is the median of the
per-round ratios (middleware / baseline of the same round); the best and median
req/s of each variant are shown too. Goal: ratio ≥ 0.95.

Throughput on a shared machine swings with everybody else's load, so the script also
measures the server-side CPU time per request (gunicorn workers + the embedded
PostgreSQL's backends + the embedded Redis) during the timed load; the CPU ratio
(baseline CPU per request / middleware CPU per request) is what the throughput
ratio would be on an otherwise idle, CPU-bound machine. Writes
bench/results/tenancy_overhead.json with machine info.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

HOST = "benchdorf.localhost"
PATH = "/news/"
BASELINE = "baseline (no host lookup)"
MIDDLEWARE = "tenant middleware"
PLAIN = "plain Django, 20 items"
PLAIN_HOST = "localhost"


def _prepare(articles: int) -> str:
    """One town with `articles` published articles in the fresh database; returns the town's schema."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import Role, User
    from modules.news.services import article_create, article_publish
    from tenants.services import tenant_module_enable, town_create

    call_command("migrate_schemas", shared=True, verbosity=0)
    town = town_create(name="Benchdorf", kind="gemeinde", slug="benchdorf", admin_name="Bench",
                       admin_email="bench@example.org", admin_password="bench-password-123")
    tenant_module_enable(tenant=town, key="news")
    connection.set_tenant(town)
    admin = User.objects.get(role=Role.ADMIN)
    for i in range(articles):
        article = article_create(acting_user=admin, title=f"Nachricht {i}", teaser="Kurz", body="<p>Text</p>")
        article_publish(article=article, acting_user=admin)
    connection.set_schema_to_public()
    connection.close()
    return town.schema_name


def _lookup_cost_us(calls: int = 3000) -> float:
    """Microseconds the host lookup adds per request, timed in this process: tenant_for_host (cache hit)
    minus building the instance from a row, which is what the baseline does instead. Being a direct
    measurement of the only difference, it holds up on a busy machine where req/s do not."""
    from tenants.models import Municipality
    from tenants.selectors import _TENANT_FIELDS, tenant_for_host

    row = Municipality.objects.filter(slug="benchdorf").values(*_TENANT_FIELDS).get()
    tenant_for_host(HOST)  # fill the cache, as the first request in production does
    timings = {}
    for name, call in (("lookup", lambda: tenant_for_host(HOST)), ("fixed", lambda: Municipality(**row))):
        best = float("inf")
        for _ in range(5):
            start = time.perf_counter()
            for _ in range(calls):
                call()
            best = min(best, time.perf_counter() - start)
        timings[name] = best / calls * 1e6
    return timings["lookup"] - timings["fixed"]


def _page(port: int, host: str = HOST, path: str = PATH) -> bytes:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Host": host})
    body = conn.getresponse().read()
    conn.close()
    return body


def _load(port: int, total: int, concurrency: int, host: str = HOST, path: str = PATH) -> float:
    """Requests per second for `total` GETs over `concurrency` keep-alive connections."""
    per_thread = total // concurrency
    errors: list[str] = []

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        for _ in range(per_thread):
            conn.request("GET", path, headers={"Host": host})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors.append(str(response.status))
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise RuntimeError(f"{len(errors)} failed requests, e.g. {errors[0]}")
    return per_thread * concurrency / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--articles", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    external_db, external_redis = "DATABASE_URL" in os.environ, "REDIS_URL" in os.environ
    benchlib.fresh_database_urls("dorfkern_bench")
    pg_dir = None if external_db else benchlib.embedded_pg_data_dir("bench-pg")
    redis_pid = None if external_redis else benchlib.embedded_redis_pid("bench-redis")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tenancy_settings"
    plain_url = benchlib.plain_django_prepare("plaindjango_bench")
    schema = _prepare(args.articles)
    lookup_us = _lookup_cost_us()

    # name → (WSGI app, host, path, environment)
    variants = {BASELINE: ("config.wsgi", HOST, PATH, {"BENCH_FIXED_SCHEMA": schema}),
                MIDDLEWARE: ("config.wsgi", HOST, PATH, {}),
                PLAIN: ("plaindjango.wsgi", PLAIN_HOST, "/", benchlib.plain_django_env(plain_url))}
    results: dict[str, list[float]] = {name: [] for name in variants}
    cpu_ms: dict[str, list[float]] = {name: [] for name in variants}
    page_sizes: dict[str, int] = {}
    load_before = os.getloadavg()
    for round_no in range(args.rounds):
        order = list(variants) if round_no % 2 == 0 else list(reversed(variants))
        for name in order:
            app, host, path, env = variants[name]
            port = benchlib.free_port()
            proc = benchlib.gunicorn_start(port, workers=2, probe_host=host, probe_path=path, extra_env=env, app=app)
            try:
                page_sizes[name] = len(_page(port, host, path))
                _load(port, 200, args.concurrency, host, path)  # warm-up: imports, templates, connections
                cpu_before = benchlib.server_cpu_s(proc.pid, pg_dir, redis_pid)
                results[name].append(_load(port, args.requests, args.concurrency, host, path))
                done = args.requests // args.concurrency * args.concurrency
                cpu_ms[name].append((benchlib.server_cpu_s(proc.pid, pg_dir, redis_pid) - cpu_before) * 1000 / done)
            finally:
                benchlib.gunicorn_stop(proc)
        print(f"round {round_no + 1}: " + ", ".join(f"{n} {results[n][-1]:.1f} req/s, {cpu_ms[n][-1]:.2f} CPU ms/req"
                                                for n in variants), flush=True)

    # Both variants must serve the same page, or the comparison is of different work.
    if abs(page_sizes[BASELINE] - page_sizes[MIDDLEWARE]) > 0.01 * page_sizes[BASELINE]:
        raise RuntimeError(f"the variants serve different pages: {page_sizes}")
    paired = [m / b for m, b in zip(results[MIDDLEWARE], results[BASELINE], strict=True)]
    ratio = statistics.median(paired)
    base_median = statistics.median(results[BASELINE])
    cpu_base = statistics.median(cpu_ms[BASELINE])
    cpu_ratio = cpu_base / statistics.median(cpu_ms[MIDDLEWARE])
    cpu_plain = statistics.median(cpu_ms[PLAIN])
    rows = []
    for name, values in results.items():
        cpu = statistics.median(cpu_ms[name])
        rows.append([name, f"{statistics.median(values):.1f}", f"{max(values):.1f}",
                     f"{statistics.median(values) / base_median:.3f}", f"{cpu:.2f}", f"{cpu_base / cpu:.3f}",
                     f"{cpu_plain / cpu:.3f}"])
    print(f"\n{PATH} on {HOST}, gunicorn 2 sync workers, {args.concurrency} client connections, "
          f"{args.rounds} rounds × {args.requests} requests")
    benchlib.table_print(["variant", "median req/s", "best req/s", "ratio of medians", "server CPU ms/req",
                          "CPU ratio", "plain CPU / CPU"], rows)
    print(f"against plain Django (no django-tenants, 20 items, {cpu_plain:.2f} ms): the news list with the tenant "
          f"middleware costs {statistics.median(cpu_ms[MIDDLEWARE]) / cpu_plain:.2f}× its CPU per request")
    print(f"per-round throughput ratios (middleware / baseline): {', '.join(f'{r:.3f}' for r in paired)}; "
          f"median {ratio:.3f} (goal ≥ 0.95)")
    print(f"server CPU per request, baseline / middleware: {cpu_ratio:.3f}"
          + ("" if pg_dir and redis_pid else " (gunicorn workers only: database or Redis not embedded)"))
    lookup_ratio = 1 / (1 + lookup_us / (cpu_base * 1000))
    print(f"the host lookup itself, timed in-process: {lookup_us:.0f} µs per request = "
          f"{lookup_us / (cpu_base * 10):.2f} % of the baseline's {cpu_base:.1f} ms server CPU per request "
          f"(expected ratio {lookup_ratio:.3f})")
    benchlib.results_write("tenancy_overhead", {
        "settings": vars(args),
        "load_average_before": list(load_before),
        "page_bytes": page_sizes,
        "rounds_req_per_s": results,
        "per_round_ratio": paired,
        "ratio": ratio,
        "server_cpu_ms_per_request": cpu_ms,
        "cpu_ratio": cpu_ratio,
        "plain_django_cpu_ms": cpu_plain,
        "cpu_ratio_plain_to_middleware": cpu_plain / statistics.median(cpu_ms[MIDDLEWARE]),
        "lookup_us_per_request": lookup_us,
        "expected_ratio_from_lookup_cost": lookup_ratio,
    })


if __name__ == "__main__":
    main()
