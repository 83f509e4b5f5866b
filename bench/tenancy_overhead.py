"""Throughput of a town's news list with the tenant middleware, against the same view without it.

    python bench/tenancy_overhead.py [--requests 3000] [--concurrency 4] [--articles 30]

Serves the page with gunicorn (2 sync workers) on loopback twice: once with
Dorfkern's tenant middleware (host → town from the cache), once with a
middleware that fixes the town's schema per process (the baseline). A bounded
keep-alive HTTP client in threads sends the load. Prints a table and writes
bench/results/tenancy_overhead.json with machine info. Goal: ratio ≥ 0.95.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform as stdlib_platform
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
sys.path[:0] = [str(ROOT), str(ROOT / "platform"), str(BENCH)]
HOST = "benchdorf.localhost"
PATH = "/news/"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _prepare(articles: int) -> str:
    """A fresh database with one town and `articles` published articles; returns the town's schema."""
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


def _serve(port: int, extra_env: dict[str, str]) -> subprocess.Popen:
    env = {**os.environ, **extra_env, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "platform"), str(BENCH)])}
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-w", "2", "-k", "sync", "-b", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        env=env, cwd=ROOT, start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", PATH, headers={"Host": HOST})
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGTERM)
    raise RuntimeError("gunicorn did not serve the page")


def _load(port: int, total: int, concurrency: int) -> float:
    """Requests per second for `total` GETs over `concurrency` keep-alive connections."""
    per_thread = total // concurrency
    errors: list[str] = []

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        for _ in range(per_thread):
            conn.request("GET", PATH, headers={"Host": HOST})
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
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--articles", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    os.environ.setdefault("DORFKERN_STATE_DIR", tempfile.mkdtemp(prefix="dorfkern-bench-"))
    from config import embedded

    if "DATABASE_URL" not in os.environ:
        base = embedded.ensure_postgres("bench-pg").replace("postgresql://", "postgres://")
        import psycopg2

        conn = psycopg2.connect(base)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("DROP DATABASE IF EXISTS dorfkern_bench")
            cur.execute("CREATE DATABASE dorfkern_bench")
        conn.close()
        os.environ["DATABASE_URL"] = urlunsplit(urlsplit(base)._replace(path="/dorfkern_bench"))
    if "REDIS_URL" not in os.environ:
        os.environ["REDIS_URL"] = embedded.ensure_redis("bench-redis")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tenancy_settings"
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 50)
    schema = _prepare(args.articles)

    variants = {"baseline (schema fixed)": {"BENCH_FIXED_SCHEMA": schema}, "tenant middleware": {}}
    results: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(args.rounds):  # interleaved rounds, so drift hits both variants alike
        for name, env in variants.items():
            port = _free_port()
            proc = _serve(port, env)
            try:
                _load(port, 200, args.concurrency)  # warm-up
                results[name].append(_load(port, args.requests, args.concurrency))
            finally:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait()
    best = {name: max(values) for name, values in results.items()}
    baseline = best["baseline (schema fixed)"]
    print(f"{'variant':<26} {'req/s (best)':>12} {'ratio':>7}")
    for name, value in best.items():
        print(f"{name:<26} {value:>12.1f} {value / baseline:>7.3f}")
    out = BENCH / "results" / "tenancy_overhead.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({
        "machine": {"python": sys.version.split()[0], "platform": stdlib_platform.platform(), "cpus": os.cpu_count()},
        "settings": vars(args),
        "rounds_req_per_s": results,
        "ratio": best["tenant middleware"] / baseline,
    }, indent=2))
    print(f"written: {out}")


if __name__ == "__main__":
    main()
