"""Time of `migrate_schemas` for one new migration at 10, 50 and 200 towns, and how it grows.

    python bench/migrations.py [--counts 10,50,200] [--repeat 2] [--rows 100]

Uses bench_settings (the test settings plus the bench-only tenant app bench/benchapp/,
whose migration 0002 adds a column with a default and an index to a table holding
`--rows` rows in every town). For each count, towns are provisioned up to that
count, every town is taken back to benchapp 0001 (timed too, as "rollback"), and
then `migrate_schemas --tenant benchapp 0002` is timed across all towns.

The baseline is the time per town at the smallest count of the same run; the ratio
of the time per town at each count to it should stay near 1.0 (linear growth).
Runs against a throw-away embedded PostgreSQL/Redis (or DATABASE_URL/REDIS_URL) in
its own test database. 200 towns take several minutes on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402


def _check_applied(connection, schema: str, *, applied: bool) -> None:
    """Fail loudly if a timed command did not change the table (a bench of a no-op is worthless)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM information_schema.columns WHERE table_schema = %s "
                       "AND table_name = 'benchapp_benchnote' AND column_name = 'pinned'", [schema])
        if (cursor.fetchone() is not None) != applied:
            raise RuntimeError(f"benchapp 0002 is {'not ' if applied else ''}applied in {schema}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", default="10,50,200")
    parser.add_argument("--repeat", type=int, default=2, help="timed forward migrations per count (median taken)")
    parser.add_argument("--rows", type=int, default=100, help="rows in the migrated table of every town")
    args = parser.parse_args()
    counts = sorted(int(c) for c in args.counts.split(","))

    external_db = "DATABASE_URL" in os.environ
    benchlib.state_dir_setup()
    benchlib.paths_setup()
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases
    from django_tenants.utils import schema_context

    from tenants.services import town_create

    def migrate(target: str) -> tuple[float, float, float | None]:
        """Wall seconds, this process's CPU seconds and the database's CPU seconds of one migrate_schemas."""
        with benchlib.CpuMeter(pg_dir) as cpu:
            start = time.perf_counter()
            call_command("migrate_schemas", "benchapp", target, tenant=True, verbosity=0)
            connection.set_schema_to_public()
            wall = time.perf_counter() - start
        return wall, cpu.client_s, cpu.db_s

    old_config = setup_databases(verbosity=0, interactive=False)
    pg_dir = None if external_db else benchlib.embedded_pg_data_dir("test-pg")
    call_command("migrate_schemas", shared=True, verbosity=0)
    results = []
    made = 0
    provisioning_s = 0.0
    try:
        for count in counts:
            start = time.perf_counter()
            while made < count:
                town = town_create(name=f"Migrationsdorf {made}", kind="gemeinde", slug=f"mig-{made}",
                                   admin_name="Bench", admin_email="bench@example.org", admin_password="x" * 12)
                with schema_context(town.schema_name), connection.cursor() as cursor:
                    cursor.execute(
                        "INSERT INTO benchapp_benchnote (title, created_at, pinned) "
                        "SELECT 'Notiz ' || n, now() - n * interval '1 hour', false FROM generate_series(1, %s) n",
                        [args.rows],
                    )
                made += 1
            provisioning_s += time.perf_counter() - start
            print(f"{count} towns provisioned ({provisioning_s:.0f} s so far)", flush=True)
            forward, rollback, client_cpu, db_cpu = [], [], [], []
            for _ in range(args.repeat):
                rollback.append(migrate("0001")[0])
                _check_applied(connection, town.schema_name, applied=False)
                wall, client_s, db_s = migrate("0002")
                _check_applied(connection, town.schema_name, applied=True)
                forward.append(wall)
                client_cpu.append(client_s)
                db_cpu.append(db_s)
            median = statistics.median(forward)
            cpu = statistics.median(c + (d or 0.0) for c, d in zip(client_cpu, db_cpu, strict=True))
            results.append({
                "towns": count,
                "forward_s_median": median,
                "forward_s_samples": forward,
                "rollback_s_samples": rollback,
                "client_cpu_s_samples": client_cpu,
                "db_cpu_s_samples": db_cpu,
                "per_town_s": median / count,
                "cpu_per_town_s": cpu / count,
                "load_average_1min": os.getloadavg()[0],
            })
    finally:
        connection.set_schema_to_public()
        teardown_databases(old_config, verbosity=0)

    baseline = results[0]["per_town_s"]
    cpu_baseline = results[0]["cpu_per_town_s"]
    rows = []
    for row in results:
        row["per_town_ratio_to_baseline"] = row["per_town_s"] / baseline
        row["cpu_per_town_ratio_to_baseline"] = row["cpu_per_town_s"] / cpu_baseline
        rows.append([row["towns"], f"{row['forward_s_median']:.2f}", f"{row['per_town_s'] * 1000:.1f}",
                     f"{row['per_town_ratio_to_baseline']:.2f}", f"{row['cpu_per_town_s'] * 1000:.1f}",
                     f"{row['cpu_per_town_ratio_to_baseline']:.2f}",
                     f"{statistics.median(row['rollback_s_samples']):.2f}", f"{row['load_average_1min']:.1f}"])
    print("\nmigrate_schemas --tenant benchapp 0002 (AddField with default + AddIndex)")
    benchlib.table_print(["towns", "wall s", "wall ms/town", "ratio", "CPU ms/town", "CPU ratio", "rollback s",
                          "load"], rows)
    print("ratio ≈ 1.0 at every count means linear growth. CPU = this process + the database's backends"
          + (" (database not measured: external DATABASE_URL)" if pg_dir is None else "")
          + "; it is less disturbed by other load than wall time.")
    benchlib.results_write("migrations", {
        "settings": vars(args),
        "baseline": {"towns": results[0]["towns"], "per_town_s": baseline},
        "provisioning_s_total": provisioning_s,
        "results": results,
    })


if __name__ == "__main__":
    main()
