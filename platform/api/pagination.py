"""Shared helpers for every *Api class: pagination and conditional GET."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime

from django.http import HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response


class DefaultPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class ConditionalGetMixin:
    """Adds an ETag (a hash of the rendered body) and answers 304 to a matching If-None-Match.

    Views may set ``self.last_modified`` to also send Last-Modified. Hashing the
    body costs little next to producing it and can never go stale.
    """

    last_modified: datetime | None = None

    def finalize_response(self, request: Request, response: HttpResponseBase, *args, **kwargs) -> HttpResponseBase:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        if request.method in ("GET", "HEAD") and isinstance(response, Response) and response.status_code == 200:
            response.add_post_render_callback(self._conditional(request, self.last_modified))
        return response

    @staticmethod
    def _conditional(request: Request, last_modified: datetime | None) -> Callable:
        def callback(response: Response) -> HttpResponseBase | None:
            etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
            response["ETag"] = etag
            timestamp = None
            if last_modified is not None:
                timestamp = int(last_modified.timestamp())
                response.headers.setdefault("Last-Modified", http_date(timestamp))
            patched = get_conditional_response(request._request, etag=etag, last_modified=timestamp, response=response)
            return None if patched is response else patched

        return callback
