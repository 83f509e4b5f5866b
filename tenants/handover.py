"""The hand-over into a freshly provisioned town (tenant URLconf: /willkommen/<token>/).

The public site can't sign anybody in on a town's host (sessions are
host-only and live in the town's schema), so it hands the browser a
ten-minute, one-time token signed for that town's schema alone.
"""

from __future__ import annotations

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tenants.tokens import HandoverRejected, handover_token_user

_STATUS = {"invalid": 400, "expired": 400, "used": 403}


@require_GET
@never_cache
def handover(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = handover_token_user(token)
    except HandoverRejected as exc:
        return render(request, "tenants/handover_invalid.html", {"reason": exc.reason}, status=_STATUS[exc.reason])
    from allauth.mfa.models import Authenticator

    if Authenticator.objects.filter(user=user).exists():
        # Someone turned on two-factor login since: a link must not skip it.
        return render(request, "tenants/handover_invalid.html", {"reason": "used"}, status=403)
    # login() rotates the session key and stamps last_login, which spends the token.
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect("town:backoffice")
