"""Services A–Z in the site-wide search (core.search): published services, with what to bring and "open now"."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from core.search import SearchResult, excerpt, ranked
from modules.services import selectors
from modules.services.models import Office, Service


def _open_note(office: Office | None) -> str:
    if office is None:
        return ""
    state = selectors.office_open_state(office)
    if state.is_open:
        return _("%(office)s: open now, until %(time)s") % {"office": office.name, "time": f"{state.until:%H:%M}"}
    if state.has_hours:
        return _("%(office)s: closed now") % {"office": office.name}
    return office.name


def search(request: HttpRequest, query: str, limit: int) -> list[SearchResult]:
    """Published services best first; snippet says what to bring and whether the office is open (3 queries)."""
    services = list(ranked(Service.objects.filter(is_published=True), "search_vector", query, "title", "id")
                    .select_related("life_situation")[:limit])
    office_ids = {service.office_id for service in services if service.office_id}
    offices = {office.pk: office for office in selectors.offices_with_hours(office_ids)} if office_ids else {}
    results = []
    for service in services:
        office = offices.get(service.office_id) if service.office_id else None
        parts = [_open_note(office)]
        if service.document_list:
            parts.append(_("Bring: %(documents)s") % {"documents": ", ".join(service.document_list)})
        parts.append(excerpt(service.summary or service.description, query))
        results.append(SearchResult(
            title=service.title, url=service.get_absolute_url(), kind_label=_("Town hall"),
            snippet=" · ".join(part for part in parts if part), rank=float(service.rank),
        ))
    return results
