"""How long provisioning one town takes with 1, 50 and 200 towns already on the platform.

    python bench/provisioning.py [--counts 1,50,200] [--repeat 3]

Runs against a throw-away embedded PostgreSQL (or DATABASE_URL) in its own
database, so it never touches your data. Prints a table and writes JSON with
machine info to bench/results/provisioning.json. The baseline is the time at
the smallest count in the same run; later rows are reported as ratios to it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform as stdlib_platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", default="1,50,200")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    counts = sorted(int(c) for c in args.counts.split(","))

    os.environ.setdefault("DORFKERN_STATE_DIR", tempfile.mkdtemp(prefix="dorfkern-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    from tenants.models import Municipality
    from tenants.services import town_create

    old_config = setup_databases(verbosity=0, interactive=False)
    call_command("migrate_schemas", shared=True, verbosity=0)
    results = []
    made = 0
    try:
        for count in counts:
            while made < count:
                town_create(name=f"Filler {made}", kind="gemeinde", slug=f"filler-{made}",
                            admin_name="Bench", admin_email="bench@example.org", admin_password="x" * 12)
                made += 1
            samples = []
            for i in range(args.repeat):
                slug = f"probe-{count}-{i}"
                start = time.perf_counter()
                town = town_create(name="Probe", kind="gemeinde", slug=slug, admin_name="Bench",
                                   admin_email="bench@example.org", admin_password="x" * 12)
                samples.append(time.perf_counter() - start)
                connection.set_schema_to_public()
                Municipality.objects.get(pk=town.pk).delete(force_drop=True)
            results.append({"existing_towns": count, "median_s": statistics.median(samples), "samples_s": samples})
    finally:
        connection.set_schema_to_public()
        teardown_databases(old_config, verbosity=0)

    baseline = results[0]["median_s"]
    print(f"{'existing towns':>15} {'median s':>10} {'ratio':>7}")
    for row in results:
        row["ratio_to_baseline"] = row["median_s"] / baseline
        print(f"{row['existing_towns']:>15} {row['median_s']:>10.3f} {row['ratio_to_baseline']:>7.2f}")
    out = ROOT / "bench" / "results" / "provisioning.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({
        "machine": {"python": sys.version.split()[0], "platform": stdlib_platform.platform(),
                    "cpus": os.cpu_count()},
        "results": results,
    }, indent=2))
    print(f"written: {out}")


if __name__ == "__main__":
    main()
