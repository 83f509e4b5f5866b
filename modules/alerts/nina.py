"""Reading the NINA API (Bundesamt für Bevölkerungsschutz, https://github.com/bundesAPI/nina-api).

Two documented endpoints, under the installation's ``NINA_API_BASE``:

- ``/dashboard/<ARS>.json``: the warnings for a county (ARS with the last 7 digits zeroed), a list of
  ``{"id", "payload": {"version", "type", "id", "hash", "data": {"headline", "provider", "severity",
  "msgType", "transKeys", "area"}}, "i18nTitle", "sent"}``;
- ``/warnings/<id>.json``: one warning in CAP form (``identifier``, ``sent``, ``msgType``,
  ``info: [{"language", "severity", "headline", "description", "instruction", "expires", "web",
  "senderName", "area": [{"areaDesc"}]}]``).

Everything goes through core.outbound (timeout, size cap, no internal addresses). A malformed
answer raises :class:`NinaError` with a German message for the town admin; nothing here writes.
"""

from __future__ import annotations

import datetime
import re
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.dateparse import parse_datetime
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from core import outbound

# What a NINA id may look like: provider prefix, then letters, digits and a few separators.
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{2,190}$")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
PROVIDERS = {"MOWAS", "KATWARN", "BIWAPP", "POLICE", "DWD", "LHP"}
SEVERITIES = {"Extreme", "Severe", "Moderate", "Minor", "Unknown"}
# The id's prefix names the provider when the dashboard entry doesn't.
_PREFIXES = {"mow": "MOWAS", "kat": "KATWARN", "biw": "BIWAPP", "pol": "POLICE", "dwd": "DWD", "lhp": "LHP"}


class NinaError(Exception):
    """NINA could not be read, or answered something that isn't in its documented format."""


@dataclass(frozen=True)
class DashboardEntry:
    identifier: str
    version: int
    provider: str
    severity: str
    msg_type: str
    headline: str


@dataclass(frozen=True)
class WarningDetails:
    identifier: str
    version: int
    provider: str
    severity: str
    msg_type: str
    headline: str
    description: str
    instruction: str
    area: str
    sender_name: str
    web: str
    sent: datetime.datetime | None
    expires: datetime.datetime | None


def county_key(ars: str) -> str:
    """The county-level ARS NINA's dashboard expects: the first five digits, then seven zeros."""
    return ars[:5] + "0000000"


def _get_json(client: outbound.OutboundClient, url: str) -> Any:
    try:
        return client.get(url).raise_for_status().json()
    except outbound.OutboundError as exc:
        raise NinaError(str(exc)) from exc


def _text(value: Any, limit: int) -> str:
    if not isinstance(value, str):
        return ""
    return strip_tags(_BREAK.sub("\n", value)).strip()[:limit]


def _when(value: Any) -> datetime.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        return None


def _provider(raw: Any, identifier: str) -> str:
    if isinstance(raw, str) and raw.upper() in PROVIDERS:
        return raw.upper()
    return _PREFIXES.get(identifier.split(".", 1)[0].lower(), "OTHER")


def _severity(raw: Any) -> str:
    return raw if raw in SEVERITIES else "Unknown"


def parse_dashboard(data: Any) -> list[DashboardEntry]:
    """The dashboard's entries; NinaError when the answer isn't a list of warnings as documented."""
    if not isinstance(data, list):
        raise NinaError(_("NINA sent no list of warnings."))
    entries: dict[str, DashboardEntry] = {}
    for item in data:
        payload = item.get("payload") if isinstance(item, dict) else None
        if not isinstance(payload, dict) or not isinstance(payload.get("data"), dict):
            raise NinaError(_("NINA sent a warning without its content."))
        identifier = item.get("id") or payload.get("id")
        version = payload.get("version")
        if not isinstance(identifier, str) or not _ID.match(identifier) or not isinstance(version, int):
            raise NinaError(_("NINA sent a warning without a valid identifier or version."))
        body = payload["data"]
        title = (item.get("i18nTitle") or {}).get("de") if isinstance(item.get("i18nTitle"), dict) else None
        entries[identifier] = DashboardEntry(
            identifier=identifier, version=version, provider=_provider(body.get("provider"), identifier),
            severity=_severity(body.get("severity")), msg_type=str(body.get("msgType") or "Alert")[:10],
            headline=_text(body.get("headline") or title, 300),
        )
    return list(entries.values())


def parse_warning(data: Any, entry: DashboardEntry) -> WarningDetails:
    """One warning's CAP details (German info block preferred); NinaError when malformed."""
    if not isinstance(data, dict) or not isinstance(data.get("info"), list) or not data["info"]:
        raise NinaError(_("NINA sent a warning without details."))
    infos = [info for info in data["info"] if isinstance(info, dict)]
    if not infos:
        raise NinaError(_("NINA sent a warning without details."))
    info = next((i for i in infos if str(i.get("language", "")).lower().startswith("de")), infos[0])
    areas = info.get("area") if isinstance(info.get("area"), list) else []
    area = ", ".join(_text(a.get("areaDesc"), 300) for a in areas if isinstance(a, dict) and a.get("areaDesc"))
    headline = _text(info.get("headline"), 300) or entry.headline
    if not headline:
        raise NinaError(_("NINA sent a warning without a headline."))
    web = info.get("web") if isinstance(info.get("web"), str) and info["web"].startswith("https://") else ""
    return WarningDetails(
        identifier=entry.identifier, version=entry.version, provider=entry.provider,
        severity=_severity(info.get("severity") or entry.severity),
        msg_type=str(data.get("msgType") or entry.msg_type)[:10], headline=headline,
        description=_text(info.get("description"), 5000), instruction=_text(info.get("instruction"), 3000),
        area=area[:2000], sender_name=_text(info.get("senderName"), 200), web=web[:500],
        sent=_when(data.get("sent")), expires=_when(info.get("expires")),
    )


def fetch(ars: str, *, known: dict[str, int]) -> tuple[list[DashboardEntry], dict[str, WarningDetails]]:
    """The county's dashboard, and the details of every warning that is new or has a new version.

    `known` maps the identifiers already stored to their version: those need no second request.
    Raises NinaError for any failure; then nothing was read, and the caller keeps its last state.
    """
    base = settings.NINA_API_BASE.rstrip("/")
    # Each request stops after NINA_TIMEOUT_SECONDS; the whole poll must also end well inside the
    # task's time limit, however many warnings arrive at once. What wasn't read is read next time.
    deadline = time.monotonic() + settings.NINA_POLL_BUDGET_SECONDS
    with outbound.OutboundClient(timeout=settings.NINA_TIMEOUT_SECONDS, max_bytes=settings.NINA_MAX_BYTES) as client:
        entries = parse_dashboard(_get_json(client, f"{base}/dashboard/{county_key(ars)}.json"))
        details = {}
        for entry in entries:
            if known.get(entry.identifier) == entry.version or entry.msg_type.lower() == "cancel":
                continue
            if time.monotonic() > deadline:
                raise NinaError(_("NINA answered too slowly; the warnings will be read again shortly."))
            details[entry.identifier] = parse_warning(
                _get_json(client, f"{base}/warnings/{entry.identifier}.json"), entry
            )
    return entries, details
