"""Schaukasten pages: the public screen (page + JSON state, behind the screen's key) and the back office."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.access import role_required
from core.branding import town_url
from core.forms import apply_service_errors
from modules.display import selectors, services
from modules.display.forms import ScreenForm

# A public screen stands in a German town hall window: it speaks the town's language whatever
# language the device's browser was set up with.
SCREEN_LANGUAGE = "de"


def _no_store(response: HttpResponse) -> HttpResponse:
    # The key is in the address: keep the page out of shared caches, and always fetch fresh content.
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


def _signed_off_message() -> str:
    return _("This screen is signed off. The town hall can register it again in the back office.")


@require_GET
def screen_page(request: HttpRequest, key: str) -> HttpResponse:
    """The full-screen page a registered display opens; no sign-in, only its key."""
    screen = selectors.screen_by_key(key)
    if screen is None:
        raise Http404
    with translation.override(SCREEN_LANGUAGE):
        if not screen.is_active:
            return _no_store(render(request, "display/screen.html", {"signed_off": _signed_off_message(),
                                                                     "screen": screen}, status=410))
        services.screen_seen(screen=screen)
        state = selectors.screen_state(screen)
        return _no_store(render(request, "display/screen.html", {
            "screen": screen, "state": state,
            "state_url": reverse("display:state", kwargs={"key": key}),
        }))


@require_GET
def screen_state(request: HttpRequest, key: str) -> HttpResponse:
    """What the screen shows now, as JSON; the screen's script fetches it every few minutes."""
    screen = selectors.screen_by_key(key)
    with translation.override(SCREEN_LANGUAGE):
        if screen is None:
            raise Http404
        if not screen.is_active:
            # 410, not 404: the script tells a signed-off screen from a passing server error and stops asking.
            return _no_store(JsonResponse({"status": "signed_off", "message": _signed_off_message()}, status=410))
        services.screen_seen(screen=screen)
        return _no_store(JsonResponse(selectors.screen_state(screen)))


@role_required("town_admin")
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest) -> HttpResponse:
    """The town's screens, and registering a new one (its address is shown once, right after)."""
    form = ScreenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            screen, key = services.screen_register(name=form.cleaned_data["name"],
                                                   ortsgemeinde=form.cleaned_data["ortsgemeinde"],
                                                   acting_user=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            # Shown in this response only: the key is not stored, so no later page can show it again.
            response = render(request, "display/manage/created.html", {
                "screen": screen, "address": town_url(reverse("display:screen", kwargs={"key": key})),
            })
            return _no_store(response)
    return render(request, "display/manage/list.html", {"screens": list(selectors.screen_list()[:200]),
                                                        "form": form})


@role_required("town_admin")
@require_http_methods(["GET", "POST"])
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    screen = selectors.screen_get(pk=pk)
    if screen is None:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            services.screen_revoke(screen=screen, acting_user=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            from django.contrib import messages

            messages.success(request, _("“%(name)s” is signed off. The screen shows that within a few minutes.")
                             % {"name": screen.name})
            return redirect("display:manage")
    return render(request, "display/manage/revoke.html", {"screen": screen, "error": error},
                  status=400 if error else 200)


