"""Bring the schema new towns are copied from up to date: part of every deploy, after migrate_schemas."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tenants.schema_template import (
    template_schema_ensure_current,
    template_schema_name,
    template_schema_pending_migrations,
    template_spares_top_up,
)


class Command(BaseCommand):
    help = "Create or migrate the template schema that new towns are copied from."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--check", action="store_true",
                            help="Change nothing; exit with an error if the template is missing or behind.")
        parser.add_argument("--spares", type=int, default=None,
                            help="Copies made ahead for the next signups (default: TOWN_SPARE_SCHEMAS, 2).")

    def handle(self, *args: Any, **options: Any) -> None:
        name = template_schema_name()
        if options["check"]:
            pending = template_schema_pending_migrations()
            if pending:
                raise CommandError(
                    f"The town template {name} lacks {len(pending)} migrations (first: {pending[0]}); "
                    "run `manage.py town_template`."
                )
            self.stdout.write(f"town template {name} is current")
            return
        changed = template_schema_ensure_current()
        self.stdout.write(f"town template {name} {'migrated' if changed else 'was current already'}")
        made = template_spares_top_up(options["spares"])
        self.stdout.write(f"{made} spare copies made for the next signups")
