"""Restore a town from an export archive, into a fresh database or as a new town beside the original."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import schema_context

from core.audit import AuditTarget, audit_record
from tenants.lifecycle import ArchiveRefused, town_restore


class Command(BaseCommand):
    help = ("Restore a town export. Without --as, under its own subdomain (which must be free); with --as, as a "
            "new town (new schema and address; the original's own domains and Stripe links are not copied).")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive", help="The .tar.gz made by town_export.")
        parser.add_argument("--as", dest="slug", default=None, help="Restore as a new town with this subdomain.")
        parser.add_argument("--name", default=None, help="The new town's name (default: the archived one).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = town_restore(archive_path=options["archive"], slug=options["slug"], name=options["name"])
        except ArchiveRefused as exc:
            raise CommandError(f"Nothing was restored: {exc}") from None
        town = result.town
        with schema_context("public"):
            audit_record(None, "town.restore", AuditTarget("tenants.municipality", str(town.pk), town.name),
                         after={"archive": str(options["archive"]), "slug": town.slug, "via": "manage.py"})
        skipped = ", ".join(f"{label}: {n}" for label, n in sorted(result.skipped_public_rows.items()))
        self.stdout.write(
            f"{town.slug} restored: {result.tables} tables, {result.rows} rows, {result.public_rows} public rows, "
            f"{result.files} files in {result.seconds:.1f} s"
            + (" (migrated forward from the archive's older version)" if result.migrated_forward else "")
            + (f"; not copied: {skipped}" if skipped else "")
        )
        self.stdout.write("steps (s): " + ", ".join(f"{name} {seconds:.1f}" for name, seconds in result.steps.items()))
