"""An OpenAPI 3 description of the town's Open311 GeoReport v2 endpoints (served as /open311/v2/openapi.json).

GeoReport v2 itself is described in prose (http://wiki.open311.org/GeoReport_v2/); this document
writes the same fields, parameters, status codes and error format down in OpenAPI, so generic tools
(client generators, schemathesis) can use the interface. Every resource exists as `.json` and
`.xml`; the XML bodies carry the same fields as elements and are described as text only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

W3C_PATTERN = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$"


def _string(description: str = "", **extra: Any) -> dict[str, Any]:
    return {"type": "string", **({"description": description} if description else {}), **extra}


SCHEMAS: dict[str, Any] = {
    "Errors": {
        "type": "array", "minItems": 1,
        "items": {"type": "object", "required": ["code", "description"], "additionalProperties": False,
                  "properties": {"code": {"type": "integer"}, "description": _string(minLength=1)}},
    },
    "Discovery": {
        "type": "object", "required": ["changeset", "contact", "key_service", "endpoints"],
        "properties": {
            "changeset": _string(pattern=W3C_PATTERN), "contact": _string(), "key_service": _string(),
            "endpoints": {"type": "array", "minItems": 1, "items": {
                "type": "object", "required": ["specification", "url", "changeset", "type", "formats"],
                "properties": {"specification": _string(), "url": _string(), "changeset": _string(pattern=W3C_PATTERN),
                               "type": _string(enum=["production", "test"]),
                               "formats": {"type": "array", "items": _string()}}}},
        },
    },
    "Service": {
        "type": "object", "additionalProperties": False,
        "required": ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"],
        "properties": {
            "service_code": _string("The category's stable code.", minLength=1), "service_name": _string(),
            "description": _string(), "metadata": {"type": "boolean"},
            "type": _string(enum=["realtime", "batch", "blackbox"]), "keywords": _string(),
            "group": _string("The town's department that works on it."),
        },
    },
    "ServiceDefinition": {
        "type": "object", "required": ["service_code", "attributes"], "additionalProperties": False,
        "properties": {"service_code": _string(minLength=1), "attributes": {"type": "array", "maxItems": 0}},
    },
    "ServiceRequest": {
        "type": "object", "additionalProperties": False,
        "required": ["service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                     "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                     "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"],
        "properties": {
            "service_request_id": _string(pattern=r"^\d+$"), "status": _string(enum=["open", "closed"]),
            "status_notes": _string("The town's public answer."), "service_name": _string(),
            "service_code": _string(), "description": _string(),
            "agency_responsible": _string("The outside body the report was forwarded to, if any."),
            "service_notice": _string(), "requested_datetime": _string(pattern=W3C_PATTERN),
            "updated_datetime": _string(pattern=W3C_PATTERN), "expected_datetime": _string(pattern=W3C_PATTERN),
            "address": _string(), "address_id": _string(), "zipcode": _string(),
            "lat": {"type": "number", "nullable": True, "minimum": -90, "maximum": 90},
            "long": {"type": "number", "nullable": True, "minimum": -180, "maximum": 180},
            "media_url": _string("A released photo, or empty."),
        },
    },
    "Created": {
        "type": "array", "minItems": 1, "maxItems": 1,
        "items": {"type": "object", "additionalProperties": False,
                  "required": ["service_request_id", "token", "service_notice", "account_id"],
                  "properties": {"service_request_id": _string(pattern=r"^\d+$"), "token": _string(format="uuid"),
                                 "service_notice": _string(), "account_id": _string()}},
    },
    "Token": {
        "type": "array", "minItems": 1, "maxItems": 1,
        "items": {"type": "object", "additionalProperties": False, "required": ["service_request_id", "token"],
                  "properties": {"service_request_id": _string(pattern=r"^\d+$"), "token": _string(format="uuid")}},
    },
}

_JURISDICTION = {"name": "jurisdiction_id", "in": "query", "required": False,
                 "description": "Optional; when given it must name this town (its host name).", "schema": _string()}


def _responses(fmt: str, ok: tuple[int, str, str], errors: dict[int, str]) -> dict[str, Any]:
    def body(ref: str) -> dict[str, Any]:
        if fmt == "json":
            return {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}
        return {"text/xml": {"schema": {"type": "string"}}}

    status, description, ref = ok
    responses = {str(status): {"description": description, "content": body(ref)}}
    for code, text in errors.items():
        responses[str(code)] = {"description": text, "content": body("Errors")}
    return responses


def _operation(fmt: str, summary: str, ok: tuple[int, str, str], errors: dict[int, str],
               parameters: Sequence[dict[str, Any]] = (), **extra: Any) -> dict[str, Any]:
    return {"summary": f"{summary} ({fmt.upper()})", "operationId": f"{summary.lower().replace(' ', '_')}_{fmt}",
            "tags": ["GeoReport v2"], "parameters": list(parameters), "responses": _responses(fmt, ok, errors), **extra}


POST_FIELDS: dict[str, Any] = {
    "api_key": _string("A key the town's administrator issued (Reports → API keys)."),
    "service_code": _string(), "jurisdiction_id": _string(),
    "lat": {"type": "number", "minimum": -90, "maximum": 90},
    "long": {"type": "number", "minimum": -180, "maximum": 180},
    "address_string": _string("Required when lat/long are missing."), "address_id": _string(),
    "email": _string("For the town's staff only, never public."), "device_id": _string(), "account_id": _string(),
    "first_name": _string(), "last_name": _string(), "phone": _string(), "description": _string(maxLength=2000),
    "media_url": _string(),
}


def _paths(prefix: str) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for fmt in ("json", "xml"):
        requests_query = [
            _JURISDICTION,
            {"name": "service_request_id", "in": "query", "required": False, "schema": _string(),
             "description": "One id or several separated by commas; the other filters are then ignored."},
            {"name": "service_code", "in": "query", "required": False, "schema": _string(),
             "description": "One code or several separated by commas."},
            {"name": "start_date", "in": "query", "required": False, "schema": _string(format="date-time"),
             "description": "W3C date-time; without start and end date the last 90 days."},
            {"name": "end_date", "in": "query", "required": False, "schema": _string(format="date-time")},
            {"name": "status", "in": "query", "required": False, "schema": _string(enum=["open", "closed",
                                                                                         "open,closed"])},
        ]
        paths[f"{prefix}discovery.{fmt}"] = {"get": _operation(
            fmt, "Discovery", (200, "Where and how the interface is served.", "Discovery"), {})}
        paths[f"{prefix}services.{fmt}"] = {"get": _operation(
            fmt, "Service list", (200, "The town's categories.", "ServiceList"),
            {404: "jurisdiction_id provided not found"}, [_JURISDICTION])}
        paths[f"{prefix}services/{{service_code}}.{fmt}"] = {"get": _operation(
            fmt, "Service definition", (200, "The category's extra questions (none).", "ServiceDefinition"),
            {404: "service_code or jurisdiction_id provided not found"},
            [{"name": "service_code", "in": "path", "required": True, "schema": _string()}, _JURISDICTION])}
        paths[f"{prefix}requests.{fmt}"] = {
            "get": _operation(fmt, "Service requests", (200, "Public reports, newest first.", "ServiceRequests"),
                              {400: "A filter is malformed.", 404: "jurisdiction_id provided not found"},
                              requests_query),
            "post": _operation(
                fmt, "Create service request", (201, "The report is stored.", "Created"),
                {400: "A field is missing or malformed (e.g. neither lat/long nor address_string).",
                 403: "api_key was not provided, is invalid or revoked.",
                 404: "service_code or jurisdiction_id provided not found",
                 429: "Too many requests from this key or address in an hour."},
                requestBody={"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {
                    "type": "object", "required": ["api_key", "service_code"], "properties": POST_FIELDS}}}}),
        }
        paths[f"{prefix}requests/{{service_request_id}}.{fmt}"] = {"get": _operation(
            fmt, "Service request", (200, "One public report.", "ServiceRequests"),
            {404: "service_request_id provided not found"},
            [{"name": "service_request_id", "in": "path", "required": True, "schema": _string()}, _JURISDICTION])}
        paths[f"{prefix}tokens/{{token}}.{fmt}"] = {"get": _operation(
            fmt, "Request id from token", (200, "The id of the report the token belongs to.", "Token"),
            {404: "token provided not found"},
            [{"name": "token", "in": "path", "required": True, "schema": _string()}, _JURISDICTION])}
    return paths


def openapi_document(*, origin: str, prefix: str, town_name: str) -> dict[str, Any]:
    """The document for one town: `origin` is its site ("https://town.example"), `prefix` "/open311/v2/"."""
    schemas = {**SCHEMAS,
               "ServiceList": {"type": "array", "items": {"$ref": "#/components/schemas/Service"}},
               "ServiceRequests": {"type": "array", "items": {"$ref": "#/components/schemas/ServiceRequest"}}}
    return {
        "openapi": "3.0.3",
        "info": {
            "title": f"Open311 GeoReport v2 – {town_name}", "version": "v2",
            "description": ("The town's Mängelmelder as Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2/). "
                            "Every resource as .json and .xml; errors as a list of {code, description}."),
        },
        "servers": [{"url": origin.rstrip("/")}],
        "paths": _paths(prefix),
        "components": {"schemas": schemas},
    }
