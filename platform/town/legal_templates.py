"""Filled-in starting points for a town's legal texts: Impressum (§ 5 DDG), Datenschutzerklärung
(Art. 13 GDPR) and Erklärung zur Barrierefreiheit (BITV 2.0).

The texts are German legal prose in `templates/town/legal/*.txt` (they are the town's content, not
interface text, so they are not translated). They carry the town's name, address on the web, contact
person and, in the privacy policy, one sentence per enabled module on what it stores
(`core.personal_data.PersonalData.stores`). What the platform cannot know is left as a gap marked
`GAP_MARKER`; a text with a gap left in it cannot be saved (town.forms.LegalTextsForm), so a template is
never published unread.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format

from core.branding import town_url
from core.capabilities import provided_by_module
from core.personal_data import PersonalData
from core.tenancy import connection
from town.selectors import town_profile_get

GAP_MARKER = "[bitte ergänzen"
LEGAL_FIELDS = ("impressum", "privacy_policy", "accessibility_statement")


def _what_is_stored() -> list[dict[str, str]]:
    """One entry per enabled module (and always-on platform app) that stores something about a person."""
    entries = []
    for app, capability in provided_by_module(PersonalData):
        if not capability.stores:
            continue
        spec = getattr(app, "spec", None)
        entries.append({"name": str(spec.name) if spec else "", "stores": str(capability.stores)})
    # Platform parts first (account, village), then the modules by name.
    return sorted(entries, key=lambda entry: (bool(entry["name"]), entry["name"]))


def _context() -> dict[str, Any]:
    profile = town_profile_get()
    tenant = getattr(connection, "tenant", None)
    kind = tenant.get_kind_display() if hasattr(tenant, "get_kind_display") else ""
    return {
        "name": profile.name or getattr(tenant, "name", ""),
        "kind": kind,
        "profile": profile,
        "site": town_url("/"),
        "today": date_format(timezone.localdate(), "j. F Y"),
        "stored": _what_is_stored(),
        "gap": GAP_MARKER,
    }


def legal_template(field: str) -> str:
    """The filled-in template for one of LEGAL_FIELDS, in the current town."""
    if field not in LEGAL_FIELDS:
        raise ValueError(f"no template for {field!r}")
    text = render_to_string(f"town/legal/{field}.txt", _context())
    # Template tags leave runs of blank lines; one blank line is a paragraph break (linebreaks filter).
    lines = [line.rstrip() for line in text.strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out) + "\n"


def has_gaps(text: str) -> bool:
    return GAP_MARKER in text
