"""RSS of a web worker after 10,000 requests spread over 100 towns, against the same worker warmed up.

    python bench/memory.py [--towns 100] [--requests 10000] [--articles 3]

Provisions `--towns` towns (timed) in a throw-away embedded PostgreSQL/Redis (or
DATABASE_URL/REDIS_URL), each with a few published articles, and serves them with
gunicorn (one sync worker, production-like settings) on loopback. A single client
sends GETs round-robin over every town's host, alternating the start page and the
news list. The baseline is the worker's RSS after 100 requests to a few towns
(warmed up: code imported, templates compiled); later rows report the RSS after
more requests, spread over all towns, as MB and as a ratio to that baseline.
A steadily growing ratio means something is kept per town or per request.
Writes bench/results/memory.json with machine info.
"""

from __future__ import annotations

import argparse
import http.client
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

PATHS = ("/", "/news/")
WARM_TOWNS = 3
BASELINE_REQUESTS = 100


def _slug(i: int) -> str:
    return f"speicher-{i:03d}"


def _provision(towns: int, articles: int) -> float:
    """Create the towns with `articles` published articles each; returns the seconds it took."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django_tenants.utils import schema_context

    from accounts.models import Role, User
    from modules.news.services import article_create, article_publish
    from tenants.services import town_create

    call_command("migrate_schemas", shared=True, verbosity=0)
    start = time.perf_counter()
    for i in range(towns):
        town = town_create(name=f"Speicherdorf {i}", kind="gemeinde", slug=_slug(i), admin_name="Bench",
                           admin_email="bench@example.org", admin_password="bench-password-123")
        with schema_context(town.schema_name):
            admin = User.objects.get(role=Role.ADMIN)
            for n in range(articles):
                article = article_create(acting_user=admin, title=f"Nachricht {n} aus Speicherdorf {i}",
                                         teaser="Kurz", body="<p>Text</p>")
                article_publish(article=article, acting_user=admin)
        if (i + 1) % 25 == 0:
            print(f"{i + 1} towns provisioned ({time.perf_counter() - start:.0f} s)", flush=True)
    elapsed = time.perf_counter() - start
    connection.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--towns", type=int, default=100)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--articles", type=int, default=3)
    args = parser.parse_args()
    if args.requests <= BASELINE_REQUESTS:
        parser.error(f"--requests must be more than the {BASELINE_REQUESTS} warm-up requests")

    import psutil

    benchlib.fresh_database_urls("dorfkern_bench_memory")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tenancy_settings"
    provisioning_s = _provision(args.towns, args.articles)

    port = benchlib.free_port()
    base_domain = os.environ.get("BASE_DOMAIN", "localhost")
    hosts = [f"{_slug(i)}.{base_domain}" for i in range(args.towns)]
    proc = benchlib.gunicorn_start(port, workers=1, probe_host=hosts[0])
    try:
        master = psutil.Process(proc.pid)
        (worker,) = master.children()

        def rss_mb(process: psutil.Process) -> float:
            return process.memory_info().rss / 2**20

        def uss_mb(process: psutil.Process) -> float:
            return process.memory_full_info().uss / 2**20

        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        sent = 0
        failures: list[str] = []

        def send(host: str, path: str) -> None:
            nonlocal sent
            conn.request("GET", path, headers={"Host": host})
            response = conn.getresponse()
            response.read()
            sent += 1
            if response.status != 200:
                failures.append(f"{response.status} {host}{path}")

        # Baseline: warmed up on a few towns only.
        while sent < BASELINE_REQUESTS:
            send(hosts[sent % WARM_TOWNS], PATHS[(sent // WARM_TOWNS) % len(PATHS)])
        checkpoints = sorted({BASELINE_REQUESTS, 1_000, 2_500, 5_000, 7_500, args.requests} & set(
            range(BASELINE_REQUESTS, args.requests + 1)))
        samples = [{"requests": sent, "towns_visited": WARM_TOWNS, "rss_mb": rss_mb(worker),
                    "uss_mb": uss_mb(worker), "master_rss_mb": rss_mb(master), "seconds": 0.0}]
        print(f"baseline after {sent} requests: worker RSS {samples[0]['rss_mb']:.1f} MB", flush=True)
        start = time.perf_counter()
        i = 0
        for checkpoint in checkpoints[1:]:
            while sent < checkpoint:
                send(hosts[i % len(hosts)], PATHS[(i // len(hosts)) % len(PATHS)])
                i += 1
            samples.append({"requests": sent, "towns_visited": min(len(hosts), max(i, WARM_TOWNS)),
                            "rss_mb": rss_mb(worker), "uss_mb": uss_mb(worker), "master_rss_mb": rss_mb(master),
                            "seconds": time.perf_counter() - start})
            print(f"{sent} requests: worker RSS {samples[-1]['rss_mb']:.1f} MB", flush=True)
        conn.close()
        # The same worker throughout: a restarted worker would make the numbers meaningless.
        if [c.pid for c in master.children()] != [worker.pid]:
            raise RuntimeError("the gunicorn worker was replaced during the run")
    finally:
        benchlib.gunicorn_stop(proc)
    if failures:
        raise RuntimeError(f"{len(failures)} requests failed, e.g. {failures[0]}")

    baseline = samples[0]["rss_mb"]
    rows = []
    for sample in samples:
        sample["ratio_to_baseline"] = sample["rss_mb"] / baseline
        rows.append([sample["requests"], sample["towns_visited"], f"{sample['rss_mb']:.1f}",
                     f"{sample['uss_mb']:.1f}", f"{sample['ratio_to_baseline']:.3f}"])
    elapsed = samples[-1]["seconds"]
    print(f"\n{args.towns} towns provisioned in {provisioning_s:.0f} s "
          f"({provisioning_s / args.towns:.2f} s each); {sent - BASELINE_REQUESTS} requests in {elapsed:.0f} s "
          f"({(sent - BASELINE_REQUESTS) / elapsed:.0f} req/s, 1 sync worker)")
    benchlib.table_print(["requests", "towns", "worker RSS MB", "USS MB", "ratio"], rows, align=">>>>>")
    print(f"gunicorn master RSS: {samples[-1]['master_rss_mb']:.1f} MB")
    benchlib.results_write("memory", {
        "settings": vars(args),
        "baseline": f"worker RSS after {BASELINE_REQUESTS} requests to {WARM_TOWNS} towns",
        "provisioning_s": provisioning_s,
        "samples": samples,
        "ratio": samples[-1]["ratio_to_baseline"],
    })


if __name__ == "__main__":
    main()
