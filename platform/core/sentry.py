"""Error reports to Sentry (or a compatible service such as GlitchTip), only when SENTRY_DSN is set.

Without a DSN this module is never imported (CoreConfig.ready checks the setting first), so
sentry-sdk costs nothing and patches nothing. With one, unhandled errors of web requests and
Celery tasks are sent, each tagged with the town and the request id, which is also on every log
line of that request (core.request_id): from a report an operator finds its log lines at once.

What leaves the server is kept small, as a town's residents' data must not end up at a third party:
`send_default_pii=False` (no cookies, no Authorization header, no user's name, e-mail or IP
address), no request bodies at all (a form may hold a password or a resident's message), no Redis
breadcrumbs (cache keys carry session keys, e-mail and IP addresses), and the SDK's scrubber on top
(fields named password, secret, token, ... are replaced).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings


def _tag_event(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    """Name the town and the request id on every report; drop cookies should any have slipped in."""
    from core.log_context import current_town
    from core.request_id import NO_REQUEST, current_request_id

    tags = event.setdefault("tags", {})
    tags["town"] = current_town()
    tags["request_id"] = current_request_id() or NO_REQUEST
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("cookies", None)
        request.pop("data", None)
        headers = request.get("headers")
        if isinstance(headers, dict):
            for name in list(headers):
                if name.lower() in ("cookie", "authorization", "x-forwarded-for"):
                    headers.pop(name)
    return event


def sentry_init() -> None:
    """Start sending errors to settings.SENTRY_DSN (web and Celery)."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.redis import RedisIntegration

    sentry_sdk.init(
        dsn=settings.SENTRY_DSN,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        # Its breadcrumbs name every cache key a request used: session keys (the sessions are read
        # from the cache), and rate-limit keys built from an e-mail address or an IP address.
        disabled_integrations=[RedisIntegration],
        send_default_pii=False,
        max_request_body_size="never",
        environment=settings.SENTRY_ENVIRONMENT,
        release=settings.SENTRY_RELEASE or None,
        # Errors only by default; a rate above 0 also sends performance traces.
        traces_sample_rate=settings.SENTRY_TRACES_SAMPLE_RATE,
        before_send=_tag_event,  # type: ignore[arg-type]
    )
