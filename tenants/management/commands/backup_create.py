"""The nightly backup: the whole database (pg_dump, custom format) and the media, kept BACKUP_KEEP_DAYS days."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tenants.backups import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the whole database and the media into a new folder under BACKUP_ROOT; remove old backups."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--root", type=Path, help="Folder for the backups (default: BACKUP_ROOT).")
        parser.add_argument("--keep-days", type=int, help="Remove backups older than this (default: BACKUP_KEEP_DAYS).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup_create(root=options["root"], keep_days=options["keep_days"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"backup {result.path} in {result.seconds:.1f} s: database {result.dump_bytes / 2**20:.1f} MiB "
            f"({result.tables} tables, {result.rows} rows), media {result.media_bytes / 2**20:.1f} MiB "
            f"({result.media_files} files)"
        )
        for path in result.removed:
            self.stdout.write(f"removed old backup {path}")
