"""Export one town to a single archive: its schema's tables, its public rows, its files, a manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import schema_context

from core.audit import AuditTarget, audit_record
from tenants.lifecycle import export_archive_name, export_root, town_export
from tenants.models import Municipality


class Command(BaseCommand):
    help = "Export a town (tables, public rows, media, manifest with checksums) to one tar.gz archive."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("slug", help="The town's subdomain, e.g. musterhausen.")
        parser.add_argument("--output", "-o", help="Archive path (default: TOWN_EXPORT_ROOT/<slug>-<time>.tar.gz).")

    def handle(self, *args: Any, **options: Any) -> None:
        with schema_context("public"):
            town = Municipality.objects.filter(slug=options["slug"]).first()
            if town is None:
                raise CommandError(f"No town with the subdomain {options['slug']!r}.")
            path = Path(options["output"]) if options["output"] else export_root() / export_archive_name(town)
            result = town_export(tenant=town, path=path)
            audit_record(None, "town.export", AuditTarget("tenants.municipality", str(town.pk), town.name),
                         after={"archive": str(result.path), "bytes": result.bytes, "via": "manage.py"})
        self.stdout.write(
            f"{town.slug}: {result.tables} tables, {result.rows} rows, {result.public_rows} public rows, "
            f"{result.files} files -> {result.path} ({result.bytes} bytes, {result.seconds:.1f} s)"
        )
