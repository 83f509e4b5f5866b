"""Hand over or erase everything a town holds about one person (GDPR Art. 15, 20 and 17).

    manage.py personal_data --schema t_altdorf --email anna@example.org --export anna.zip
    manage.py personal_data --schema t_altdorf --email anna@example.org --erase --yes

For the town hall, on a person's written request, until residents can do it themselves.
The export is a ZIP (data.json and the person's files), written readable by its owner
only. The erasure runs every module's provider in one transaction (core.personal_data)
and leaves the account as an empty, deactivated shell; it can't be undone.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django_tenants.utils import get_public_schema_name, schema_context, tenant_context

from core.personal_data import personal_data_erase, personal_data_export
from tenants.models import Municipality


class Command(BaseCommand):
    help = "Export (--export PATH) or erase (--erase --yes) one person's data in one town."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--schema", required=True, help="The town: its schema name (t_altdorf) or subdomain")
        parser.add_argument("--email", required=True, help="The person's e-mail address in that town")
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--export", metavar="PATH", help="Write the ZIP archive to PATH (must not exist)")
        action.add_argument("--erase", action="store_true", help="Erase the person's data (needs --yes)")
        parser.add_argument("--yes", action="store_true", help="Confirm the erasure; it can't be undone")

    def handle(self, *args: Any, schema: str, email: str, export: str | None, erase: bool, yes: bool,
               **options: Any) -> None:
        if erase and not yes:
            raise CommandError("Erasing can't be undone. Add --yes to confirm.")
        with schema_context(get_public_schema_name()):
            town = Municipality.objects.filter(Q(schema_name=schema) | Q(slug=schema)).first()
        if town is None:
            raise CommandError(f"No town with the schema or subdomain {schema!r}.")
        with tenant_context(town):
            user = get_user_model()._default_manager.filter(email__iexact=email.strip()).first()
            if user is None:
                raise CommandError(f"Nobody with the e-mail address {email} in {town.name}.")
            if export:
                self._export(user, Path(export))
            else:
                self._erase(user, town)

    def _export(self, user: Any, path: Path) -> None:
        try:
            # Personal data: readable by the one who ran the command only, and never over an existing file.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise CommandError(f"{path} exists already. Choose another file name.") from None
        except OSError as exc:
            raise CommandError(f"Can't write {path}: {exc.strerror}.") from None
        try:
            with personal_data_export(user) as archive, os.fdopen(fd, "wb") as target:
                shutil.copyfileobj(archive, target)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        self.stdout.write(self.style.SUCCESS(f"Exported the data of {user.email} to {path}."))

    def _erase(self, user: Any, town: Municipality) -> None:
        email = user.email
        try:
            sections = personal_data_erase(user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(self.style.SUCCESS(
            f"Erased the data of {email} in {town.name} ({', '.join(sections)}). The account is deactivated "
            "and anonymised; what the law requires the town to keep is kept without the person's name."
        ))
