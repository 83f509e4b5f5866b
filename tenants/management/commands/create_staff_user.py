"""Create a platform staff user in the public schema.

    manage.py create_staff_user staff@example.org --name "Sam Staff"            # asks for the password
    manage.py create_staff_user staff@example.org --name "Sam Staff" --password "…"

Staff sign in on the public site and must set up TOTP before they see /staff/.
"""

from __future__ import annotations

import getpass
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db import transaction
from django_tenants.utils import get_public_schema_name, schema_context


class Command(BaseCommand):
    help = "Create a platform staff user (public schema). Staff must enable TOTP on first sign-in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="", help="Display name (default: the part before @)")
        parser.add_argument("--password", help="Password; asked for interactively when left out")

    def handle(self, *args: Any, email: str, name: str, password: str | None, **options: Any) -> None:
        from allauth.account.models import EmailAddress

        from accounts.models import User

        email = email.strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"Not a valid e-mail address: {email}") from None
        name = name.strip() or email.split("@")[0]
        if password is None:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords do not match.")
        with schema_context(get_public_schema_name()):
            if User.objects.filter(email=email).exists():
                raise CommandError(f"A user with the e-mail address {email} exists already.")
            try:
                password_validation.validate_password(password, user=User(email=email, name=name))
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
            with transaction.atomic():
                user = User.objects.create_user(email=email, password=password, name=name, is_staff=True)
                # The address is given by whoever runs the server; allauth needs it verified for login and MFA.
                EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        self.stdout.write(self.style.SUCCESS(
            f"Staff user {email} created. Sign in on the public site and set up two-factor login (TOTP)."
        ))
