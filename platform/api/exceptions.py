"""DRF's exception handler, with a plain German answer when a caller is throttled."""

from __future__ import annotations

import math
from typing import Any

from django.utils.translation import ngettext
from rest_framework.exceptions import Throttled
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, Throttled):
        seconds = max(1, math.ceil(exc.wait or 1))
        response["Retry-After"] = str(seconds)
        response.data = {"detail": ngettext(
            "Too many requests. Please wait %(seconds)d second and try again.",
            "Too many requests. Please wait %(seconds)d seconds and try again.",
            seconds,
        ) % {"seconds": seconds}}
    return response
