"""Time of one new migration across 10, 100 and 1,000 towns with `manage.py migrate_towns`, and of a no-op run.

    python bench/migrations.py [--counts 10,100,1000] [--workers 4] [--rows 100] [--old-upto 100]
                               [--fill-fsync on|off]

Uses bench_settings (the test settings plus the bench-only tenant app bench/benchapp/, whose
migration 0002 adds a column with a default and an index to a table holding `--rows` rows in every
town). Towns are copies of the template schema (what provisioning makes, without its other work).
For each count every town is taken back to benchapp 0001 with the SQL Django's reverse runs (DROP
COLUMN drops the index too; the record and the town's migration-state row go), then timed:

- `migrate_towns`: the towns are behind, the migration is replayed (issue 20 §D: ≤ 60 s at 1,000);
- `migrate_towns` again: nothing to apply, in this process and as a new `manage.py` process (≤ 10 s);
- up to `--old-upto` towns, the same migration with `migrate_schemas --tenant` for comparison.

The baseline is the time per town at the smallest count of the same run; the ratio of the time per
town at each count to it should stay ≤ 1.2 (flat). Every town is checked to have the column after
each forward run. Runs against a throw-away embedded PostgreSQL/Redis (or DATABASE_URL/REDIS_URL) in
its own test database; 1,000 towns take ~4.6 GiB of disk and most of the time goes to making them.
With `--fill-fsync off` (default) the embedded PostgreSQL skips fsync while making towns (one fsync per
index built was ~3.5 s of a copy's wall time on this VM) and has it on again, after a checkpoint,
before anything is timed; with DATABASE_URL set the server's settings are left alone.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

CHUNK = 100


def _schemas_with_column(connection, schemas: list[str]) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM information_schema.columns WHERE table_schema = ANY(%s)"
                       " AND table_name = 'benchapp_benchnote' AND column_name = 'pinned'", [schemas])
        return cursor.fetchone()[0]


def _check_applied(connection, schemas: list[str], *, applied: bool) -> None:
    """Fail loudly if a timed command did not change every town (a bench of a no-op is worthless)."""
    found = _schemas_with_column(connection, schemas)
    if found != (len(schemas) if applied else 0):
        raise RuntimeError(f"benchapp 0002 is applied in {found} of {len(schemas)} towns, expected "
                           f"{'all' if applied else 'none'}")


def _roll_back(connection, schemas: list[str]) -> None:
    """benchapp 0002 undone in every town, as Django's reverse does it, and the towns' state rows gone."""
    for start in range(0, len(schemas), CHUNK):
        chunk = schemas[start:start + CHUNK]
        script = []
        for schema in chunk:
            script.append(f'ALTER TABLE "{schema}".benchapp_benchnote DROP COLUMN IF EXISTS pinned')
            script.append(f"DELETE FROM \"{schema}\".django_migrations WHERE app = 'benchapp' AND name = '0002_pinned'")
        with connection.cursor() as cursor:
            cursor.execute(";\n".join(script))
            cursor.execute("DELETE FROM tenants_schemamigrationstate WHERE schema_name = ANY(%s)", [chunk])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", default="10,100,1000")
    parser.add_argument("--workers", type=int, default=4, help="migrate_towns --workers")
    parser.add_argument("--rows", type=int, default=100, help="rows in the migrated table of every town")
    parser.add_argument("--old-upto", type=int, default=100,
                        help="also time migrate_schemas --tenant at counts up to this (0: never)")
    parser.add_argument("--copy-threads", type=int, default=2, help="towns copied side by side while provisioning")
    parser.add_argument("--fill-fsync", choices=["on", "off"], default="off",
                        help="fsync of the embedded PostgreSQL while making towns (always on while timing)")
    args = parser.parse_args()
    counts = sorted(int(c) for c in args.counts.split(","))

    external_db = "DATABASE_URL" in os.environ
    fill_fsync_off = args.fill_fsync == "off" and not external_db  # never another server's settings
    benchlib.state_dir_setup()
    benchlib.paths_setup()
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections
    from django.test.utils import setup_databases, teardown_databases

    from tenants.models import Municipality
    from tenants.schema_template import _schema_copy, template_schema_ensure_current, template_schema_name

    def timed(command: str, *command_args: str, **options) -> tuple[float, float, float | None]:
        """Wall seconds, this process's CPU seconds and the database's CPU seconds of one command."""
        with benchlib.CpuMeter(pg_dir) as cpu:
            start = time.perf_counter()
            call_command(command, *command_args, verbosity=0, **options)
            connection.set_schema_to_public()
            wall = time.perf_counter() - start
        return wall, cpu.client_s, cpu.db_s

    def noop_new_process() -> float | None:
        """`manage.py migrate_towns` as the deploy runs it: Django's start included."""
        url = urlsplit(os.environ["DATABASE_URL"])
        env = dict(os.environ, DATABASE_URL=urlunsplit(url._replace(path="/" + settings.DATABASES["default"]["NAME"])),
                   PYTHONPATH=benchlib.PYTHONPATH)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, str(benchlib.ROOT / "manage.py"), "migrate_towns", "-v", "0"],
                              env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(f"manage.py migrate_towns failed: {done.stderr[-2000:]}", flush=True)
            return None
        return time.perf_counter() - start

    def town_make(n: int) -> str:
        schema = f"t_mig_{n}"
        try:
            Municipality.objects.create(name=f"Migrationsdorf {n}", kind="gemeinde", slug=f"mig-{n}",
                                        schema_name=schema)
            _schema_copy(template, schema)
            with connection.cursor() as cursor:
                cursor.execute(
                    f'INSERT INTO "{schema}".benchapp_benchnote (title, created_at, pinned) '
                    "SELECT 'Notiz ' || n, now() - n * interval '1 hour', false FROM generate_series(1, %s) n",
                    [args.rows],
                )
        finally:
            connections.close_all()
        return schema

    old_config = setup_databases(verbosity=0, interactive=False)
    pg_dir = None if external_db else benchlib.embedded_pg_data_dir("test-pg")
    call_command("migrate_schemas", shared=True, verbosity=0)
    start = time.perf_counter()
    template_schema_ensure_current()
    template = template_schema_name()
    template_s = time.perf_counter() - start
    print(f"template migrated in {template_s:.0f} s", flush=True)
    results = []
    schemas: list[str] = []
    provisioning_s = 0.0
    try:
        for count in counts:
            start = time.perf_counter()
            with benchlib.fsync_off(fill_fsync_off), \
                    ThreadPoolExecutor(max_workers=args.copy_threads) as pool:
                schemas.extend(pool.map(town_make, range(len(schemas), count)))
            connection.set_schema_to_public()
            provisioning_s += time.perf_counter() - start
            print(f"{count} towns made ({provisioning_s:.0f} s so far, fsync {'off' if fill_fsync_off else 'on'}"
                  f" while making them); load {os.getloadavg()[0]:.1f}", flush=True)

            row: dict = {"towns": count}
            if count <= args.old_upto:
                _roll_back(connection, schemas)
                _check_applied(connection, schemas, applied=False)
                wall, client_s, db_s = timed("migrate_schemas", "benchapp", "0002", tenant=True)
                _check_applied(connection, schemas, applied=True)
                row["old_s"] = wall
                row["old_cpu_s"] = client_s + (db_s or 0.0)
            _roll_back(connection, schemas)
            _check_applied(connection, schemas, applied=False)
            row["load_average_1min_before"] = os.getloadavg()[0]
            wall, client_s, db_s = timed("migrate_towns", workers=args.workers)
            _check_applied(connection, schemas, applied=True)
            row.update(new_s=wall, new_client_cpu_s=client_s, new_db_cpu_s=db_s,
                       new_cpu_s=client_s + (db_s or 0.0), per_town_s=wall / count,
                       cpu_per_town_s=(client_s + (db_s or 0.0)) / count,
                       load_average_1min=os.getloadavg()[0])
            noop = [timed("migrate_towns", workers=args.workers)[0] for _ in range(3)]
            row["noop_s"] = statistics.median(noop)
            row["noop_new_process_s"] = noop_new_process()
            connection.set_schema_to_public()
            results.append(row)
            print(f"{count}: migrate_towns {wall:.2f} s ({wall / count * 1000:.1f} ms/town,"
                  f" CPU {row['cpu_per_town_s'] * 1000:.1f} ms/town: client {client_s:.2f} s, db {db_s} s),"
                  f" no-op {row['noop_s']:.2f} s, as a new process {row['noop_new_process_s']},"
                  f" migrate_schemas {row.get('old_s', 'not run')}; load {row['load_average_1min']:.1f}", flush=True)
    finally:
        connection.set_schema_to_public()
        teardown_databases(old_config, verbosity=0)

    baseline = results[0]["per_town_s"]
    cpu_baseline = results[0]["cpu_per_town_s"]
    rows = []
    for row in results:
        row["per_town_ratio_to_baseline"] = row["per_town_s"] / baseline
        row["cpu_per_town_ratio_to_baseline"] = row["cpu_per_town_s"] / cpu_baseline
        old = row.get("old_s")
        rows.append([row["towns"], f"{row['new_s']:.2f}", f"{row['per_town_s'] * 1000:.1f}",
                     f"{row['per_town_ratio_to_baseline']:.2f}", f"{row['cpu_per_town_s'] * 1000:.1f}",
                     f"{row['cpu_per_town_ratio_to_baseline']:.2f}", f"{row['noop_s']:.2f}",
                     "-" if row["noop_new_process_s"] is None else f"{row['noop_new_process_s']:.1f}",
                     "-" if old is None else f"{old:.2f} ({old / row['towns'] * 1000:.0f} ms/town)",
                     f"{row['load_average_1min']:.1f}"])
    print(f"\nbenchapp 0002 (AddField with default + AddIndex, {args.rows} rows per town), "
          f"migrate_towns --workers {args.workers}")
    benchlib.table_print(["towns", "wall s", "ms/town", "ratio", "CPU ms/town", "CPU ratio", "no-op s",
                          "no-op new process s", "migrate_schemas s", "load"], rows)
    print("ratio ≤ 1.2 at every count means flat per-town cost. CPU = this process + the database's backends"
          + (" (database not measured: external DATABASE_URL)" if pg_dir is None else "")
          + "; it is less disturbed by other load than wall time.")
    benchlib.results_write("migrations", {
        "settings": vars(args),
        "baseline": {"towns": results[0]["towns"], "per_town_s": baseline},
        "template_migrate_s": template_s,
        "provisioning_s_total": provisioning_s,
        "results": results,
    })


if __name__ == "__main__":
    main()
