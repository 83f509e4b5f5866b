"""Migrate the template and every town: the deploy step after `migrate_schemas --shared`."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tenants.schema_migrations import towns_migrate


class Command(BaseCommand):
    help = (
        "Bring the template schema and every town to the code's migrations: towns already there are "
        "skipped, schema-only migrations are replayed as SQL on parallel workers, one transaction per town."
    )

    # The deploy runs `migrate_schemas --shared` (with the system checks) just before; a second round of
    # checks would double the start-up of a run that usually has nothing to do.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--workers", type=int, default=min(4, os.cpu_count() or 1),
                            help="Towns migrated side by side (database connections); default: min(4, CPUs).")
        parser.add_argument("--verify", action="store_true",
                            help="Ignore the recorded migration state and read every town's records.")
        parser.add_argument("--schema", action="append", dest="schemas", metavar="SCHEMA",
                            help="Only this town's schema (repeatable); the template is left alone.")

    def handle(self, *args: Any, **options: Any) -> None:
        verbose = options["verbosity"] >= 1
        schemas = options["schemas"]

        def say(line: str) -> None:
            if options["verbosity"] >= 2:
                self.stdout.write(line)

        try:
            report = towns_migrate(
                schemas=schemas, workers=max(1, options["workers"]), verify=options["verify"],
                template=not schemas, say=say,
            )
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        if verbose:
            self.stdout.write(
                f"{len(report.current) + len(report.recorded)} towns current, {len(report.replayed)} replayed,"
                f" {len(report.migrated)} migrated with migrate_schemas, {len(report.failed)} failed;"
                f" template {'migrated' if report.template_migrated else 'current'}; {report.seconds:.1f} s"
            )
        for name in report.without_schema:
            self.stderr.write(f"{name}: the town has no schema (still being provisioned?); not migrated")
        if report.failed:
            for name, reason in report.failed.items():
                self.stderr.write(f"{name}: {reason}")
            raise CommandError(f"{len(report.failed)} towns failed to migrate; run again after fixing the cause.")
