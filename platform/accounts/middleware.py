"""Town admins and moderators (editors where the town asks) work with a second factor (accounts.mfa)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.mfa import mfa_grace_until
from core.page_cache import request_mark_personal
from core.tenancy import connection


class TownRequireMFAMiddleware:
    """During the grace period a banner asks for the set-up; after it only the account pages open."""

    # The account pages (allauth: two-factor set-up, sign-out, password, sessions) and what a browser
    # fetches by itself stay reachable.
    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/media/", "/sw.js", "/manifest.webmanifest", "/icon-")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if connection.schema_name != "public" and user is not None and user.is_authenticated:
            grace = mfa_grace_until(request)
            request.mfa_grace_until = grace  # type: ignore[attr-defined]  # read by the banner
            if grace is not None:
                # The banner with this person's date is on every page: none of them may be shared
                # with others of the same role (core.resident_pages).
                request_mark_personal()
            if grace is not None and grace <= timezone.now() and not request.path.startswith(self.ALLOWED_PREFIXES):
                messages.warning(request, _(
                    "Please set up two-factor login first: your role in the town needs it, "
                    "and the time to set it up later is over."
                ))
                return redirect(f"{reverse('mfa_index')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
