"""How long an urgent notice waits when 5,000 bulk tasks are queued before it (issue 18 §2/§5).

    python bench/urgent_latency.py [--bulk 5000] [--residents 300] [--concurrency 2]

One town with every module on and `--residents` residents (no quiet hours, mail at once). A real
prefork worker (`celery worker -Q urgent,celery`) on a throw-away embedded PostgreSQL and Redis.
First `--bulk` notification tasks (notifications.deliver, one resident each, as a content
fan-out makes them) are queued on the default queue; then the town hall sends an urgent notice
(services.urgent_notice_send: through the outbox, routed to the urgent queue). Measured: from the
commit of the notice to the notice's last notification marked mailed, and how many bulk tasks were
still waiting then (they must not have been worked off first).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

SLUG = "eildorf"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bulk", type=int, default=5000)
    parser.add_argument("--residents", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()

    benchlib.state_dir_setup()
    benchlib.paths_setup()
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    from celery import current_app
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import setup_databases, teardown_databases
    from django_tenants.utils import schema_context

    from accounts.models import User
    from config import embedded
    from core.modules import all_modules
    from modules.notifications.models import Notification, NotificationSettings, UrgentNotice
    from modules.notifications.services import urgent_notice_send
    from tenants.services import tenant_module_enable, town_create

    settings.CELERY_TASK_ALWAYS_EAGER = False
    old_config = setup_databases(verbosity=0, interactive=False)
    call_command("migrate_schemas", shared=True, verbosity=0)
    worker: subprocess.Popen[bytes] | None = None
    log = Path(os.environ["DORFKERN_STATE_DIR"]) / "urgent-worker.log"
    # The broker's own Redis client (kombu's channel): REDIS_URL may be a unix socket path.
    broker_connection = current_app.connection_for_write()
    broker = broker_connection.default_channel.client
    results: dict[str, Any] = {}
    try:
        town = town_create(name="Eildorf", kind="gemeinde", slug=SLUG, admin_name="Anna Admin",
                           admin_email="admin@example.org", admin_password="x" * 12)
        for key in all_modules():
            tenant_module_enable(tenant=town, key=key, by_staff=True)
        with schema_context(town.schema_name):
            User.objects.bulk_create([User(email=f"r{i}@example.org", name=f"R {i}") for i in range(args.residents)])
            ids = list(User.objects.values_list("pk", flat=True))
            NotificationSettings.objects.bulk_create([NotificationSettings(user_id=pk, quiet_hours=False)
                                                      for pk in ids])
            admin = User.objects.get(email="admin@example.org")
        broker.flushdb()
        env = {**os.environ, "CELERY_SKIP_CHECKS": "1", "PYTHONPATH": benchlib.PYTHONPATH,
               "DATABASE_URL": embedded.database_url_with_name(os.environ["DATABASE_URL"],
                                                               connection.settings_dict["NAME"])}
        with log.open("wb") as output:
            worker = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "prefork",
                 "--concurrency", str(args.concurrency), "-Q", "urgent,celery", "--loglevel", "WARNING",
                 "--without-gossip", "--without-mingle", "--without-heartbeat"],
                cwd=benchlib.ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
        # given: the bulk work is queued first (what a big fan-out leaves on the default queue)
        started = time.monotonic()
        for i in range(args.bulk):
            current_app.send_task("notifications.deliver", kwargs={
                "user_ids": [ids[i % len(ids)]], "event": "bench.bulk", "title": f"Massenpost {i}", "body": "x",
                "url": "/", "dedupe_key": f"bulk:{i}", "topic": "", "urgent": False},
                headers={"_schema_name": town.schema_name})
        results["bulk_queue_s"] = round(time.monotonic() - started, 2)
        time.sleep(3)  # the worker is busy with bulk work when the notice comes
        results["bulk_left_before"] = broker.llen("celery")

        # when: the town hall sends an urgent notice
        connection.set_tenant(town)
        with transaction.atomic():
            notice = urgent_notice_send(acting_user=admin, title="Abkochgebot", body="Bitte Wasser abkochen.")
        sent_at = time.monotonic()
        key = f"urgent:{notice.pk}"
        while True:
            mailed = Notification.objects.filter(dedupe_key=key, email_state="sent").count()
            if mailed >= len(ids) and UrgentNotice.objects.filter(pk=notice.pk, delivered_at__isnull=False).exists():
                break
            if time.monotonic() - sent_at > 600:
                raise SystemExit(f"urgent notice not delivered within 600 s ({mailed} of {len(ids)} mailed)")
            time.sleep(0.05)
        results["urgent_latency_s"] = round(time.monotonic() - sent_at, 2)
        results["bulk_left_after"] = broker.llen("celery")
        results["recipients"] = len(ids)
        connection.set_schema_to_public()
        benchlib.table_print(["bulk queued", "bulk waiting at notice", "recipients", "urgent delivered (s)",
                              "bulk still waiting"],
                             [[args.bulk, results["bulk_left_before"], len(ids), results["urgent_latency_s"],
                               results["bulk_left_after"]]])
        benchlib.results_write("urgent_latency", {**results, "bulk": args.bulk, "concurrency": args.concurrency,
                                                  "machine": benchlib.machine_info()})
    finally:
        if worker is not None and worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        broker.flushdb()
        broker_connection.release()
        connection.set_schema_to_public()
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
