"""Request ids: one id per request, in the response, on every log line and in the tasks it enqueues.

An incoming `X-Request-ID` (set by the reverse proxy or the load balancer) is kept when it is
short and made of safe characters, so one id follows a request through proxy, web and worker
logs; anything else is replaced by a fresh id (a header is client input: it must not smuggle
line breaks or markup into the logs). The id lives in a context variable, which the logging
filter reads and which Celery carries as a task header (`x_request_id`) into the worker, where
the task's own log lines get the same id.

Kept free of Django imports at module level: the logging filter is loaded while logging is
configured, before the apps are ready.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponseBase

HEADER = "X-Request-ID"
META_KEY = "HTTP_X_REQUEST_ID"
TASK_HEADER = "x_request_id"
# Letters, digits, dot, underscore, dash; a UUID with or without dashes fits.
_VALID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# Shown on log lines written outside any request or task (start-up, beat).
NO_REQUEST = "-"

_current: ContextVar[str | None] = ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    """The id of the request (or task) this code runs for, if any."""
    return _current.get()


def request_id_new() -> str:
    return uuid.uuid4().hex


def request_id_from_header(value: str | None) -> str:
    """The incoming id if it is safe to log and echo, else a fresh one."""
    if value and _VALID.fullmatch(value):
        return value
    return request_id_new()


class RequestIdMiddleware:
    """Takes or makes the request's id, exposes it as `request.request_id` and in the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request_id = request_id_from_header(request.META.get(META_KEY))
        request.request_id = request_id  # type: ignore[attr-defined]
        # Cleared at request_finished, not on the way out of here: Django logs a 4xx/5xx response
        # ("Not Found: /...") after the last middleware returned, and that line needs the id too.
        _current.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


def _request_finished(**kwargs: Any) -> None:
    _current.set(None)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every log record ("-" outside a request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _current.get() or NO_REQUEST
        return True


# --- Celery: the id travels with the task ------------------------------------------------------


def _task_publish(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    request_id = _current.get()
    if request_id and headers is not None and TASK_HEADER not in headers:
        headers[TASK_HEADER] = request_id


def _task_request_id(task: Any) -> str | None:
    # With the Redis transport custom headers end up on task.request itself, elsewhere in .headers
    # (the same lookup tenant-schemas-celery does for its schema header).
    request = task.request
    value = (request.headers or {}).get(TASK_HEADER) or request.get(TASK_HEADER)
    return value if isinstance(value, str) and _VALID.fullmatch(value) else None


_task_tokens: dict[str, Any] = {}


def _task_prerun(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
    if task_id is None or task is None:
        return
    request_id = _task_request_id(task)
    if request_id is None and getattr(task.request, "is_eager", False):
        # Run eagerly inside the request (or task) that called it: no message, no header, same id.
        request_id = _current.get()
    _task_tokens[task_id] = _current.set(request_id)


def _task_postrun(task_id: str | None = None, **kwargs: Any) -> None:
    token = _task_tokens.pop(task_id or "", None)
    if token is not None:
        try:
            _current.reset(token)
        except ValueError:  # set in another context (eager tasks, thread pools): just clear it
            _current.set(None)


def _celery_logger_ready(logger: logging.Logger | None = None, **kwargs: Any) -> None:
    # A worker replaces Django's log handlers with its own (worker_hijack_root_logger); its log
    # formats name %(request_id)s (CELERY_WORKER_*LOG_FORMAT), so each of its handlers needs the filter.
    from celery.utils.log import get_multiprocessing_logger

    for target in (logger, get_multiprocessing_logger()):
        for handler in getattr(target, "handlers", []):
            if not any(isinstance(existing, RequestIdFilter) for existing in handler.filters):
                handler.addFilter(RequestIdFilter())


def connect_signals() -> None:
    """Ends the id with its request and passes it into every task enqueued meanwhile (CoreConfig.ready)."""
    from celery import signals
    from django.core.signals import request_finished

    request_finished.connect(_request_finished, weak=False, dispatch_uid="core.request_id.finished")

    signals.before_task_publish.connect(_task_publish, weak=False, dispatch_uid="core.request_id.publish")
    signals.task_prerun.connect(_task_prerun, weak=False, dispatch_uid="core.request_id.prerun")
    signals.task_postrun.connect(_task_postrun, weak=False, dispatch_uid="core.request_id.postrun")
    signals.after_setup_logger.connect(_celery_logger_ready, weak=False, dispatch_uid="core.request_id.logger")
    signals.after_setup_task_logger.connect(
        _celery_logger_ready, weak=False, dispatch_uid="core.request_id.task_logger"
    )
