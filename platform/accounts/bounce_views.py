"""Pages and endpoints around undeliverable addresses: the relay's bounce webhook, "confirm my address"."""

from __future__ import annotations

import base64
import binascii
import hmac
import json

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts import bounce_services
from core.access import role_required
from core.ratelimit import ip_limited

# The largest webhook body read: relays send one bounce (or a small batch) per call.
MAX_WEBHOOK_BYTES = 256 * 1024


def _secret_given(request: HttpRequest) -> str:
    """The secret from `Authorization: Bearer <secret>`, or Basic auth's password (URLs like https://x:secret@…)."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    if scheme.lower() == "basic":
        try:
            return base64.b64decode(value.strip()).decode().partition(":")[2]
        except (binascii.Error, UnicodeDecodeError, ValueError):
            return ""
    return ""


def _refused(request: HttpRequest, period: int) -> HttpResponse:
    return HttpResponse("Too many requests\n", status=429, content_type="text/plain", headers={"Retry-After": "60"})


# A machine endpoint: no session, no CSRF token; the shared secret is the authorisation.
@csrf_exempt
@require_POST
@ip_limited("mail-bounces", limit=600, period=60, refuse=_refused)
def bounce_webhook(request: HttpRequest) -> HttpResponse:
    secret = getattr(settings, "MAIL_BOUNCE_WEBHOOK_SECRET", "")
    if not secret:
        raise Http404  # off until the operator sets a secret
    if not hmac.compare_digest(_secret_given(request).encode(), secret.encode()):
        return JsonResponse({"error": "unauthorized"}, status=401)
    if len(request.body) > MAX_WEBHOOK_BYTES:
        return JsonResponse({"error": "too large"}, status=413)
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": "invalid JSON"}, status=400)
    reports = bounce_services.bounce_reports_parse(payload)
    undeliverable = sum(bounce_services.bounce_record(email=email, kind=kind, reason=reason)
                        for email, kind, reason in reports)
    # 200 also for events we ignore, or the relay would retry them for days.
    return JsonResponse({"recorded": len(reports), "undeliverable": undeliverable})


@require_POST
@role_required("authenticated")
@ip_limited("address-check", limit=10, period=3600)
def address_check(request: HttpRequest) -> HttpResponse:
    bounce_services.address_check_request(user=request.user)
    messages.success(request, _("We have sent a confirmation link to %(email)s. Please open it.")
                     % {"email": request.user.email})
    return redirect("town:account")


@require_http_methods(["GET", "POST"])
def address_check_confirm(request: HttpRequest, token: str) -> HttpResponse:
    # GET only asks: mail scanners open links without the person clicking.
    found = bounce_services.address_check_token_read(token)
    if found is None:
        raise Http404  # forged, expired, or from another town
    if request.method == "POST":
        email = bounce_services.address_check_confirm(token=token, user=request.user)
        if email is None:
            raise Http404
        return render(request, "accounts/address_check_confirm.html", {"done": True, "email": email})
    return render(request, "accounts/address_check_confirm.html", {"done": False})
