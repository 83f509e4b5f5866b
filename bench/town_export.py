"""A town's export and restore (tenants.lifecycle): archive size and time for the demo town and a big town.

    python bench/town_export.py [--residents 5000] [--posts 50000] [--skip-demo]

1. The demo town (`manage.py load_demo`: Betzdorf-Gebhardshain with every module's demo content):
   export, then restore as a new town.
2. A town with `--residents` residents and `--posts` Pinnwand posts (about 300 characters each),
   bulk-inserted with INSERT … SELECT from one post made through the ORM: export, then restore.
Measured: export seconds, archive bytes, rows; restore seconds; and that the restored schema's row
counts and content hashes equal the original's (tenants.lifecycle.schema_table_digests).
Runs against a throw-away embedded PostgreSQL/Redis (or DATABASE_URL/REDIS_URL).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

SLUG = "grossdorf"


def _round_trip(town, scratch: Path, label: str, copy_slug: str) -> list[object]:
    from tenants.lifecycle import schema_table_digests, town_export, town_media_dirs, town_restore

    exported = town_export(tenant=town, path=scratch / f"{town.slug}.tar.gz")
    restored = town_restore(archive_path=exported.path, slug=copy_slug)
    started = time.perf_counter()
    same = schema_table_digests(town.schema_name) == schema_table_digests(restored.town.schema_name)
    compare_s = time.perf_counter() - started
    print(label, "restore steps (s):", restored.steps)
    for folder in town_media_dirs(restored.town.schema_name).values():
        shutil.rmtree(folder, ignore_errors=True)
    return [label, exported.tables, exported.rows, exported.files, f"{exported.bytes / 1e6:.2f} MB",
            f"{exported.seconds:.2f} s", f"{restored.seconds:.2f} s", "yes" if same else "NO", f"{compare_s:.1f} s"]


def _big_town(residents: int, posts: int):
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from accounts.models import User
    from modules.board.models import Post, Topic
    from tenants.services import town_create

    town = town_create(name="Großdorf", kind="verbandsgemeinde", slug=SLUG, admin_name="Anna Admin",
                       admin_email="admin@example.org", admin_password="x" * 12)
    with tenant_context(town):
        first = User.objects.create_user(email="bewohner0@example.org", name="Bewohner 0", password="y" * 12)
        topic, _created = Topic.objects.get_or_create(slug="plausch", defaults={"name": "Plausch"})
        template = Post.objects.create(author=first, topic=topic, text="Vorlage",
                                       expires_at=timezone.now() + timedelta(days=365))
        with connection.cursor() as cursor:
            def insert_copies(table: str, template_id: int, overrides: dict[str, str], count: int) -> None:
                cursor.execute("SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0"
                               " AND NOT attisdropped AND attgenerated = '' AND attidentity = '' ORDER BY attnum",
                               [table])
                columns = [row[0] for row in cursor.fetchall() if row[0] != "id"]
                select = ", ".join(overrides.get(column, f't."{column}"') for column in columns)
                cursor.execute(f'INSERT INTO {table} ({", ".join(f"{chr(34)}{c}{chr(34)}" for c in columns)})'
                               f" SELECT {select} FROM {table} t, generate_series(1, %s) g WHERE t.id = %s",
                               [count, template_id])

            insert_copies("accounts_user", first.pk, {
                "email": "'bewohner' || g || '@example.org'", "name": "'Bewohner ' || g",
            }, residents - 1)
            words = ("'Wer hat am Samstag Zeit beim Aufräumen des Dorfplatzes zu helfen? Wir treffen uns um zehn "
                     "am Brunnen, Handschuhe und Rechen sind da. Kaffee und Kuchen gibt es danach im Gemeindehaus. "
                     "Bitte meldet euch kurz, damit wir planen können. Beitrag Nummer '")
            insert_copies("board_post", template.pk, {
                "text": f"{words} || g",
                "author_id": f"{first.pk} + mod(g, {residents})",
            }, posts - 1)
            cursor.execute("ANALYZE")
    return town


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=5000)
    parser.add_argument("--posts", type=int, default=50000)
    parser.add_argument("--skip-demo", action="store_true")
    args = parser.parse_args()
    benchlib.state_dir_setup()
    benchlib.paths_setup()
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_databases, teardown_databases

    old_config = setup_databases(verbosity=0, interactive=False)
    call_command("migrate_schemas", shared=True, verbosity=0)
    rows: list[list[object]] = []
    scratch = Path(tempfile.mkdtemp(prefix="town-export-bench-"))
    try:
        if not args.skip_demo:
            from demo.loader import demo_load, demo_town_get

            demo_load()
            rows.append(_round_trip(demo_town_get(), scratch, "demo town", "demo-kopie"))
        started = time.perf_counter()
        town = _big_town(args.residents, args.posts)
        print(f"big town made in {time.perf_counter() - started:.1f} s")
        rows.append(_round_trip(town, scratch, f"{args.residents} residents, {args.posts} posts", "gross-kopie"))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        teardown_databases(old_config, verbosity=0)
    headers = ["town", "tables", "rows", "files", "archive", "export", "restore", "identical", "compare"]
    benchlib.table_print(headers, rows)
    benchlib.results_write("town_export", {"headers": headers, "rows": rows})


if __name__ == "__main__":
    main()
