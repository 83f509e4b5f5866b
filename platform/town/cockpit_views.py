"""The adoption cockpit for the town admin: a page to look at and the same figures as CSV."""

from __future__ import annotations

import csv

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.sensitive import sensitive_action
from core.access import role_required
from core.capabilities import fragments
from core.spreadsheets import csv_cell
from town.capabilities import CockpitSection
from town.cockpit_selectors import Adoption, adoption
from town.outreach_selectors import invitation_sources
from town.selectors import town_profile_get

CHART_HEIGHT = 50


def _columns(figures: Adoption) -> list[dict[str, object]]:
    """Geometry of the weekly columns in a 10-units-per-week SVG viewBox (attributes, no inline style)."""
    busiest = figures.busiest_week or 1
    columns = []
    for index, week in enumerate(figures.weeks):
        height = round(CHART_HEIGHT * week.registrations / busiest, 1)
        columns.append({"week": week, "x": index * 10 + 1, "y": CHART_HEIGHT - height, "height": height})
    return columns


@role_required("town_admin")
@require_GET
def cockpit(request: HttpRequest) -> HttpResponse:
    figures = adoption()
    widest = max((village.residents for village in figures.villages), default=0) or 1
    return render(request, "town/backoffice/cockpit.html", {
        "figures": figures,
        # Bars as a share of the busiest village / week, so the longest bar fills the row.
        "village_bars": [(village, round(100 * village.residents / widest)) for village in figures.villages],
        "week_columns": _columns(figures),
        "invitations": [source for source in invitation_sources(user=request.user, town_name=town_profile_get().name)
                        if source.code],
        "sections": fragments(CockpitSection, request),
    })


@role_required("town_admin")
@sensitive_action(allow_get=False)
@require_GET
def cockpit_csv(request: HttpRequest) -> HttpResponse:
    figures = adoption()
    response = HttpResponse(content_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": 'attachment; filename="digitales-dorf-ueberblick.csv"'})
    response.write("\ufeff")  # Excel reads the umlauts as UTF-8 only with a byte order mark
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Ortsgemeinde"), _("Inhabitants"), _("Registered residents"), _("Share in percent")])
    for village in figures.villages:
        writer.writerow([csv_cell(village.name), village.inhabitants or "", village.residents,
                         str(village.percent).replace(".", ",") if village.percent is not None else ""])
    writer.writerow([_("No Ortsgemeinde chosen"), "", figures.without_village, ""])
    writer.writerow([])
    writer.writerow([_("Week from"), _("Registrations")])
    for week in figures.weeks:
        writer.writerow([week.week.isoformat(), week.registrations])
    writer.writerow([])
    writer.writerow([_("Invitation of"), _("Registrations")])
    for source in invitation_sources(user=request.user, town_name=town_profile_get().name):
        if source.code:
            writer.writerow([csv_cell(source.label), source.registrations])
    return response
