"""Printed invitations: the back-office page that prints them and the short link their QR codes open."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.views import SIGNUP_CODE_SESSION_KEY
from core.access import role_required
from core.printing import pdf_response
from town.models import Organisation, Ortsgemeinde
from town.outreach_selectors import invitation_sources, signup_code_get
from town.outreach_services import KINDS, invitation_pdf
from town.people_services import user_can_publish_for
from town.selectors import town_profile_get


@require_GET
def signup_code(request: HttpRequest, code: str) -> HttpResponse:
    """Where a poster's QR code leads: remember the code, then the registration (village chosen)."""
    found = signup_code_get(code)
    if found is None:
        raise Http404
    if request.user.is_authenticated:
        return redirect("home")
    request.session[SIGNUP_CODE_SESSION_KEY] = found.code
    return redirect("account_signup")


@role_required("editor")
@require_GET
def invitations(request: HttpRequest) -> HttpResponse:
    profile = town_profile_get()
    sources = invitation_sources(user=request.user, town_name=profile.name)
    kinds = [("aushang", _("Poster (A4)")), ("flyer", _("Flyer (A6)")), ("brief", _("Letter to new residents"))]
    return render(request, "town/backoffice/invitations.html", {"sources": sources, "kinds": kinds})


@role_required("editor")
@require_GET
def invitation_document(request: HttpRequest, kind: str, source: str = "town", pk: int | None = None) -> HttpResponse:
    if kind not in KINDS:
        raise Http404
    ortsgemeinde = organisation = None
    if source == "ortsgemeinde":
        ortsgemeinde = get_object_or_404(Ortsgemeinde, pk=pk)
    elif source == "organisation":
        organisation = get_object_or_404(Organisation, pk=pk, is_approved=True)
    # The town's and the villages' invitations are the town hall's; a Verein prints its own.
    allowed = request.user.is_town_admin or (organisation is not None
                                             and user_can_publish_for(request.user, organisation))
    if not allowed:
        raise PermissionDenied
    pdf = invitation_pdf(kind, profile=town_profile_get(), ortsgemeinde=ortsgemeinde, organisation=organisation)
    name = (organisation or ortsgemeinde).slug if (organisation or ortsgemeinde) else "gemeinde"
    return pdf_response(pdf, f"{kind}-{name}.pdf")
