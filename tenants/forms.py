"""The public site's forms: a municipality signing itself up."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenants.models import MunicipalityKind
from tenants.selectors import signup_slug_pending
from tenants.services import subdomain_check_available
from tenants.validators import SUBDOMAIN_MAX, SUBDOMAIN_MIN


class TownSignupForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the municipality"),
        max_length=120,
        help_text=gettext_lazy(
            "As it should appear on your town's pages, e.g. “Verbandsgemeinde Betzdorf-Gebhardshain”."
        ),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind of municipality"), choices=MunicipalityKind.choices)
    # No min/max_length here: subdomain_validate explains length problems in its own words.
    slug = forms.CharField(
        label=gettext_lazy("Desired subdomain"),
        widget=forms.TextInput(
            attrs={
                "autocapitalize": "none",
                "autocomplete": "off",
                "spellcheck": "false",
                "maxlength": str(SUBDOMAIN_MAX + 10),
            }
        ),
    )
    admin_name = forms.CharField(label=gettext_lazy("Your name"), max_length=120)
    admin_email = forms.EmailField(label=gettext_lazy("Your e-mail address"), max_length=254)
    password = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    # The template renders these labels with links to the texts.
    accept_terms = forms.BooleanField(
        label=gettext_lazy("I accept the terms of use."),
        error_messages={"required": gettext_lazy("Please accept the terms of use.")},
    )
    accept_dpa = forms.BooleanField(
        label=gettext_lazy("I accept the data processing agreement (AV-Vertrag)."),
        error_messages={"required": gettext_lazy("Please accept the data processing agreement.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].help_text = _(
            "Your town's address will be “subdomain.%(domain)s”. Lower-case letters a–z, digits and hyphens, "
            "%(min)d to %(max)d characters."
        ) % {"domain": settings.BASE_DOMAIN, "min": SUBDOMAIN_MIN, "max": SUBDOMAIN_MAX}
        self.password_rules = password_validation.password_validators_help_texts()

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        subdomain_check_available(slug)  # malformed, reserved or taken
        if signup_slug_pending(slug):
            raise ValidationError(
                _("A registration for this subdomain is already in progress. Please check your e-mail inbox."),
                code="pending",
            )
        return slug

    def clean_admin_email(self) -> str:
        return str(self.cleaned_data["admin_email"]).strip().lower()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = cleaned.get("password")
        if password:
            from accounts.models import User

            candidate = User(email=cleaned.get("admin_email", ""), name=cleaned.get("admin_name", ""))
            # The new town's own name and subdomain are the first guesses for its admin's password.
            candidate.password_context_words = [  # type: ignore[attr-defined]
                str(cleaned.get(field) or "") for field in ("name", "slug")
            ]
            try:
                password_validation.validate_password(password, user=candidate)
            except ValidationError as exc:
                self.add_error("password", exc)
        return cleaned
