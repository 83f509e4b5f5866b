"""A resident's data export ("Meine Daten"): time, SQL queries and size for a person with many posts.

    python bench/data_export.py [--posts 1000] [--photos 0,100] [--repeat 3]

One town with every module on; one resident with `--posts` Pinnwand posts (about 300 characters
of varied German words each, with a comment of theirs and a reaction on every tenth) plus, per
run, the given number of photos (JPEG, ~60 KB, on the first posts). Baseline: a neighbour with
10 posts in the same town (the query count must not grow with the posts).
Measured per photo count: building the archive the way the task does
(town.privacy_services.data_export_build: every provider's export, the ZIP, stored in the
private storage), its SQL queries, the ZIP's size and its data.json's size, and the download
through the view (time to the last byte). The median of `--repeat` builds.
Runs against a throw-away embedded PostgreSQL/Redis (or DATABASE_URL/REDIS_URL).
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

SLUG = "datendorf"


def _jpeg(seed: int) -> bytes:
    from PIL import Image

    image = Image.effect_noise((360, 360), 60 + seed % 20).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def main() -> None:  # noqa: PLR0915
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--photos", default="0,100")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    benchlib.state_dir_setup()
    benchlib.paths_setup()
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases
    from django.utils import timezone
    from django_tenants.utils import schema_context, tenant_context

    from accounts.models import User
    from core.modules import all_modules
    from modules.board.models import Comment, Post, PostPhoto, Reaction, Topic
    from tenants.services import tenant_module_enable, town_create
    from town.models import DataExport
    from town.privacy_services import data_export_build, data_export_request

    old_config = setup_databases(verbosity=0, interactive=False)
    call_command("migrate_schemas", shared=True, verbosity=0)
    rows: list[list[object]] = []
    try:
        town = town_create(name="Datendorf", kind="verbandsgemeinde", slug=SLUG, admin_name="Anna Admin",
                           admin_email="admin@example.org", admin_password="x" * 12)
        for key in all_modules():
            tenant_module_enable(tenant=town, key=key, by_staff=True)
        with tenant_context(town):
            anna = User.objects.create_user(email="anna@example.org", name="Anna Albers", password="y" * 12)
            bert = User.objects.create_user(email="bert@example.org", name="Bert Brandt", password="y" * 12)
            topic, _created = Topic.objects.get_or_create(slug="plausch", defaults={"name": "Plausch"})
            words = ("Wer hat am Samstag Zeit beim Aufräumen des Dorfplatzes zu helfen Wir treffen uns um zehn "
                     "am Brunnen Handschuhe und Rechen sind da Kaffee Kuchen Leiter Fahrrad Garten Nachbarn "
                     "Feuerwehr Kirmes Schule Bäckerei Kindergarten Bus Mittwoch Abend gesucht verschenke").split()
            rng = random.Random(7)
            expires = timezone.now() + timedelta(days=30)
            posts = Post.objects.bulk_create(
                Post(author=anna, topic=topic, text=" ".join(rng.choice(words) for _ in range(45)),
                     expires_at=expires)
                for _number in range(args.posts)
            )
            Comment.objects.bulk_create(Comment(post=post, author=anna, text="Ich bringe Kuchen mit.")
                                        for post in posts[::10])
            Reaction.objects.bulk_create(Reaction(post=post, user=anna, kind="thanks") for post in posts[::10])
            Post.objects.bulk_create(Post(author=bert, topic=topic, text="Berts Beitrag", expires_at=expires)
                                     for _ in range(10))
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                small = data_export_build(export_id=data_export_request(user=bert).pk)
                small_s = time.perf_counter() - started
            assert small is not None
            rows.append([10, 0, f"{small_s:.2f} s", len(captured), f"{small.size_bytes / 1e6:.2f} MB", "", 1, ""])
        client = Client(HTTP_HOST=f"{SLUG}.localhost")
        with schema_context(town.schema_name):
            client.force_login(anna)
        client.get("/konto/meine-daten/")  # warm: URLconf and templates loaded before the timed download
        photos_done = 0
        for photos in [int(count) for count in args.photos.split(",")]:
            with tenant_context(town):
                for number in range(photos_done, photos):
                    name = default_storage.save(f"board/bench-{number}.jpg", ContentFile(_jpeg(number)))
                    PostPhoto.objects.create(post=posts[number], image=name, alt="Foto")
                photos_done = max(photos_done, photos)
                seconds, queries = [], 0
                for _ in range(args.repeat):
                    export = data_export_request(user=anna)
                    with CaptureQueriesContext(connection) as captured:
                        started = time.perf_counter()
                        export = data_export_build(export_id=export.pk)
                        seconds.append(time.perf_counter() - started)
                    queries = len(captured)
                assert export is not None
                export_pk, size = export.pk, export.size_bytes
                from core.storage import private_storage

                with private_storage().open(export.file_name, "rb") as archive, zipfile.ZipFile(archive) as zf:
                    json_bytes = zf.getinfo("data.json").file_size
                    entries = len(zf.namelist())
            started = time.perf_counter()
            response = client.get(f"/konto/meine-daten/{export_pk}/herunterladen/")
            downloaded = sum(len(chunk) for chunk in response.streaming_content)
            download_s = time.perf_counter() - started
            assert response.status_code == 200 and downloaded == size
            rows.append([args.posts, photos, f"{statistics.median(seconds):.2f} s", queries,
                         f"{size / 1e6:.2f} MB", f"{json_bytes / 1e6:.2f} MB", entries, f"{download_s * 1000:.0f} ms"])
            with tenant_context(town):
                DataExport.objects.all().delete()
    finally:
        connection.set_schema_to_public()
        teardown_databases(old_config, verbosity=0)
    benchlib.table_print(["posts", "photos", "build (median)", "queries", "zip", "data.json", "entries",
                          "download"], rows)
    benchlib.results_write("data_export", {"rows": rows, "machine": benchlib.machine_info()})


if __name__ == "__main__":
    main()
