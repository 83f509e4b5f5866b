"""Per-town caches of what pages read again and again, forgotten the moment their data changes.

Every town page reads the same few things (the town's profile, its Ortsgemeinden, a module's
categories) and the start page renders a dozen module widgets and a feed. Reading them from
PostgreSQL on every request made the resident start page cost 21 statements; from Redis they cost
two round trips.

How a change shows at once without each module writing invalidation code: every cached value is
stored under the **generation** of the apps whose data it shows (``depends_on``: app labels). A
save, delete or many-to-many change of any model of such an app (Django's signals, connected in
``connect_signals``) gives the app a new generation, so every key built with the old one is never
read again and expires on its own. A `QuerySet.update()` or `bulk_create()` sends no signal: code
that writes that way calls ``generation_bump(app_label)`` itself (or accepts the value's timeout).

Tenant isolation: the cache's KEY_FUNCTION (django_tenants.cache.make_key) puts the current schema
in front of every key, generations included, so town A's values and bumps never reach town B
(ISOLATION T6; tests/core/test_page_cache.py proves it). Keys here also carry the active language,
since what is cached is translated HTML.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from asgiref.local import Local
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import get_language
from django_tenants.utils import schema_context

from core.tenancy import connection

T = TypeVar("T")

# Who shares a cached fragment: every visitor ("town"), visitors of one Ortsgemeinde ("place"), one user.
Vary = Literal["town", "place", "user"]

_GENERATION_PREFIX = "page-cache:generation:"
# Where core.access.town_standing keeps the signed-in person's Ortsgemeinde id on the user object.
PLACE_MEMO = "_dorfkern_place_id"
# One more generation, for every page an anonymous visitor sees in the town (core.visitor_pages): bumped
# by a change in any tracked app, except by models whose rows no visitor page shows and which are
# written all the time; such a model says `visitor_pages_unaffected = True` (a notification, an outbox
# row, an audit entry). Their app's own generation still changes, for the fragments that show them.
VISITOR_PAGES = "visitor-pages"
# What this request already read (per_request): one dict per thread or async task, None outside a request.
_request_memo = Local()
# Apps whose saves never change what a page shows: no Redis write for them (a login saves a session).
_UNTRACKED = frozenset({"sessions", "contenttypes", "admin", "django_celery_beat", "django_celery_results"})


@dataclass(frozen=True)
class CachedFor:
    """How a fragment (core.capabilities.Fragment.cache) may be cached on the town's pages.

    ``vary``: "town" when its HTML is the same for every visitor (signed in or not is always part of
    the key), "place" when it depends on the visitor's Ortsgemeinde only, "user" when on the person.
    ``depends_on``: app labels besides the providing module's own whose changes must show at once.
    ``seconds``: the longest a value lives, for what changes with time alone ("next events",
    "open now", scheduled articles) and for writes that send no signal.
    """

    vary: Vary = "place"
    seconds: int = 60
    # The town app by default: fragments name Ortsgemeinden and organisations, which live there.
    depends_on: tuple[str, ...] = ("town",)


def _generation_key(label: str) -> str:
    return f"{_GENERATION_PREFIX}{label}"


def _generations(labels: set[str]) -> dict[str, str]:
    """The current generation of each app in `labels` (one Redis round trip)."""
    keys = {label: _generation_key(label) for label in labels}
    found = cache.get_many(list(keys.values()))
    result = {}
    for label, key in keys.items():
        value = found.get(key)
        if value is None:
            # Never a constant such as "0": after an eviction a constant would bring back values
            # cached before the last bump. `add` keeps a generation another request set meanwhile.
            value = uuid.uuid4().hex
            if not cache.add(key, value, None):
                value = cache.get(key) or value
        result[label] = str(value)
    return result


def generation_bump(label: str, *, visitor_pages: bool = True) -> None:
    """Forget every value cached under app `label`'s data, in the current town (and its visitor pages).

    Bumped at once and again after the transaction commits: a request that read the old rows between
    the two must not keep its value under the new generation.
    """

    labels = [label, VISITOR_PAGES] if visitor_pages else [label]
    # The cache's key function reads the schema when the keys are written: after commit the connection
    # may be in another schema (a bump made under schema_context() for another town).
    schema = connection.schema_name

    def bump() -> None:
        values = {_generation_key(name): uuid.uuid4().hex for name in labels}
        if connection.schema_name == schema:
            cache.set_many(values, None)
        else:
            with schema_context(schema):
                cache.set_many(values, None)

    bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(bump)


def visitor_pages_bump() -> None:
    """Forget the current town's visitor pages (a change they show that is stored outside the town's schema)."""
    generation_bump(VISITOR_PAGES, visitor_pages=False)


def visitor_pages_generation(*, also: str) -> tuple[str, Any]:
    """The town's visitor-pages generation, and the value cached under key `also` (one Redis round trip)."""
    generation_key = _generation_key(VISITOR_PAGES)
    found = cache.get_many([generation_key, also])
    generation = found.get(generation_key)
    if generation is None:
        return _generations({VISITOR_PAGES})[VISITOR_PAGES], None
    return str(generation), found.get(also)


def visitor_key(request: Any, vary: Vary) -> str:
    """The part of a key that says who may see the value: signed in or not, plus place or person."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "anon"
    if vary == "user":
        return f"user-{user.pk}"
    if vary == "place":
        # core.access.town_standing may know it already (read with the editor check in one statement).
        if hasattr(user, PLACE_MEMO):
            return f"place-{getattr(user, PLACE_MEMO)}"
        # town.selectors.user_ortsgemeinde_id, which the kernel may not import (a missing profile is None).
        profile = getattr(user, "resident_profile", None)
        return f"place-{getattr(profile, 'ortsgemeinde_id', None)}"
    return "member"


def cached(name: str, depends_on: Iterable[str], compute: Callable[[], T], *, seconds: int = 300) -> T:
    """`compute()`'s value, cached for the current town under `name` until an app in `depends_on` changes."""
    return cached_many([(name, tuple(depends_on), seconds, compute)])[0]  # type: ignore[no-any-return]


def cached_many(entries: Sequence[tuple[str, tuple[str, ...], int, Callable[[], Any]]]) -> list[Any]:
    """Several values at once, ``(name, depends_on, seconds, compute)`` each: two Redis round trips in all.

    `compute` must not return None (None means "not cached").
    """
    found_generations = _generations({label for entry in entries for label in entry[1]})
    language = get_language() or ""
    value_keys = [
        f"page-cache:{name}:{language}:" + ".".join(found_generations[label] for label in sorted(set(depends_on)))
        for name, depends_on, _seconds, _compute in entries
    ]
    found = cache.get_many(value_keys)
    results: list[Any] = []
    fresh: dict[int, dict[str, Any]] = {}
    for key, (_name, _depends_on, seconds, compute) in zip(value_keys, entries, strict=True):
        if key in found:
            results.append(found[key])
            continue
        value = compute()
        fresh.setdefault(seconds, {})[key] = value
        results.append(value)
    for seconds, values in fresh.items():
        cache.set_many(values, seconds)
    return results


def per_request(name: str, compute: Callable[[], T]) -> T:
    """`compute()` once per request and town (a page asking twice pays once); outside a request, every time.

    Only inside a request: a Celery worker or a shell has no end of request at which to forget it.
    """
    values: dict[tuple[str, str], Any] | None = getattr(_request_memo, "values", None)
    if values is None:
        return compute()
    key = (connection.schema_name, name)
    if key not in values:
        values[key] = compute()
    return values[key]  # type: ignore[no-any-return]


def per_request_forget(name: str) -> None:
    """Drop `name` from this request's memo (its data was just changed in this request)."""
    values: dict[tuple[str, str], Any] | None = getattr(_request_memo, "values", None)
    if values is not None:
        for key in [key for key in values if key[1] == name]:
            del values[key]


def _request_started(**kwargs: Any) -> None:
    _request_memo.values = {}
    _request_memo.personal = False


def _request_finished(**kwargs: Any) -> None:
    _request_memo.values = None
    _request_memo.personal = False


def request_mark_personal() -> None:
    """Say that this request's answer is this visitor's alone: it saved something, or counted them."""
    _request_memo.personal = True


def request_is_personal() -> bool:
    """Did this request save or delete a model instance, or count its visitor (core.ratelimit)?"""
    return bool(getattr(_request_memo, "personal", False))


def _changed(sender: Any, **kwargs: Any) -> None:
    request_mark_personal()
    label = getattr(getattr(sender, "_meta", None), "app_label", None)
    if label and label not in _UNTRACKED:
        generation_bump(label, visitor_pages=not getattr(sender, "visitor_pages_unaffected", False))


def _m2m_changed(sender: Any, action: str, instance: Any, **kwargs: Any) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        # The through model may be auto-created in the app of either side: bump the instance's app.
        _changed(type(instance))
        _changed(sender)


def connect_signals() -> None:
    request_started.connect(_request_started, dispatch_uid="core.page_cache.request_started")
    request_finished.connect(_request_finished, dispatch_uid="core.page_cache.request_finished")
    post_save.connect(_changed, dispatch_uid="core.page_cache.post_save")
    post_delete.connect(_changed, dispatch_uid="core.page_cache.post_delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="core.page_cache.m2m_changed")
