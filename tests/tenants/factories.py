"""Factories for the public schema: a municipality's signup (Ortsgemeinde Neudorf, Nora Neumann's application)."""

from __future__ import annotations

import datetime

import factory

from tenants.models import TownSignup


class TownSignupFactory(factory.django.DjangoModelFactory):
    """A signup row as the form stores it (waiting for the e-mail confirmation unless `status` says otherwise).

    The password hash "!" is Django's unusable password: these rows are never signed in with.
    """

    class Meta:
        model = TownSignup

    name = "Neudorf"
    kind = "gemeinde"
    slug = "neudorf"
    admin_name = "Nora"
    admin_email = "nora@example.org"
    admin_password_hash = "!"
    accepted_terms_at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
