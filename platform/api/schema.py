"""OpenAPI: the token scheme, only the town's enabled modules, documented error answers."""

from __future__ import annotations

from typing import Any

from django.db import connection
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework.settings import api_settings

from tenants.selectors import tenant_enabled_modules


class TownTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TownTokenAuthentication"
    name = "townToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                'A personal API token, sent as "Token dk_…". Create and revoke tokens at /konto/api-tokens/. '
                "A token is valid only on the town that issued it."
            ),
        }


class TownAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema, fitted to HackSoft-style ``XxxApi(APIView)`` classes.

    - Every ``XxxApi`` has its own nested ``OutputSerializer``; drf-spectacular
      would name all of them "Output" and let them overwrite each other. Here
      ``ArticleListApi.OutputSerializer`` becomes ``ArticleListOutput``.
    - A GET answering ``OutputSerializer(many=True)`` is documented as the
      paginated envelope (count/next/previous/results) with page parameters.
    """

    def get_serializer_name(self, serializer: Any, direction: str) -> str:
        cls = serializer.__class__
        outer, _, inner = cls.__qualname__.rpartition(".")
        if not outer or "<locals>" in outer:
            return super().get_serializer_name(serializer, direction)
        outer = outer.replace(".", "")
        if outer.endswith("Api"):
            outer = outer[: -len("Api")]
        return outer + inner

    def _get_paginator(self) -> Any:
        # A plain APIView has no pagination_class; the platform's list APIs
        # paginate with the default class (see api.pagination), so document
        # them that way. A view opts out with ``pagination_class = None``.
        if hasattr(self.view, "pagination_class"):
            return super()._get_paginator()
        default = api_settings.DEFAULT_PAGINATION_CLASS
        return default() if default else None


def enabled_modules_only(endpoints: list[tuple], **kwargs: Any) -> list[tuple]:
    """Preprocessing hook: drop the endpoints of modules this town has switched off.

    Module views are wrapped by ``core.access.module_required``, which tags them
    with ``module_key``; untagged views belong to the platform and always stay.
    """
    tenant = getattr(connection, "tenant", None)
    if tenant is None or connection.schema_name == "public":
        enabled: set[str] = set()
    else:
        enabled = set(tenant_enabled_modules(tenant=tenant))
    return [
        endpoint
        for endpoint in endpoints
        if getattr(endpoint[3], "module_key", None) is None or endpoint[3].module_key in enabled
    ]


ERROR_COMPONENT = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR_COMPONENT = {
    "type": "object",
    "description": "Field names (or non_field_errors / detail) mapped to messages.",
    "additionalProperties": True,
}
_ERROR_RESPONSES = {
    "401": "Missing, invalid, revoked or expired credentials.",
    "403": "Signed in, but not allowed to do this.",
    "404": "Not found, or not enabled in this town.",
}


def document_error_responses(result: dict, generator: Any, request: Any, public: bool) -> dict:
    """Postprocessing hook: every operation may answer with the JSON errors the API really sends."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("Error", ERROR_COMPONENT)
    components.setdefault("ValidationError", VALIDATION_ERROR_COMPONENT)
    error_ref = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for status, description in _ERROR_RESPONSES.items():
                responses.setdefault(
                    status, {"description": description, "content": {"application/json": {"schema": error_ref}}}
                )
            responses.setdefault("429", {
                "description": "Too many requests (api.throttling): wait the seconds in Retry-After.",
                "headers": {"Retry-After": {"description": "Seconds until the next call is accepted.",
                                            "schema": {"type": "integer", "minimum": 1}}},
                "content": {"application/json": {"schema": error_ref}},
            })
            if operation.get("parameters") or operation.get("requestBody"):
                responses.setdefault(
                    "400",
                    {
                        "description": "The request's parameters or body were not valid.",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ValidationError"}}},
                    },
                )
            if method in ("post", "put", "patch") and operation.get("requestBody"):
                responses.setdefault(
                    "415",
                    {"description": "Unsupported media type.", "content": {"application/json": {"schema": error_ref}}},
                )
    return result
