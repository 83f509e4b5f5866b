"""A town leaves the platform: export handed over, deactivated now, deleted after the grace period."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import schema_context

from core.audit import AuditTarget, audit_record
from tenants.lifecycle import town_delete, town_export_to_store, town_leave, towns_leaving_purge
from tenants.models import Municipality


class Command(BaseCommand):
    help = ("Let a town leave: export it for hand-over, deactivate it at once, delete everything of it after "
            "the grace period (TOWN_LEAVE_GRACE_DAYS). --purge deletes the towns whose grace period is over.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("slug", nargs="?", help="The town's subdomain.")
        parser.add_argument("--grace-days", type=int, default=None,
                            help=f"Days until deletion (default {settings.TOWN_LEAVE_GRACE_DAYS}).")
        parser.add_argument("--purge", action="store_true",
                            help="Delete every leaving town whose grace period is over (as the hourly task does).")
        parser.add_argument("--delete-now", action="store_true",
                            help="Delete this town now, without a grace period (its export is kept).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["purge"]:
            slugs = towns_leaving_purge()
            self.stdout.write(f"deleted: {', '.join(slugs) or 'none'}")
            return
        if not options["slug"]:
            raise CommandError("Name the town's subdomain, or use --purge.")
        with schema_context("public"):
            town = Municipality.objects.filter(slug=options["slug"]).first()
            if town is None:
                raise CommandError(f"No town with the subdomain {options['slug']!r}.")
            export = town_export_to_store(tenant=town)
            self.stdout.write(f"export for hand-over: {export.path} ({export.bytes} bytes)")
            town = town_leave(tenant=town, grace_days=0 if options["delete_now"] else options["grace_days"])
            target = AuditTarget("tenants.municipality", str(town.pk), town.name)
            audit_record(None, "town.leave", target, before={"is_active": True},
                         after={"is_active": False, "delete_after": town.delete_after, "via": "manage.py"})
            if options["delete_now"]:
                counts = town_delete(tenant=town, keep_archive=True)
                audit_record(None, "town.deleted", target, before={"slug": town.slug}, after=counts)
                self.stdout.write(f"{town.slug} deleted: {counts}")
                return
        self.stdout.write(f"{town.slug} is deactivated; everything of it is deleted after "
                          f"{town.delete_after:%Y-%m-%d %H:%M}.")
