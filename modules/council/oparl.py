"""Reading a town's Ratsinformationssystem through its OParl 1.1 interface (https://oparl.org/spec/1.1/).

The town enters its system's address (the ``System`` object). From there:

- ``System.body`` is a list of ``Body`` objects; each names its lists ``organization``, ``person``,
  ``meeting`` and ``paper``;
- a list answers ``{"data": [...], "pagination": {...}, "links": {"next": ...}}``; ``links.next`` is
  followed until it is missing, at most ``OPARL_MAX_PAGES`` pages and never the same page twice;
- ``?modified_since=<ISO 8601>`` asks only for what changed; objects deleted since come back with
  ``"deleted": true``;
- meetings embed their ``agendaItem`` and ``File`` objects, people their ``membership``, papers their
  ``File`` and ``consultation`` objects, so four lists per body are the whole sync.

Every request goes through core.outbound (no internal addresses, time and size caps). This module only
reads and checks the shape; :class:`OparlError` carries a German message for the town admin.
Nothing here writes: services.oparl_sync stores the result in one transaction.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from core import outbound

SCHEMA = "https://schema.oparl.org/1."
LISTS = ("organization", "person", "meeting", "paper")


class OparlError(Exception):
    """The RIS could not be read, or answered something that isn't OParl 1.x."""


@dataclass
class BodyData:
    """Everything read for one body: raw OParl objects by kind, and the ids deleted since the last sync."""

    body: dict[str, Any]
    objects: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {kind: [] for kind in LISTS})
    deleted: dict[str, set[str]] = field(default_factory=lambda: {kind: set() for kind in LISTS})


@dataclass
class SystemData:
    system: dict[str, Any]
    bodies: list[BodyData]
    requests: int = 0


class _Reader:
    def __init__(self, client: outbound.OutboundClient, deadline: float) -> None:
        self.client = client
        self.deadline = deadline
        self.requests = 0
        self.pages = 0

    def get(self, url: str) -> Any:
        if time.monotonic() > self.deadline:
            raise OparlError(_("Reading the council information system took too long; the sync was stopped."))
        self.requests += 1
        try:
            response = self.client.get(url, headers={"Accept": "application/json"},
                                       timeout=settings.OPARL_TIMEOUT_SECONDS, max_bytes=settings.OPARL_MAX_BYTES)
            return response.raise_for_status().json()
        except outbound.OutboundError as exc:
            raise OparlError(str(exc)) from exc

    def pages_of(self, url: str) -> Iterator[list[dict[str, Any]]]:
        """The ``data`` of every page of a list, following ``links.next`` (bounded, no page twice)."""
        seen: set[str] = set()
        next_url: str | None = url
        while next_url:
            if next_url in seen:
                raise OparlError(_("The council information system sends the same page of a list again "
                                   "(its pages loop); the sync was stopped."))
            seen.add(next_url)
            self.pages += 1
            if self.pages > settings.OPARL_MAX_PAGES:
                raise OparlError(_("The council information system sends more than %(count)d pages; "
                                   "the sync was stopped.") % {"count": settings.OPARL_MAX_PAGES})
            page = self.get(next_url)
            data = page.get("data") if isinstance(page, dict) else None
            if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
                raise OparlError(_("The council information system did not send an OParl list."))
            yield data
            links = page.get("links") if isinstance(page.get("links"), dict) else {}
            candidate = links.get("next") if links else None
            next_url = candidate if isinstance(candidate, str) and candidate else None


def _is_type(obj: Any, name: str) -> bool:
    kind = obj.get("type") if isinstance(obj, dict) else None
    return isinstance(kind, str) and kind.startswith(SCHEMA) and kind.rsplit("/", 1)[-1] == name


def with_modified_since(url: str, since: datetime.datetime | None) -> str:
    if since is None:
        return url
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "modified_since"]
    query.append(("modified_since", since.isoformat(timespec="seconds")))
    return urlunsplit(parts._replace(query=urlencode(query)))


def system_read(url: str, *, modified_since: datetime.datetime | None = None) -> SystemData:
    """Read the system at `url`, its bodies and their four lists (only what changed, given `modified_since`)."""
    deadline = time.monotonic() + settings.OPARL_SYNC_BUDGET_SECONDS
    with outbound.OutboundClient() as client:
        reader = _Reader(client, deadline)
        system = reader.get(url)
        if _is_type(system, "Body"):  # the town entered its body's address rather than the system's
            system, body_objects = {"id": url, "type": system["type"]}, [system]
        elif _is_type(system, "System") and isinstance(system.get("body"), str):
            body_objects = [b for page in reader.pages_of(system["body"]) for b in page]
        else:
            raise OparlError(_("This address is not an OParl system. Please enter the OParl address of your "
                               "council information system (your provider names it; it often ends in /oparl/)."))
        bodies = []
        for body in body_objects:
            if not _is_type(body, "Body") or not isinstance(body.get("id"), str):
                raise OparlError(_("The council information system sent a body that isn't one."))
            found = BodyData(body=body)
            for kind in LISTS:
                list_url = body.get(kind)
                if not isinstance(list_url, str):
                    continue
                for page in reader.pages_of(with_modified_since(list_url, modified_since)):
                    for obj in page:
                        if not isinstance(obj.get("id"), str):
                            raise OparlError(_("The council information system sent an object without an id."))
                        if obj.get("deleted") is True:
                            found.deleted[kind].add(obj["id"])
                        else:
                            found.objects[kind].append(obj)
            bodies.append(found)
        return SystemData(system=system, bodies=bodies, requests=reader.requests)


# --- small readers for the fields, forgiving about what the spec allows to be missing -----------------


def text(obj: dict[str, Any], key: str, limit: int) -> str:
    value = obj.get(key)
    return value.strip()[:limit] if isinstance(value, str) else ""


def url(obj: dict[str, Any], key: str, limit: int = 500) -> str:
    value = text(obj, key, limit + 1)
    return value if value.startswith(("https://", "http://")) and len(value) <= limit else ""


def moment(obj: dict[str, Any], key: str) -> datetime.datetime | None:
    value = obj.get(key)
    try:
        parsed = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:
        return None
    if parsed is not None and parsed.tzinfo is None:
        from django.utils import timezone

        parsed = timezone.make_aware(parsed)
    return parsed


def day(obj: dict[str, Any], key: str) -> datetime.date | None:
    value = obj.get(key)
    try:
        return parse_date(value[:10]) if isinstance(value, str) else None
    except ValueError:
        return None


def objects(obj: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """An embedded object or a list of them (URL references are skipped)."""
    value = obj.get(key)
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, dict)]
    return []


def references(obj: dict[str, Any], key: str) -> list[str]:
    value = obj.get(key)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item if isinstance(item, str) else item.get("id", "") for item in value
                if isinstance(item, str) or isinstance(item, dict)]
    return []
