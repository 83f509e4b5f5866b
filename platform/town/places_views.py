"""Back-office pages of the town's places: boundaries and street lists of the Ortsgemeinden, and a check
that shows what a typed address or a point is matched to (the same code the modules use)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.access import role_required
from town.models import Ortsgemeinde
from town.places_forms import BoundaryUploadForm, PlaceCheckForm, StreetUploadForm
from town.places_selectors import ortsgemeinde_at, places_overview, street_list
from town.places_services import boundaries_import, streets_import


@role_required("town_admin")
def places(request: HttpRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = BoundaryUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = boundaries_import(data=form.cleaned_data["file"],
                                           name_property=form.cleaned_data["name_property"].strip())
            except ValidationError as error:
                form.add_error("file", error)
            else:
                messages.success(request, ngettext(
                    "The boundary of %(count)s Ortsgemeinde was saved.",
                    "The boundaries of %(count)s Ortsgemeinden were saved.", len(result.saved),
                ) % {"count": len(result.saved)})
                if result.without:
                    messages.warning(request, _("Still without a boundary: %(names)s.")
                                     % {"names": ", ".join(result.without)})
                return redirect("town:places")
        status = 400
    else:
        form = BoundaryUploadForm()
    return render(request, "town/backoffice/places.html",
                  {"form": form, "ortsgemeinden": places_overview()}, status=status)


@role_required("town_admin")
def place_streets(request: HttpRequest, pk: int) -> HttpResponse:
    ortsgemeinde = get_object_or_404(Ortsgemeinde, pk=pk)
    status = 200
    if request.method == "POST":
        form = StreetUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = streets_import(ortsgemeinde=ortsgemeinde, data=form.cleaned_data["file"])
            except ValidationError as error:
                form.add_error("file", error)
            else:
                summary = _("Street list of %(place)s saved: %(added)s new, %(kept)s kept, %(removed)s removed.") % {
                    "place": ortsgemeinde.name, "added": result.added, "kept": result.kept, "removed": result.removed}
                if result.duplicates:
                    summary += " " + ngettext("%(count)s line repeated a street and was skipped.",
                                              "%(count)s lines repeated a street and were skipped.",
                                              result.duplicates) % {"count": result.duplicates}
                messages.success(request, summary)
                return redirect("town:place-streets", pk=ortsgemeinde.pk)
        status = 400
    else:
        form = StreetUploadForm()
    return render(request, "town/backoffice/place_streets.html",
                  {"form": form, "ortsgemeinde": ortsgemeinde, "streets": list(street_list(ortsgemeinde=ortsgemeinde))},
                  status=status)


@role_required("town_admin")
def place_check(request: HttpRequest) -> HttpResponse:
    form = PlaceCheckForm(request.GET or None)
    address = point_place = None
    point_given = False
    if form.is_bound and form.is_valid():
        address = form.cleaned_data["address"]
        lat, lon = form.cleaned_data["lat"], form.cleaned_data["lon"]
        point_given = lat is not None and lon is not None
        if point_given:
            point_place = ortsgemeinde_at(lat=lat, lon=lon)
    return render(request, "town/backoffice/place_check.html", {
        "form": form, "address": address, "point_given": point_given, "point_place": point_place,
    })
