"""The printed issue: two columns, the town's header, page numbers, a QR code for every item (core.printing)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from core.branding import town_profile, town_url
from core.printing import logo_file, pdf_page_count, qr_svg_bytes, render_pdf, short_address
from modules.bulletin.models import Issue, IssueItem
from modules.bulletin.selectors import Section, places, sections_of, town_heading

TEMPLATE = Path(__file__).resolve().parent / "print" / "issue.typ"


def item_when(item: IssueItem) -> str:
    """The item's date as printed: "Sa., 12.09.2026" or with the time."""
    if item.date is None:
        return ""
    from django.utils import timezone

    local = timezone.localtime(item.date)
    day = formats.date_format(local, "D, d.m.Y")
    return day if item.all_day or (local.hour == 0 and local.minute == 0) else f"{day}, {local:%H:%M}"


def issue_pdf(*, issue: Issue, items: list[IssueItem]) -> tuple[bytes, int]:
    """The PDF of `issue` with `items` (those to print) and its number of pages."""
    profile = town_profile()
    sections = sections_of(items, names=places(), town_heading=town_heading(), origin=town_url(""))
    return render_issue(issue=issue, sections=sections, town=str(getattr(profile, "name", "") or ""),
                        colour=getattr(profile, "primary_colour", "") or "#1f5f8b", logo=logo_file(profile),
                        online_url=town_url(issue.get_absolute_url()))


def render_issue(*, issue: Issue, sections: list[Section], town: str, colour: str, online_url: str,
                 logo: tuple[str, bytes] | None = None) -> tuple[bytes, int]:
    """The PDF of an issue's `sections` (items carry ``link``, their absolute address) and its pages; no query."""
    files: dict[str, bytes] = {}
    data_sections: list[dict[str, Any]] = []
    for section in sections:
        printed = []
        for item in section.items:
            link = item.link  # type: ignore[attr-defined]
            qr = ""
            if link:
                qr = f"qr-{len(files) + 1}.svg"
                files[qr] = qr_svg_bytes(link, scale=3, border=1)
            printed.append({"title": item.title, "text": item.text, "when": item_when(item),
                            "kind": item.source_label, "qr": qr, "url": short_address(link) if link else ""})
        data_sections.append({"heading": section.heading, "items": printed})
    data: dict[str, Any] = {
        "document_title": f"{_('Mitteilungsblatt')} {issue.label}",
        "town": town,
        "colour": colour,
        "title": _("Mitteilungsblatt"),
        "issue": issue.label,
        "period": _("%(start)s to %(end)s") % {"start": formats.date_format(issue.period_start, "SHORT_DATE_FORMAT"),
                                               "end": formats.date_format(issue.period_end, "SHORT_DATE_FORMAT")},
        "online": _("Online: %(address)s") % {"address": short_address(online_url)},
        "page": _("Page"),
        "of": _("of"),
        "sections": data_sections,
    }
    if logo is not None:
        files[logo[0]] = logo[1]
        data["logo"] = logo[0]
    pdf = render_pdf(TEMPLATE, data, files=files)
    return pdf, pdf_page_count(pdf)
