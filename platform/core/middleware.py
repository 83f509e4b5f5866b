"""Platform staff must use two-factor login (the host → town lookup is tenants.middleware)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse

from core.tenancy import connection


class StaffRequireMFAMiddleware:
    """Platform staff work only on the public site, and only with a second factor (TOTP or a security key)."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if (
            connection.schema_name == "public"
            and user is not None
            and user.is_authenticated
            and user.is_staff
            and not request.path.startswith(self.ALLOWED_PREFIXES)
        ):
            from allauth.mfa.models import Authenticator

            second_factors = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
            if not Authenticator.objects.filter(user=user, type__in=second_factors).exists():
                return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
