"""The first page a new resident sees: their village, what is there, who is there, how to hear of it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from core.access import user_passes
from core.feed import home_feed
from core.modules import all_modules, enabled_module_keys
from core.views import home_prompts, home_widgets
from town.models import Organisation, Ortsgemeinde
from town.selectors import user_ortsgemeinde_id


def _offers(request: HttpRequest) -> list[dict[str, Any]]:
    """Each switched-on module with a page for residents: its name, what it is for, where it is."""
    enabled = enabled_module_keys()
    offers = []
    for key, module in all_modules().items():
        if key not in enabled:
            continue
        entry = next((item for item in module.spec.nav
                      if not item.backoffice and user_passes(request.user, item.permission)), None)
        if entry is None:
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        offers.append({"key": key, "label": entry.label, "description": module.spec.description, "url": url})
    return offers


@login_required
@require_GET
def welcome(request: HttpRequest) -> HttpResponse:
    village_id = user_ortsgemeinde_id(request.user)
    village = Ortsgemeinde.objects.filter(pk=village_id).first() if village_id else None
    # The village's own Vereine first, then the town-wide ones (no village): the people to meet.
    organisations = Organisation.objects.filter(is_approved=True)
    if village is not None:
        organisations = organisations.filter(Q(ortsgemeinde=village) | Q(ortsgemeinde__isnull=True))
    offers = _offers(request)
    return render(request, "town/welcome.html", {
        "village": village,
        "offers": offers,
        "prompts": home_prompts(request),  # e.g. the notifications module's "what we tell you about"
        "organisations": list(organisations.order_by("-ortsgemeinde_id", "name")[:12]),
        "widgets": home_widgets(request),
        "feed": home_feed(request),
    })
