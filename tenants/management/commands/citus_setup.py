"""Prepare a Citus cluster for Dorfkern (docs/scale-out.md): run once before the first migrate, and again
whenever workers are added; on a configured cluster it only confirms what is there."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tenants.citus import CitusSetupError, Credentials, Node, citus_cluster_setup, node_parse


class Command(BaseCommand):
    help = (
        "Create the database and the citus extension on the coordinator (DATABASE_URL) and every worker "
        "(CITUS_WORKERS), register the workers and turn schema-based sharding on. Idempotent; changes "
        "nothing when a node is unreachable or can't run Citus."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--workers", default=None,
            help="host:port,host:port (default: the CITUS_WORKERS setting)",
        )
        parser.add_argument(
            "--coordinator-host", default=None,
            help="host:port the workers reach the coordinator by, when not DATABASE_URL's (CITUS_COORDINATOR)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        workers_text = options["workers"] if options["workers"] is not None else ",".join(settings.CITUS_WORKERS)
        coordinator_text = options["coordinator_host"] or settings.CITUS_COORDINATOR
        try:
            workers = [node_parse(text) for text in workers_text.split(",") if text.strip()]
            coordinator = node_parse(coordinator_text) if coordinator_text else None
            report = citus_cluster_setup(
                *_coordinator(), workers, coordinator, say=lambda line: self.stdout.write(f"» {line}"),
            )
        except CitusSetupError as error:
            raise CommandError(str(error)) from error
        for line in report.created:
            self.stdout.write(f"created: {line}")
        for line in report.confirmed:
            self.stdout.write(f"already there: {line}")
        self.stdout.write(self.style.SUCCESS(
            f"Citus cluster ready: coordinator and {len(workers)} workers, new towns are distributed schemas"
        ))


def _coordinator() -> tuple[Node, Credentials]:
    # The server, role and database the platform itself uses (DATABASE_URL).
    db = settings.DATABASES["default"]
    return (
        Node(db.get("HOST") or "127.0.0.1", int(db.get("PORT") or 5432)),
        Credentials(db.get("USER") or "", db.get("PASSWORD") or "", db["NAME"]),
    )
