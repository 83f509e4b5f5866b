"""Sensitive actions (roles, modules, billing, exports) need a fresh sign-in, like GitHub's sudo mode.

A person who signed in, or confirmed their password or second factor on allauth's re-authentication
page, within SENSITIVE_ACTION_WINDOW_SECONDS may go ahead; anyone else is sent to re-authenticate
first, and allauth then carries out the suspended request. A session stolen hours after sign-in
can read the back office but not hand out roles or switch modules.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from allauth.core.exceptions import ReauthenticationRequired
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

View = TypeVar("View", bound=Callable[..., HttpResponseBase])

# When this session last proved who it is (a sign-in or a re-authentication): accounts.receivers.
AUTHENTICATED_AT_SESSION_KEY = "dorfkern_authenticated_at"


def remember_authentication(request: HttpRequest) -> None:
    if hasattr(request, "session"):
        request.session[AUTHENTICATED_AT_SESSION_KEY] = time.time()


def recently_authenticated(request: HttpRequest) -> bool:
    at = request.session.get(AUTHENTICATED_AT_SESSION_KEY)
    return isinstance(at, (int, float)) and time.time() - at < settings.SENSITIVE_ACTION_WINDOW_SECONDS


def sensitive_action(*, allow_get: bool = True) -> Callable[[View], View]:
    """Re-authentication before the view changes something (or, with allow_get=False, before it answers at all).

    Put it inside the role check: someone without the role gets their 403/login first.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            reading = allow_get and request.method in ("GET", "HEAD", "OPTIONS")
            if request.user.is_authenticated and not reading and not recently_authenticated(request):
                raise ReauthenticationRequired()
            return view(request, *args, **kwargs)

        return cast(View, wrapped)

    return decorator
