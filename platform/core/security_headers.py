"""Browser-side defences on every response: Content-Security-Policy and Permissions-Policy.

The policy allows nothing inline: no `<script>` or `<style>` element with text, no `style=`
attribute, no `on…=` handler, no `javascript:` URL. Every script and style sheet comes from this
host's static files (a town's colours from `town:brand-css`), so an injected tag does nothing even
if it slipped past the HTML sanitiser. Exceptions, each as narrow as it can be:

- Stripe.js (script, its frames and its API) on every page, from Stripe's hosts or, in development
  and tests, from localstripe at STRIPE_API_BASE.
- `data:` images only on allauth's two-factor pages (the TOTP QR code is a data: URI), the API
  docs (Swagger UI's style sheet draws its icons as data: SVGs) and pages with a Leaflet map (it
  cancels the download of every tile it drops by pointing it at a data: GIF); a page's template
  asks for that with `{% load csp %}{% csp_allow_data_images %}`.
- On the public site, forms may lead to a town's host: "go to my new town" posts to the public
  site, which redirects to `<slug>.<BASE_DOMAIN>`, and Chromium checks form-action on redirects.

Map tiles need no exception: the browser loads them from this host (core.map_views proxies them).
Violations are reported to `csp_report`, which logs them (see `CSP_REPORT_*` in settings).
Referrer-Policy and Cross-Origin-Opener-Policy come from Django's SecurityMiddleware
(SECURE_REFERRER_POLICY, SECURE_CROSS_ORIGIN_OPENER_POLICY).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core import ratelimit

logger = logging.getLogger("dorfkern.csp")

REPORT_PATH = "/csp-report/"
# allauth's TOTP set-up shows its QR code as a data: image; Swagger UI's icons are data: SVGs.
DATA_IMAGE_PREFIXES = ("/accounts/2fa/", "/api/docs/")
STRIPE_SCRIPT = ("https://js.stripe.com", "https://*.js.stripe.com")
STRIPE_FRAME = ("https://js.stripe.com", "https://*.js.stripe.com", "https://hooks.stripe.com")
STRIPE_CONNECT = ("https://api.stripe.com",)

# Features a town page never needs are off; the location is asked for by the report and ride forms.
PERMISSIONS_POLICY = ", ".join([
    "accelerometer=()", "autoplay=()", "bluetooth=()", "camera=()", "display-capture=()",
    "encrypted-media=()", "fullscreen=(self)", "geolocation=(self)", "gyroscope=()", "hid=()",
    "magnetometer=()", "microphone=()", "midi=()", 'payment=(self "https://js.stripe.com")',
    "picture-in-picture=()", "screen-wake-lock=()", "serial=()", "usb=()", "xr-spatial-tracking=()",
])


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _town_hosts() -> str:
    """Every town's host on this platform, as a CSP source (`http://*.localhost:8000`)."""
    port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    return f"{settings.SITE_SCHEME}://*.{settings.BASE_DOMAIN}{port}"


def allow_data_images(request: HttpRequest) -> None:
    """Let this response's page load data: images (see the module docstring for who needs it)."""
    request._csp_data_images = True  # type: ignore[attr-defined]


def content_security_policy(*, public_site: bool, path: str, data_images: bool = False) -> str:
    """The policy for one response (built per request: tests change the Stripe and port settings)."""
    stripe_script: tuple[str, ...]
    stripe_frame: tuple[str, ...]
    stripe_connect: tuple[str, ...]
    if settings.STRIPE_API_BASE:
        stripe_base = _origin(settings.STRIPE_API_BASE)
        stripe_script = stripe_frame = stripe_connect = (stripe_base,)
    else:
        stripe_script, stripe_frame, stripe_connect = STRIPE_SCRIPT, STRIPE_FRAME, STRIPE_CONNECT
    images = ["'self'", *(["data:"] if data_images or path.startswith(DATA_IMAGE_PREFIXES) else [])]
    form_action = ["'self'", *([_town_hosts()] if public_site else [])]
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *stripe_script],
        "style-src": ["'self'"],
        "img-src": images,
        "font-src": ["'self'"],
        "connect-src": ["'self'", *stripe_connect],
        "frame-src": list(stripe_frame),
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": form_action,
        "frame-ancestors": ["'none'"],
        "report-uri": [REPORT_PATH],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


class SecurityHeadersMiddleware:
    """Adds the CSP (enforced, or report-only with CSP_REPORT_ONLY) and the Permissions-Policy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        tenant = getattr(request, "tenant", None)
        public_site = getattr(tenant, "schema_name", "public") == "public"
        header = "Content-Security-Policy-Report-Only" if settings.CSP_REPORT_ONLY else "Content-Security-Policy"
        if header not in response:
            response[header] = content_security_policy(
                public_site=public_site, path=request.path,
                data_images=getattr(request, "_csp_data_images", False),
            )
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def _violations(body: bytes) -> list[dict[str, Any]]:
    """The reports in a `report-uri` body (one object) or a Reporting API body (a list)."""
    data = json.loads(body)
    if isinstance(data, dict) and isinstance(data.get("csp-report"), dict):
        return [data["csp-report"]]
    if isinstance(data, list):
        return [item["body"] for item in data if isinstance(item, dict) and isinstance(item.get("body"), dict)]
    return []


def _without_query(url: Any) -> str:
    # Query strings may carry tokens (a sign-in link, a password reset): never logged.
    text = str(url or "")
    if "://" not in text:
        return text[:100]  # "inline", "eval", "data", ...
    parts = urlsplit(text)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"[:200]


@csrf_exempt
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """Log the browser's CSP violation reports; anonymous, limited per IP, never an error page."""
    if not ratelimit.hit("csp-report", ratelimit.client_ip(request),
                         limit=settings.CSP_REPORTS_PER_MINUTE, period=60):
        return HttpResponse(status=429, headers={"Retry-After": "60"})
    if len(request.body) > settings.CSP_REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    try:
        reports = _violations(request.body)
    except (ValueError, TypeError, KeyError):
        return HttpResponse(status=400)
    for report in reports[:5]:
        logger.warning(
            "CSP violation: %s blocked %s on %s (%s:%s)",
            str(report.get("violated-directive") or report.get("effectiveDirective") or "")[:60],
            _without_query(report.get("blocked-uri") or report.get("blockedURL")),
            _without_query(report.get("document-uri") or report.get("documentURL")),
            _without_query(report.get("source-file") or report.get("sourceFile")),
            str(report.get("line-number") or report.get("lineNumber") or "")[:10],
        )
    return HttpResponse(status=204)
