"""Errors under /api/ are JSON for the machines that call it, never an HTML page or a stack trace."""

from __future__ import annotations

import json
from collections.abc import Callable
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse

API_PREFIX = "/api/"


class ApiJsonErrorsMiddleware:
    """Turns the HTML error pages Django renders (unknown URL, disabled module, CSRF, crash) into JSON.

    DRF already answers its own errors in JSON; this catches what happens
    outside DRF views: the resolver's 404, ``module_required``'s 404 and the
    500 page of an uncaught exception (Django still logs it as usual).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith(("application/json", "application/problem+json"))
        ):
            return self._as_json(response)
        return response

    @staticmethod
    def _as_json(response: HttpResponse) -> HttpResponse:
        try:
            reason = HTTPStatus(response.status_code).phrase
        except ValueError:
            reason = response.reason_phrase
        replacement = HttpResponse(
            json.dumps({"detail": reason}), status=response.status_code, content_type="application/json"
        )
        for header in ("Allow", "WWW-Authenticate", "Retry-After", "Vary"):
            if header in response:
                replacement[header] = response[header]
        return replacement
