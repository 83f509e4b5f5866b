"""How long provisioning one town takes with 1, 50 and 200 towns already on the platform.

New towns are copies of the migrated template schema (tenants/schema_template.py); the template's
own one-off migration is timed apart. The admin's password arrives hashed, as from a real signup
(the signup form hashed it), so no hashing is timed in the provisioning rows. The bench runs with
production's password hashers (Django's defaults, not the test settings' MD5): any hashing a later
change puts into provisioning is then timed at its real cost, and the one hash a signup makes is
timed apart and printed.

    python bench/provisioning.py [--counts 1,50,200] [--repeat 3]

Runs against a throw-away embedded PostgreSQL (or DATABASE_URL) in its own
database, so it never touches your data. Prints a table and writes JSON with
machine info to bench/results/provisioning.json. The baseline is the time at
the smallest count in the same run; later rows are reported as ratios to it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402


def _schema_migrate(schema_name: str) -> None:
    """Provisioning before the template: an empty schema and every migration run on it."""
    from django.core.management import call_command
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{schema_name}"')
    call_command("migrate_schemas", tenant=True, schema_name=schema_name, interactive=False, verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", default="1,50,200")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--compare-migrate", action="store_true",
                        help="also time, pair by pair, the old way: an empty schema migrated from scratch")
    args = parser.parse_args()
    counts = sorted(int(c) for c in args.counts.split(","))

    external_db = "DATABASE_URL" in os.environ
    benchlib.state_dir_setup()
    benchlib.paths_setup()
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    from django.conf import global_settings
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings, setup_databases, teardown_databases

    from tenants.models import Municipality
    from tenants.schema_template import template_schema_ensure_current
    from tenants.services import town_create

    # Production's hashers (base settings don't change Django's defaults); the test settings' MD5 made
    # the figures in bench/README before stop 11 look cheaper than a real signup.
    override_settings(PASSWORD_HASHERS=global_settings.PASSWORD_HASHERS).enable()
    start = time.perf_counter()
    password_hash = make_password("x" * 12)
    hash_seconds = time.perf_counter() - start
    print(f"one password hash with the production hasher ({password_hash.split('$')[0]}): {hash_seconds:.3f} s, "
          "made once per signup, before provisioning", flush=True)

    old_config = setup_databases(verbosity=0, interactive=False)
    pg_dir = None if external_db else benchlib.embedded_pg_data_dir("test-pg")
    call_command("migrate_schemas", shared=True, verbosity=0)
    results = []
    made = 0
    try:
        start = time.perf_counter()
        template_schema_ensure_current()
        template_seconds = time.perf_counter() - start
        print(f"template schema migrated once in {template_seconds:.1f} s", flush=True)
        # Warm-up, not recorded: the first towns of a process pay one-off costs (imports, migration
        # modules, caches) that would otherwise inflate the baseline.
        for i in range(2):
            town = town_create(name="Warm-up", kind="gemeinde", slug=f"warmup-{i}", admin_name="Bench",
                               admin_email="bench@example.org", admin_password_hash=password_hash)
            connection.set_schema_to_public()
            Municipality.objects.get(pk=town.pk).delete(force_drop=True)
        for count in counts:
            start = time.perf_counter()
            while made < count:
                town_create(name=f"Filler {made}", kind="gemeinde", slug=f"filler-{made}",
                            admin_name="Bench", admin_email="bench@example.org", admin_password_hash=password_hash)
                made += 1
            print(f"{count} towns present ({time.perf_counter() - start:.0f} s to add them)", flush=True)
            samples, cpu_samples, migrate_samples, migrate_cpu = [], [], [], []
            for i in range(args.repeat):
                if args.compare_migrate:  # the same town made the old way, right before the copy
                    with mock.patch("tenants.services.template_schema_clone", _schema_migrate), \
                            benchlib.CpuMeter(pg_dir) as cpu:
                        start = time.perf_counter()
                        town = town_create(name="Probe", kind="gemeinde", slug=f"migrated-{count}-{i}",
                                           admin_name="Bench", admin_email="bench@example.org",
                                           admin_password_hash=password_hash)
                        migrate_samples.append(time.perf_counter() - start)
                    migrate_cpu.append(cpu.client_s + (cpu.db_s or 0.0))
                    connection.set_schema_to_public()
                    Municipality.objects.get(pk=town.pk).delete(force_drop=True)
                slug = f"probe-{count}-{i}"
                with benchlib.CpuMeter(pg_dir) as cpu:
                    start = time.perf_counter()
                    town = town_create(name="Probe", kind="gemeinde", slug=slug, admin_name="Bench",
                                       admin_email="bench@example.org", admin_password_hash=password_hash)
                    samples.append(time.perf_counter() - start)
                cpu_samples.append(cpu.client_s + (cpu.db_s or 0.0))
                connection.set_schema_to_public()
                Municipality.objects.get(pk=town.pk).delete(force_drop=True)
            results.append({"existing_towns": count, "median_s": statistics.median(samples), "samples_s": samples,
                            "cpu_median_s": statistics.median(cpu_samples), "cpu_samples_s": cpu_samples,
                            "load_average_1min": os.getloadavg()[0]})
            if migrate_samples:
                results[-1].update({"migrate_median_s": statistics.median(migrate_samples),
                                    "migrate_cpu_median_s": statistics.median(migrate_cpu)})
                print(f"  copy {results[-1]['median_s']:.3f} s wall / {results[-1]['cpu_median_s']:.3f} s CPU; "
                      f"migrate {results[-1]['migrate_median_s']:.3f} s wall / "
                      f"{results[-1]['migrate_cpu_median_s']:.3f} s CPU", flush=True)
    finally:
        connection.set_schema_to_public()
        teardown_databases(old_config, verbosity=0)

    baseline = results[0]["median_s"]
    cpu_baseline = results[0]["cpu_median_s"]
    rows = []
    for row in results:
        row["ratio_to_baseline"] = row["median_s"] / baseline
        row["cpu_ratio_to_baseline"] = row["cpu_median_s"] / cpu_baseline
        rows.append([row["existing_towns"], f"{row['median_s']:.3f}", f"{row['ratio_to_baseline']:.2f}",
                     f"{row['cpu_median_s']:.3f}", f"{row['cpu_ratio_to_baseline']:.2f}",
                     f"{row['load_average_1min']:.1f}"])
    print(f"\nseconds to provision one town (median of {args.repeat})")
    benchlib.table_print(["existing towns", "wall s", "ratio", "CPU s", "CPU ratio", "load"], rows, align=">>>>>>")
    print("CPU = this process + the database's backends" + (" (database not measured: external DATABASE_URL)"
                                                            if pg_dir is None else ""))
    benchlib.results_write("provisioning", {"settings": vars(args), "template_migrate_s": template_seconds,
                                            "password_hash_s": hash_seconds, "results": results})


if __name__ == "__main__":
    main()
