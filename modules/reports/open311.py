"""Open311 GeoReport v2 for the town's reports, under /open311/v2/ (http://wiki.open311.org/GeoReport_v2/).

Served like FixMyStreet serves it: every resource in `.json` and `.xml`; errors as a list of
``{code, description}`` (``<errors><error>…``) with the same HTTP status (400 missing or bad
parameters, 403 missing or invalid api_key, 404 unknown id, service_code or jurisdiction_id);
timestamps in W3C format with the offset of Europe/Berlin. Services are the town's categories
(service_code = the category's slug, no extra attributes, so ``metadata`` is false); requests are the
public reports (confirmed, approved, not merged), never with the reporter's name or contact.
POST needs an api_key the town admin issued (back office: Reports → API keys); the reports are
created at once, so the answer carries the service_request_id (and the token, which
``tokens/<token>`` resolves, for clients that expect one).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from xml.etree import ElementTree

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from core.branding import town_url
from core.ratelimit import client_ip, hit
from modules.reports import selectors, services
from modules.reports.models import OPEN_STATUSES, Category, Report, Source
from town.places_selectors import address_matches

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-06T00:00:00+01:00"
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}


# --- rendering ------------------------------------------------------------------------------------


def w3c(value: datetime | None) -> str:
    """2026-12-06T09:30:00+01:00: local time with its offset, as the spec asks."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def _xml_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _xml(root: str, item: str | None, payload: Any) -> bytes:
    top = ElementTree.Element(root)

    def fill(parent: ElementTree.Element, data: dict[str, Any]) -> None:
        for key, value in data.items():
            child = ElementTree.SubElement(parent, key)
            if isinstance(value, list):  # attributes, values, endpoints, formats
                inner = {"attributes": "attribute", "values": "value", "endpoints": "endpoint",
                         "formats": "format"}[key]
                for entry in value:
                    node = ElementTree.SubElement(child, inner)
                    if isinstance(entry, dict):
                        fill(node, entry)
                    else:
                        node.text = _xml_value(entry)
            else:
                child.text = _xml_value(value)

    if item is None:
        fill(top, payload)
    else:
        for entry in payload:
            fill(ElementTree.SubElement(top, item), entry)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(top, encoding="utf-8")


def respond(fmt: str, payload: Any, *, root: str, item: str | None, status: int = 200) -> HttpResponse:
    body = (json.dumps(payload, ensure_ascii=False).encode() if fmt == "json"
            else _xml(root, item, payload))
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])
    response["Access-Control-Allow-Origin"] = "*"  # public data for any web app, as FixMyStreet does
    return response


def error(fmt: str, status: int, description: str) -> HttpResponse:
    return respond(fmt, [{"code": status, "description": description}], root="errors", item="error", status=status)


def _jurisdiction_error(request: HttpRequest, fmt: str) -> HttpResponse | None:
    """None if jurisdiction_id is absent or names this town (its host, domain or schema); else the 404."""
    jurisdiction = (request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or "").strip().lower()
    if not jurisdiction:
        return None
    town = connection.tenant
    accepted = {request.get_host().split(":")[0].lower(), str(getattr(town, "schema_name", "")).lower(),
                str(getattr(town, "slug", "")).lower()}
    domain = getattr(town, "primary_domain_name", None)
    if callable(domain):
        accepted.add(str(domain() or "").lower())
    if jurisdiction in accepted:
        return None
    return error(fmt, 404, "jurisdiction_id provided not found")


def service_json(category: Category) -> dict[str, Any]:
    return {"service_code": category.slug, "service_name": category.name, "description": category.description,
            "metadata": False, "type": "realtime", "keywords": "", "group": category.get_department_display()}


def request_json(report: Report, origin: str) -> dict[str, Any]:
    from datetime import timedelta

    media = next((p for p in report.photos.all() if report.photos_released or p.is_fix), None)
    return {
        "service_request_id": str(report.pk),
        "status": "open" if report.status in OPEN_STATUSES else "closed",
        "status_notes": report.public_answer,
        "service_name": report.category.name,
        "service_code": report.category.slug,
        "description": report.description,
        "agency_responsible": report.forwarded_to or "",
        "service_notice": "",
        "requested_datetime": w3c(report.created_at),
        "updated_datetime": w3c(report.updated_at),
        "expected_datetime": w3c(report.created_at + timedelta(days=report.category.target_days)),
        "address": report.address or (report.ortsgemeinde.name if report.ortsgemeinde else ""),
        "address_id": "",
        "zipcode": "",
        "lat": report.latitude,
        "long": report.longitude,
        "media_url": origin.rstrip("/") + media.image.url if media else "",
    }


def _requests_payload(reports: Sequence[Report]) -> list[dict[str, Any]]:
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(list(reports), "photos")
    origin = town_url("/")
    return [request_json(report, origin) for report in reports]


# --- endpoints ------------------------------------------------------------------------------------


@require_safe
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = town_url(reverse("reports-open311:discovery", kwargs={"fmt": "json"})).rsplit("discovery", 1)[0]
    payload = {
        "changeset": CHANGESET,
        "contact": town_url("/"),
        "key_service": town_url(reverse("reports:report-list")),
        "endpoints": [{"specification": SPECIFICATION, "url": base.rstrip("/"), "changeset": CHANGESET,
                       "type": "production", "formats": ["text/xml", "application/json"]}],
    }
    return respond(fmt, payload, root="discovery", item=None)


@require_safe
def services_list(request: HttpRequest, fmt: str) -> HttpResponse:
    if (problem := _jurisdiction_error(request, fmt)) is not None:
        return problem
    return respond(fmt, [service_json(c) for c in selectors.category_list()], root="services", item="service")


@require_safe
def service_definition(request: HttpRequest, service_code: str, fmt: str) -> HttpResponse:
    if (problem := _jurisdiction_error(request, fmt)) is not None:
        return problem
    category = Category.objects.filter(slug=service_code).first()
    if category is None:
        return error(fmt, 404, "service_code provided not found")
    # No extra questions per category: the definition has no attributes.
    return respond(fmt, {"service_code": category.slug, "attributes": []}, root="service_definition", item=None)


def _csv(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _date(value: str) -> datetime | None:
    parsed = parse_datetime(value.strip().replace(" ", "+")) if value else None  # '+' arrives as a space
    if value and parsed is None:
        raise ValueError(value)
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


@require_safe
def openapi(request: HttpRequest) -> HttpResponse:
    """This town's GeoReport v2 as an OpenAPI 3 document (for client generators and schemathesis)."""
    from modules.reports.open311_schema import openapi_document

    prefix = reverse("reports-open311:discovery", kwargs={"fmt": "json"}).rsplit("discovery", 1)[0]
    document = openapi_document(origin=town_url("/"), prefix=prefix, town_name=str(connection.tenant.name))
    return respond("json", document, root="", item=None)


# POSTs per hour: an app posting for many residents has its own key; attempts without a valid key per IP address.
POST_LIMIT_PER_KEY = 600
POST_LIMIT_PER_IP = 60


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def requests_view(request: HttpRequest, fmt: str) -> HttpResponse:
    if (problem := _jurisdiction_error(request, fmt)) is not None:
        return problem
    if request.method == "POST":
        return _post_request(request, fmt)
    query = request.GET
    ids: list[int] | None = None
    if query.get("service_request_id"):
        raw_ids = _csv(query["service_request_id"])
        if not all(i.isdigit() for i in raw_ids):
            return error(fmt, 400, "service_request_id must be a number")
        ids = [int(i) for i in raw_ids][:200]
    try:
        start, end = _date(query.get("start_date", "")), _date(query.get("end_date", ""))
    except ValueError:
        return error(fmt, 400, "start_date and end_date must be in W3C format, e.g. 2026-12-01T00:00:00+01:00")
    statuses = {s.lower() for s in _csv(query.get("status", ""))}
    if statuses - {"open", "closed"}:
        return error(fmt, 400, "status must be open or closed")
    status = statuses.pop() if len(statuses) == 1 else ""
    reports = selectors.open311_requests(ids=ids, service_code=_csv(query.get("service_code", "")) or None,
                                         start=start, end=end, status=status)
    return respond(fmt, _requests_payload(reports), root="service_requests", item="request")


def _post_request(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.POST
    key = services.api_key_valid(data.get("api_key", ""))
    allowed = (hit("reports.open311.key", str(key.pk), limit=POST_LIMIT_PER_KEY, period=3600) if key is not None
               else hit("reports.open311", client_ip(request), limit=POST_LIMIT_PER_IP, period=3600))
    if not allowed:
        response = error(fmt, 429, "Too many requests. Please try again in an hour.")
        response["Retry-After"] = "3600"
        return response
    if key is None:
        return error(fmt, 403, "api_key was not provided or is invalid")
    category = Category.objects.filter(slug=data.get("service_code", "")).first()
    if category is None:
        return error(fmt, 404 if data.get("service_code") else 400,
                     "service_code provided not found" if data.get("service_code") else "service_code missing")
    lat_raw, lon_raw = data.get("lat", "").strip(), data.get("long", "").strip()
    address = data.get("address_string", "").strip()
    lat = lon = None
    if lat_raw or lon_raw:
        try:
            lat, lon = float(lat_raw), float(lon_raw)
        except ValueError:
            return error(fmt, 400, "lat and long must both be decimal degrees (WGS84)")
        if not (math.isfinite(lat) and math.isfinite(lon)):
            return error(fmt, 400, "lat and long must both be decimal degrees (WGS84)")
    elif not address:
        return error(fmt, 400, "lat/long or address_string required")
    if not data.get("description", "").strip():
        return error(fmt, 400, "description required")
    matches = address_matches(address) if address and lat is None else []
    name = " ".join(part for part in (data.get("first_name", ""), data.get("last_name", "")) if part).strip()
    try:
        report = services.report_create(
            category=category, description=data["description"], latitude=lat, longitude=lon,
            address=str(matches[0]) if len(matches) == 1 else address[:200],
            ortsgemeinde=matches[0].ortsgemeinde if len(matches) == 1 else None,
            contact_name=name, contact_email=data.get("email", ""), contact_phone=data.get("phone", ""),
            acting_user=None, source=Source.OPEN311,
        )
    except ValidationError as problem:
        return error(fmt, 400, " ".join(problem.messages))
    except PermissionDenied:
        return error(fmt, 403, "not allowed")
    notice = "" if report.approved else "The town checks the request before it is published."
    payload = [{"service_request_id": str(report.pk), "token": str(report.token), "service_notice": notice,
                "account_id": ""}]
    return respond(fmt, payload, root="service_requests", item="request", status=201)


@require_safe
def request_detail(request: HttpRequest, report_id: str, fmt: str) -> HttpResponse:
    if (problem := _jurisdiction_error(request, fmt)) is not None:
        return problem
    reports = selectors.open311_requests(ids=[int(report_id)]) if report_id.isdigit() else []
    if not reports:
        return error(fmt, 404, "service_request_id provided not found")
    return respond(fmt, _requests_payload(reports), root="service_requests", item="request")


@require_safe
def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    if (problem := _jurisdiction_error(request, fmt)) is not None:
        return problem
    import uuid

    try:
        value = uuid.UUID(token)
    except ValueError:
        return error(fmt, 404, "token provided not found")
    report = selectors.public_reports().filter(token=value).only("pk", "token").first()
    if report is None:
        return error(fmt, 404, "token provided not found")
    return respond(fmt, [{"service_request_id": str(report.pk), "token": str(report.token)}],
                   root="service_requests", item="request")
