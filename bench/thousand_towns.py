"""1,000 towns on one machine: provisioning at 1, 100 and 1,000 towns, then pages round-robin over 1–1,000 towns.

    python bench/thousand_towns.py [--counts 1,10,100,1000] [--probes 3] [--requests 600] [--jobs 2]
                                   [--fresh] [--no-serve] [--fill-fsync on|off]

Keeps its embedded PostgreSQL/Redis in `.dorfkern-bench/` (git-ignored; or DATABASE_URL/REDIS_URL) and
its towns between runs: a second run adds only the towns that are missing, so it is quick. `--fresh`
starts from an empty database.

1. **Provisioning** (issue 20 §C): the towns are added in stages up to each of `--counts`; at each stage
   `--probes` more towns are provisioned one at a time and removed again, timed (wall, CPU of this
   process + the database's backends) with fsync on, as in production. The admin's password arrives
   hashed (a signup hashes it with the production hasher while the person waits for the form, not during
   provisioning); the hash itself is timed once apart. Probes of stages an earlier run already passed are
   read from the state folder (`probes.json`), with the date they were taken.
   The fill between probes is not measured and runs `--jobs` processes in parallel; with
   `--fill-fsync off` (default) the database skips fsync while filling, which on this VM is most of a
   copy's wall time (one fsync per index built), and turns it back on for the probes and pages.
2. **Pages** (§F): gunicorn (1 sync worker, production-like settings, `CONN_MAX_AGE` 60 as in production)
   serves the start page and the news list, alternating, round-robin over the first N towns for each N of
   `--counts`. Each round first visits every one of its towns once (not measured: a town's first visit
   fills its cache entries; the second pass finds them visited), then sends `--requests` measured GETs
   from one keep-alive client. Reported:
   median and p90 latency, server CPU per request (gunicorn worker + PostgreSQL + Redis; autovacuum is
   paused for the rounds so that it doesn't run on the thousands of new tables meanwhile), and both as a
   ratio to the 1-town round of the same pass. Two passes, the second in reverse order, against drift.
3. **Size**: disk and catalogue rows (pg_class, pg_attribute) per town, and the 10,000-town extrapolation
   (catalogue rows, disk, provisioning time at the measured per-town cost).

Writes bench/results/thousand_towns.json with machine info.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

DATABASE = "dorfkern_bench_thousand"
PATHS = ("/", "/news/")
ARTICLES = 2
SLUG_PREFIX = "tausend-"
STATE_DIR = Path(os.environ.get("DORFKERN_STATE_DIR", benchlib.ROOT / ".dorfkern-bench"))


def _slug(i: int) -> str:
    return f"{SLUG_PREFIX}{i:05d}"


def _setup(*, fresh: bool) -> None:
    os.environ["DORFKERN_STATE_DIR"] = str(STATE_DIR)  # before config.embedded is imported: kept between runs
    benchlib.fresh_database_urls(DATABASE, keep=not fresh)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tenancy_settings"
    import django

    django.setup()


def _password_hash() -> str:
    from django.contrib.auth.hashers import make_password

    return make_password("bench-password-123")


def _town_add(i: int, password_hash: str) -> None:
    """Town number `i` with a few published articles; a half-made one from a killed run is removed first."""
    from django_tenants.utils import schema_context

    from accounts.models import Role, User
    from modules.news.services import article_create, article_publish
    from tenants.models import Municipality
    from tenants.services import town_create, town_remove_partial

    slug = _slug(i)
    with schema_context("public"):
        existing = Municipality.objects.filter(slug=slug).first()
    if existing is not None:
        if existing.is_active:
            return
        town_remove_partial(schema_name=existing.schema_name, slug=slug)
    town = town_create(name=f"Tausenddorf {i}", kind="gemeinde", slug=slug, admin_name="Bench",
                       admin_email="bench@example.org", admin_password_hash=password_hash)
    with schema_context(town.schema_name):
        admin = User.objects.get(role=Role.ADMIN)
        for n in range(ARTICLES):
            article = article_create(acting_user=admin, title=f"Nachricht {n} aus Tausenddorf {i}",
                                     teaser="Kurz", body="<p>Text</p>")
            article_publish(article=article, acting_user=admin)


def _fill_worker(first: int, stop: int, step: int) -> None:
    _setup(fresh=False)
    password_hash = _password_hash()
    for i in range(first, stop, step):
        _town_add(i, password_hash)


def _towns_present() -> int:
    from django_tenants.utils import schema_context

    from tenants.models import Municipality

    with schema_context("public"):
        return Municipality.objects.filter(slug__startswith=SLUG_PREFIX, is_active=True).count()


def _fill(target: int, jobs: int, fsync_off: bool, external_db: bool) -> float:
    """Add towns until `target` exist, in `jobs` processes; returns the seconds it took."""
    from django.db import connection

    present = _towns_present()
    if present >= target:
        return 0.0
    print(f"filling {present} → {target} towns with {jobs} processes"
          + (" (fsync off while filling)" if fsync_off and not external_db else ""), flush=True)
    with benchlib.fsync_off(fsync_off and not external_db):
        connection.close()
        start = time.perf_counter()
        env = {**os.environ, "PYTHONPATH": benchlib.PYTHONPATH}
        workers = [subprocess.Popen([sys.executable, __file__, "--fill-worker", str(j), str(target), str(jobs)],
                                    env=env, cwd=benchlib.ROOT) for j in range(jobs)]
        try:
            while any(w.poll() is None for w in workers):
                time.sleep(15)
                print(f"  {_towns_present()} towns ({time.perf_counter() - start:.0f} s)", flush=True)
                connection.close()
        finally:
            for w in workers:
                if w.poll() is None:
                    w.terminate()
                    w.wait()
    if any(w.returncode for w in workers):
        raise RuntimeError("a fill process failed")
    return time.perf_counter() - start


def _probe(count: int, n: int, password_hash: str, pg_dir: Path | None) -> dict[str, Any]:
    """Provision `n` towns one at a time with `count` present, timed, and remove them again: each as a
    copy of the template and (where the code has spares) once more from a spare copied ahead, untimed."""
    from django.db import connection

    from tenants import schema_template
    from tenants.models import Municipality
    from tenants.services import town_create

    top_up = getattr(schema_template, "template_spares_top_up", None)
    samples: dict[str, tuple[list[float], list[float]]] = {"copy": ([], []), "spare": ([], [])}
    for k in range(n):
        for way in ("copy", "spare") if top_up else ("copy",):
            if way == "spare":
                top_up(count=1)
            with benchlib.CpuMeter(pg_dir) as cpu:
                start = time.perf_counter()
                town = town_create(name="Probe", kind="gemeinde", slug=f"probe-{way}-{count}-{k}", admin_name="Bench",
                                   admin_email="bench@example.org", admin_password_hash=password_hash)
                samples[way][0].append(time.perf_counter() - start)
            samples[way][1].append(cpu.client_s + (cpu.db_s or 0.0))
            connection.set_schema_to_public()
            Municipality.objects.get(pk=town.pk).delete(force_drop=True)
    walls, cpus = samples["copy"]
    result = {"towns": count, "wall_s": statistics.median(walls), "cpu_s": statistics.median(cpus),
              "wall_samples_s": walls, "cpu_samples_s": cpus, "load_1min": os.getloadavg()[0],
              "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    if samples["spare"][0]:
        result.update({"spare_wall_s": statistics.median(samples["spare"][0]),
                       "spare_cpu_s": statistics.median(samples["spare"][1]),
                       "spare_wall_samples_s": samples["spare"][0], "spare_cpu_samples_s": samples["spare"][1]})
    return result


def _size() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FILTER (WHERE n.nspname LIKE 't\\_%%'), count(*),"
            " count(*) FILTER (WHERE n.nspname = 'town_template')"
            " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace")
        town_rels, all_rels, template_rels = cursor.fetchone()
        cursor.execute(
            "SELECT count(*) FILTER (WHERE n.nspname LIKE 't\\_%%'), count(*) FROM pg_attribute a"
            " JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace")
        town_attrs, all_attrs = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 't\\_%%'")
        (schemas,) = cursor.fetchone()
        cursor.execute("SELECT pg_database_size(current_database())")
        (db_bytes,) = cursor.fetchone()
        cursor.execute(
            "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'town_template' AND c.relkind = 'r'")
        (template_bytes,) = cursor.fetchone()
    return {"town_schemas": schemas, "pg_class_rows": all_rels, "pg_class_rows_in_towns": town_rels,
            "pg_class_rows_per_town": town_rels / max(schemas, 1), "pg_class_rows_template": template_rels,
            "pg_attribute_rows": all_attrs, "pg_attribute_rows_per_town": town_attrs / max(schemas, 1),
            "database_bytes": db_bytes, "database_bytes_per_town": db_bytes / max(schemas, 1),
            "template_schema_bytes": template_bytes}


def _serve(counts: list[int], requests: int, pg_dir: Path | None, redis_pid: int | None,
           conn_max_age: str, page_cache: bool) -> list[dict[str, Any]]:
    base_domain = os.environ.get("BASE_DOMAIN", "localhost")
    hosts = [f"{_slug(i)}.{base_domain}" for i in range(max(counts))]
    port = benchlib.free_port()
    env = {"CONN_MAX_AGE": conn_max_age}
    if not page_cache:  # every request renders its page: the database meets each town's tables every time
        env["VISITOR_PAGE_CACHE_SECONDS"] = "0"
    proc = benchlib.gunicorn_start(port, workers=1, probe_host=hosts[0], extra_env=env)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(host: str, path: str) -> float:
        start = time.perf_counter()
        conn.request("GET", path, headers={"Host": host})
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{response.status} from {host}{path}")
        return time.perf_counter() - start

    rounds: list[dict[str, Any]] = []
    try:
        for pass_no, order in enumerate((counts, list(reversed(counts)))):
            for n in order:
                for i in range(n if pass_no == 0 else 0):  # every town's first visit: not measured
                    for path in PATHS:
                        get(hosts[i], path)
                before = benchlib.server_cpu_parts_s(proc.pid, pg_dir, redis_pid)
                # Each town gets the start page and then the news list, town after town: every round is
                # half and half (with one town, the earlier (k // n + k) % 2 always chose the start page).
                latencies = [get(hosts[k // len(PATHS) % n], PATHS[k % len(PATHS)]) for k in range(requests)]
                after = benchlib.server_cpu_parts_s(proc.pid, pg_dir, redis_pid)
                # Which part grows with the towns: the web worker, or the database (its per-connection
                # catalogue caches meet each town's tables), or Redis.
                parts_ms = {part: (after[part] - before[part]) * 1000 / requests for part in after}
                cpu_ms = sum(parts_ms.values())
                latencies.sort()
                rounds.append({"pass": pass_no + 1, "towns": n, "requests": requests,
                               "median_ms": statistics.median(latencies) * 1000,
                               "p90_ms": latencies[int(len(latencies) * 0.9)] * 1000,
                               "server_cpu_ms_per_request": cpu_ms,
                               **{f"{part}_cpu_ms_per_request": value for part, value in parts_ms.items()},
                               "load_1min": os.getloadavg()[0]})
                r = rounds[-1]
                print(f"pass {pass_no + 1}, {n} towns: median {r['median_ms']:.1f} ms, p90 {r['p90_ms']:.1f} ms,"
                      f" server CPU {cpu_ms:.2f} ms/req (web {parts_ms['web']:.2f}, database"
                      f" {parts_ms['database']:.2f}, Redis {parts_ms['redis']:.2f}; load {r['load_1min']:.1f})",
                      flush=True)
    finally:
        conn.close()
        benchlib.gunicorn_stop(proc)
    for r in rounds:
        base = next(b for b in rounds if b["pass"] == r["pass"] and b["towns"] == min(counts))
        r["latency_ratio"] = r["median_ms"] / base["median_ms"]
        r["cpu_ratio"] = r["server_cpu_ms_per_request"] / base["server_cpu_ms_per_request"]
    return rounds


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--fill-worker":
        _fill_worker(*(int(a) for a in sys.argv[2:]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", default="1,10,100,1000")
    parser.add_argument("--probe-counts", default="1,100,1000", help="stages at which provisioning is timed")
    parser.add_argument("--probes", type=int, default=3)
    parser.add_argument("--requests", type=int, default=600, help="measured requests per round")
    parser.add_argument("--jobs", type=int, default=2, help="processes adding towns between the probes")
    parser.add_argument("--fill-fsync", choices=["on", "off"], default="off")
    parser.add_argument("--conn-max-age", default="60")
    parser.add_argument("--page-cache", choices=["on", "off"], default="on",
                        help="off: whole pages are rendered for every request (VISITOR_PAGE_CACHE_SECONDS=0)")
    parser.add_argument("--fresh", action="store_true", help="start from an empty database")
    parser.add_argument("--no-serve", action="store_true", help="provision and measure size only")
    parser.add_argument("--reprobe", action="store_true",
                        help="time provisioning again at the current number of towns, even if measured before")
    args = parser.parse_args()
    counts = sorted(int(c) for c in args.counts.split(","))
    probe_counts = sorted(int(c) for c in args.probe_counts.split(","))

    external_db = "DATABASE_URL" in os.environ
    _setup(fresh=args.fresh)
    from django.core.management import call_command
    from django.db import connection

    from tenants.schema_template import template_schema_ensure_current

    pg_dir = None if external_db else benchlib.embedded_pg_data_dir("bench-pg")
    redis_pid = benchlib.embedded_redis_pid("bench-redis")  # None with an external REDIS_URL
    probes_file = STATE_DIR / "probes.json"
    probes: dict[str, Any] = json.loads(probes_file.read_text()) if probes_file.exists() and not args.fresh else {}

    if not external_db:  # a run killed while filling leaves fsync off: measured runs need it on
        benchlib.fsync_on()
    call_command("migrate_schemas", shared=True, verbosity=0)
    start = time.perf_counter()
    template_schema_ensure_current()
    print(f"template current ({time.perf_counter() - start:.1f} s)", flush=True)
    start = time.perf_counter()
    password_hash = _password_hash()
    hash_s = time.perf_counter() - start

    fill_s = 0.0
    warmed_up = False
    for stage in sorted(set(probe_counts) | {max(counts)}):
        fill_s += _fill(stage, args.jobs, args.fill_fsync == "off", external_db)
        present = _towns_present()
        if stage in probe_counts and (str(stage) not in probes or args.reprobe and present == stage):
            if not warmed_up:  # a process's first towns pay one-off costs (imports, caches): not recorded
                _probe(present, 1, password_hash, None)
                warmed_up = True
            if not external_db:  # the database's CPU is measured: not autovacuum's on the towns just added
                benchlib.pg_setting("autovacuum", "off")
            try:
                probes[str(stage)] = _probe(present, args.probes, password_hash, pg_dir)
            finally:
                if not external_db:
                    benchlib.pg_setting("autovacuum", "on")
            p = probes[str(stage)]
            print(f"provisioning with {stage} towns present: {p['wall_s']:.3f} s wall, {p['cpu_s']:.3f} s CPU"
                  f" (median of {args.probes}; load {p['load_1min']:.1f})", flush=True)
            probes_file.write_text(json.dumps(probes, indent=2))
    size = _size()

    rounds: list[dict[str, Any]] = []
    if not args.no_serve:
        if not external_db:
            benchlib.pg_setting("autovacuum", "off")
        connection.close()
        try:
            rounds = _serve(counts, args.requests, pg_dir, redis_pid, args.conn_max_age, args.page_cache == "on")
        finally:
            if not external_db:
                benchlib.pg_setting("autovacuum", "on")

    print(f"\nprovisioning one town (median of {args.probes}; the admin's password hash, done at signup, "
          f"took {hash_s:.2f} s apart)")
    first_cpu = probes[min(probes, key=int)]["cpu_s"] if probes else 1.0
    rows = [[p["towns"], f"{p['wall_s']:.3f}", f"{p['cpu_s']:.3f}", f"{p['cpu_s'] / first_cpu:.2f}",
             f"{p['spare_wall_s']:.3f}" if "spare_wall_s" in p else "-",
             f"{p['spare_cpu_s']:.3f}" if "spare_cpu_s" in p else "-",
             f"{p['load_1min']:.1f}", p["measured_at"]] for _k, p in sorted(probes.items(), key=lambda kv: int(kv[0]))]
    benchlib.table_print(["towns present", "copy: wall s", "CPU s", "CPU ratio", "spare: wall s", "CPU s", "load",
                          "measured"], rows, align=">>>>>>><")
    if rounds:
        print(f"\npages round-robin over N towns ({args.requests} GETs per round, / and /news/ alternating,"
              f" 1 sync worker, 1 client; whole-page cache {args.page_cache})")
        benchlib.table_print(
            ["pass", "towns", "median ms", "p90 ms", "latency ratio", "CPU ms/req", "CPU ratio", "web ms",
             "database ms", "Redis ms", "load"],
            [[r["pass"], r["towns"], f"{r['median_ms']:.1f}", f"{r['p90_ms']:.1f}", f"{r['latency_ratio']:.2f}",
              f"{r['server_cpu_ms_per_request']:.2f}", f"{r['cpu_ratio']:.2f}",
              *(f"{r[f'{part}_cpu_ms_per_request']:.2f}" for part in ("web", "database", "redis")),
              f"{r['load_1min']:.1f}"]
             for r in rounds], align=">>>>>>>>>>>")
    per_town_bytes = size["database_bytes_per_town"]
    last_probe = probes[max(probes, key=int)] if probes else None
    print(f"\n{size['town_schemas']} town schemas: database {size['database_bytes'] / 2**30:.2f} GiB"
          f" ({per_town_bytes / 2**20:.2f} MiB per town), pg_class {size['pg_class_rows']:,} rows"
          f" ({size['pg_class_rows_per_town']:.0f} per town), pg_attribute {size['pg_attribute_rows']:,} rows"
          f" ({size['pg_attribute_rows_per_town']:.0f} per town)")
    extrapolation = {
        "towns": 10_000,
        "pg_class_rows": round(size["pg_class_rows"]
                               + (10_000 - size["town_schemas"]) * size["pg_class_rows_per_town"]),
        "pg_attribute_rows": round(size["pg_attribute_rows"]
                                   + (10_000 - size["town_schemas"]) * size["pg_attribute_rows_per_town"]),
        "database_gib": 10_000 * per_town_bytes / 2**30,
        "provisioning_h_wall": last_probe and 10_000 * last_probe["wall_s"] / 3600,
        "provisioning_h_cpu": last_probe and 10_000 * last_probe["cpu_s"] / 3600,
    }
    print(f"10,000 towns (extrapolated): pg_class {extrapolation['pg_class_rows']:,} rows, pg_attribute "
          f"{extrapolation['pg_attribute_rows']:,} rows, {extrapolation['database_gib']:.0f} GiB"
          + (f", provisioning {extrapolation['provisioning_h_wall']:.1f} h wall / "
             f"{extrapolation['provisioning_h_cpu']:.1f} h CPU one at a time" if last_probe else ""))
    benchlib.results_write("thousand_towns", {"settings": vars(args), "password_hash_s": hash_s, "fill_s": fill_s,
                                              "provisioning": probes, "pages": rounds, "size": size,
                                              "extrapolation_10000": extrapolation})


if __name__ == "__main__":
    main()
