"""Public-site pages: landing, legal texts, and a municipality's self-signup."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.branding import site_url
from tenants.forms import TownSignupForm
from tenants.models import SignupStatus, TownSignup
from tenants.selectors import platform_offer, signup_get, signup_handover_url, signup_is_stale
from tenants.services import (
    SIGNUP_STEPS,
    signup_confirmation_queue,
    town_signup_confirm,
    town_signup_create,
    town_signup_retry,
)
from tenants.tokens import signup_confirm_token_check

_SESSION_KEY = "town_signups"
RESEND_INTERVAL_SECONDS = 60


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    offered, planned = platform_offer()
    return render(request, "tenants/landing.html", {"offered": offered, "planned": planned})


@require_GET
def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "tenants/terms.html")


@require_GET
def dpa(request: HttpRequest) -> HttpResponse:
    return render(request, "tenants/dpa.html")


def _remember(request: HttpRequest, signup: TownSignup) -> None:
    """This browser submitted or confirmed the signup: it alone gets the hand-over."""
    ids = [i for i in request.session.get(_SESSION_KEY, []) if i != str(signup.pk)]
    request.session[_SESSION_KEY] = [*ids[-9:], str(signup.pk)]


def _owns(request: HttpRequest, signup: TownSignup) -> bool:
    return str(signup.pk) in request.session.get(_SESSION_KEY, [])


def _signup_or_404(signup_id: uuid.UUID) -> TownSignup:
    signup = signup_get(signup_id)
    if signup is None:
        raise Http404
    return signup


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    form = TownSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = town_signup_create(
                name=data["name"],
                kind=data["kind"],
                slug=data["slug"],
                admin_name=data["admin_name"],
                admin_email=data["admin_email"],
                password=data["password"],
            )
        except ValidationError as exc:
            # A race the form's checks could not see (another submission won).
            form.add_error("slug", exc)
        else:
            _remember(request, created)
            return redirect("tenants:signup-status", signup_id=created.pk)
    return render(request, "tenants/signup.html", {"form": form, "base_domain": settings.BASE_DOMAIN})


def _status_context(request: HttpRequest, signup: TownSignup) -> dict[str, Any]:
    steps = [
        {"label": label, "done": index < signup.progress_step or signup.status == SignupStatus.READY,
         "current": index == signup.progress_step and signup.status != SignupStatus.READY}
        for index, label in enumerate(SIGNUP_STEPS)
    ]
    return {
        "signup": signup,
        "steps": steps,
        "owner": _owns(request, signup),
        "finished": signup.status in (SignupStatus.READY, SignupStatus.FAILED),
        "stale": signup_is_stale(signup),
        "base_domain": settings.BASE_DOMAIN,
        # Host and port as a person types them (the dev server runs on a port).
        "town_address": site_url(f"{signup.slug}.{settings.BASE_DOMAIN}", "").split("://", 1)[1],
        "town_url": site_url(f"{signup.slug}.{settings.BASE_DOMAIN}", "/accounts/login/"),
    }


@require_GET
@never_cache
def signup_status(request: HttpRequest, signup_id: uuid.UUID) -> HttpResponse:
    signup = _signup_or_404(signup_id)
    return render(request, "tenants/signup_status.html", _status_context(request, signup))


@require_GET
@never_cache
def signup_status_json(request: HttpRequest, signup_id: uuid.UUID) -> JsonResponse:
    signup = _signup_or_404(signup_id)
    context = _status_context(request, signup)
    return JsonResponse(
        {
            "status": signup.status,
            "status_label": str(signup.get_status_display()),
            "step": signup.progress_step,
            "steps": [{"label": str(s["label"]), "done": s["done"], "current": s["current"]} for s in context["steps"]],
            "progress": signup.progress,
            "error": signup.error,
            "finished": context["finished"],
        }
    )


@require_http_methods(["GET", "POST"])
@never_cache
def signup_confirm(request: HttpRequest, signup_id: uuid.UUID, token: str) -> HttpResponse:
    """GET asks, POST confirms: a mail scanner opening the link must not start anything."""
    signup = signup_get(signup_id)
    if signup is None or not signup_confirm_token_check(
        signup_id=str(signup.pk), email=signup.admin_email, token=token
    ):
        return render(request, "tenants/signup_link_invalid.html", status=400)
    if signup.status != SignupStatus.AWAITING_CONFIRMATION:
        _remember(request, signup)
        return redirect("tenants:signup-status", signup_id=signup.pk)
    if request.method == "POST":
        try:
            signup = town_signup_confirm(signup=signup, token=token)
        except ValidationError:
            return render(request, "tenants/signup_link_invalid.html", status=400)
        _remember(request, signup)
        return redirect("tenants:signup-status", signup_id=signup.pk)
    return render(request, "tenants/signup_confirm.html", {"signup": signup})


@require_POST
def signup_retry(request: HttpRequest, signup_id: uuid.UUID) -> HttpResponse:
    signup = _signup_or_404(signup_id)
    if not _owns(request, signup):
        raise Http404
    try:
        town_signup_retry(signup=signup)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("tenants:signup-status", signup_id=signup.pk)


@require_POST
def signup_resend(request: HttpRequest, signup_id: uuid.UUID) -> HttpResponse:
    signup = _signup_or_404(signup_id)
    if not _owns(request, signup) or signup.status != SignupStatus.AWAITING_CONFIRMATION:
        raise Http404
    # One mail a minute per signup: the button must not turn into a mail cannon.
    if not cache.add(f"signup-resend:{signup.pk}", 1, RESEND_INTERVAL_SECONDS):
        messages.error(request, _("We have just sent the e-mail. Please wait a minute before asking again."))
    else:
        # Sent by the worker within seconds (and retried there if the mail server refuses).
        signup_confirmation_queue(signup=signup)
        messages.success(request, _("We have sent the confirmation e-mail again."))
    return redirect("tenants:signup-status", signup_id=signup.pk)


@require_POST
@never_cache
def signup_handover(request: HttpRequest, signup_id: uuid.UUID) -> HttpResponse:
    """Send the browser that signed up to its new town with a fresh ten-minute sign-in link."""
    signup = _signup_or_404(signup_id)
    if not _owns(request, signup):
        raise Http404
    url = signup_handover_url(signup=signup)
    if url is None:
        messages.error(request, _("Your town is not ready yet."))
        return redirect("tenants:signup-status", signup_id=signup.pk)
    return redirect(url)
