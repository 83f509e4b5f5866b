"""Prove a backup restores: into a scratch database, checked against its manifest, then dropped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tenants.backups import BackupError, restore_drill


class Command(BaseCommand):
    help = ("Restore the newest backup (or --backup) into a scratch database, compare schemas and row counts "
            "with its manifest, read each town's news, check the media archive, drop the scratch database.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--backup", type=Path, help="A backup folder (default: the newest under BACKUP_ROOT).")
        parser.add_argument("--root", type=Path, help="Folder of the backups (default: BACKUP_ROOT).")
        parser.add_argument("--town", action="append", dest="towns", metavar="SLUG",
                            help="Read the news of this town only (repeatable; default: every town).")
        parser.add_argument("--keep-database", action="store_true",
                            help="Leave the scratch database for a look around (drop it by hand afterwards).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = restore_drill(backup=options["backup"], root=options["root"], towns=options["towns"],
                                   keep_database=options["keep_database"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"restore drill of {report.backup}")
        for line in report.passed:
            self.stdout.write(f"  ok: {line}")
        for line in report.problems:
            self.stdout.write(f"  FAILED: {line}")
        kept = f", scratch database {report.scratch_database} kept" if options["keep_database"] else ""
        self.stdout.write(f"restore {report.restore_seconds:.1f} s, drill {report.total_seconds:.1f} s{kept}")
        if not report.ok:
            raise CommandError(f"the restore drill found {len(report.problems)} problem(s); see above")
