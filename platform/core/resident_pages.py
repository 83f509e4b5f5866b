"""Pages signed-in residents share: rendered once per town, address and audience, then read from the cache.

A resident's list page (news, Pinnwand, Branchenbuch, events, ...) shows what every resident sees;
only the header's account menu (name, bell, back-office link) is theirs. Rendering it all again cost
7–13 ms of server CPU per page, twice to four times a plain Django page (issue 20 B: resident
pages at least 0.5× a plain Django page).

How a page comes to be shared, without each module saying which of its pages are personal:

- The middleware sits last, right before the view: sessions, sign-in, messages, CSRF and the MFA
  duty all ran as for any request. It takes GET requests in a town from a signed-in person whose
  cookies are only the session, CSRF and language cookies (no flash message waiting), whose request
  nothing marked personal (core.page_cache.request_is_personal: the MFA banner) and who sent no
  Authorization header.
- While the view runs, ``request.user`` is a watched stand-in for the person (``_Watched``).
  Reading anything of it but what the **audience** is made of (signed in, active, role, staff,
  superuser, editor or not, village) marks the page personal: the id (every query for "my" rows
  reads it), the name, the e-mail, the rest of the profile, a comparison. So does reading the
  session, asking for a real CSRF token, adding a message, saving anything, or a private/no-cache
  answer. A personal page is given to its person and not kept.
- Personal pieces of otherwise shared pages are **holes**: ``{% personal_part "template.html" %}``
  renders the template in place, except while a page is rendered for sharing; then it writes a
  marker, and every answer (new or from the cache) gets the marker replaced by the template
  rendered for that person with only the request's context processors. The header's account menu,
  the start page's feed and the list of one's conversations are such parts. A fragment cached per
  person (core.capabilities.fragments, ``CachedFor(vary="user")``: the start page's unread-messages
  widget) becomes a hole by itself; all of a page's fragment holes are filled in one batch.
- A module whose pages depend on a little more of the person (the council's members see more; the
  Pinnwand shows people their own posts) says so with an audience fact (core.audience): its answer
  joins the key, or, when it says the person's page is their own, the page is rendered for them alone.
- The key is the visitor page's (core.visitor_pages.page_key: town, host, language, Accept, full
  path, time window) plus the audience; the value carries the town's visitor-pages generation, so
  any change in the town shows on the next page, as for anonymous visitors.

Tenant isolation (ISOLATION T6): keys and generations are per schema, as for visitor pages.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import logging
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.template import Context, engines
from django.utils.functional import LazyObject

from core.access import EDITOR_MEMO, town_standing
from core.audience import FACT_ATTRIBUTE_PREFIX, AudienceFact, PersonalPages, facts_for, personal_path
from core.capabilities import personal_fragments, provided
from core.page_cache import PLACE_MEMO, request_is_personal, visitor_pages_generation
from core.tenancy import connection
from core.visitor_pages import (
    RENDERING_ATTR,
    answer_from,
    cacheable_request,
    hit_allowed,
    page_entry,
    page_key,
    shareable_answer,
)

logger = logging.getLogger(__name__)
# What of the person a shared page may depend on: the same for everyone in the key's audience (the
# editor check's answer, core.access, is worked out before the view runs and is part of the key).
AUDIENCE_ATTRIBUTES = frozenset({"is_authenticated", "is_anonymous", "is_active", "role", "is_staff",
                                 "is_superuser", "is_town_admin", "is_moderator", EDITOR_MEMO, PLACE_MEMO})
# Related objects of which a shared page may read some fields: their values are in the audience too.
AUDIENCE_PARTS = {"resident_profile": frozenset({"ortsgemeinde_id", "ortsgemeinde"})}
# Read by Django's own machinery on any user object, telling nothing about the person.
_HARMLESS = frozenset({"_meta", "_state", "__class__", "_wrapped", "_setup", "_personal_reads"})
# A hole is named by its personal part's template ("core/_account_nav.html") or, for a fragment cached
# per person, "fragment:<kind>:<app>:<order>" (core.capabilities.fragments). Only these letters:
# anything else could end the HTML comment.
_HOLE_NAME = re.compile(r"[\w./:-]+")
_FRAGMENT_HOLE = b"fragment:"
# Set on the request while its page is rendered to be shared (personal parts become holes).
_SHARED_ATTR = "_resident_page_render"


@functools.cache
def _hole_prefix(secret: str) -> str:
    # Secret-derived: a page's own text can't carry a marker that would pull someone's menu into it.
    digest = hashlib.blake2b(secret.encode(), digest_size=8, person=b"dk-holes").hexdigest()
    return f"<!--dorfkern-personal-{digest}:"


@functools.cache
def _hole_pattern(secret: str) -> re.Pattern[bytes]:
    """A marker in a rendered page; group 1 is the hole's name."""
    return re.compile(re.escape(_hole_prefix(secret).encode()) + rb"([\w./:-]+)-->")


def hole_marker(name: str) -> str:
    """What a personal part (a template's name) or a per-person fragment is while its page is rendered for sharing."""
    if not _HOLE_NAME.fullmatch(name):
        raise ValueError(f"not a name for a personal part: {name!r}")
    return f"{_hole_prefix(settings.SECRET_KEY)}{name}-->"


def rendering_shared(request: Any) -> bool:
    """Is this request's page being rendered to be shared by its audience (personal parts are holes)?"""
    return bool(getattr(request, _SHARED_ATTR, False))


class _Watched(LazyObject):
    """The signed-in person (or a part of theirs), noting every read that says more than the audience."""

    def __init__(self, wrapped: Any, allowed: frozenset[str], reads: set[str], parts: dict[str, frozenset[str]]
                 ) -> None:
        super().__init__()
        self._wrapped = wrapped
        self.__dict__.update(_allowed=allowed, _personal_reads=reads, _parts=parts)

    def _setup(self) -> None:  # the person is there from the start
        raise AssertionError("a watched user is never lazy")

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._wrapped, name)
        if name in self.__dict__["_parts"]:
            return _Watched(value, self.__dict__["_parts"][name], self.__dict__["_personal_reads"], {})
        if (name not in self.__dict__["_allowed"] and name not in _HARMLESS
                and not name.startswith(FACT_ATTRIBUTE_PREFIX)):
            self.__dict__["_personal_reads"].add(name)
        return value

    def _noted(self, what: str) -> Any:
        self.__dict__["_personal_reads"].add(what)
        return self._wrapped

    # Comparing, hashing, printing or copying the person says who they are (a copy would be unwatched).
    def __eq__(self, other: object) -> bool:
        return bool(self._noted("==") == other)

    def __ne__(self, other: object) -> bool:
        return bool(self._noted("!=") != other)

    def __lt__(self, other: Any) -> bool:
        return bool(self._noted("<") < other)

    def __gt__(self, other: Any) -> bool:
        return bool(self._noted(">") > other)

    def __hash__(self) -> int:
        return hash(self._noted("hash"))

    def __str__(self) -> str:
        return str(self._noted("str"))

    def __bytes__(self) -> bytes:
        return bytes(self._noted("bytes"))

    def __copy__(self) -> Any:
        return copy.copy(self._noted("copy"))

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        return copy.deepcopy(self._noted("copy"), memo)

    def __reduce__(self) -> Any:
        return self._noted("pickle").__reduce__()


def unwatched(user: Any) -> Any:
    """The person behind a watched user, for reads that don't change what a page shows (a rate limit's key)."""
    return user._wrapped if isinstance(user, _Watched) else user


def audience(request: HttpRequest) -> str | None:
    """Everyone for whom this page is the same (AUDIENCE_ATTRIBUTES, AUDIENCE_PARTS' values and the
    modules' audience facts for this address), or None when the person's page here is their own (a
    module's PersonalPages, or an audience fact that says so)."""
    user: Any = request.user
    if personal_path(request.path, provided(PersonalPages)):
        return None
    facts = facts_for(user, request.path, provided(AudienceFact))
    if any(value is None for _name, value in facts):
        return None
    # Editors see "Edit" buttons and the back office; the village picks news, notices and the Pinnwand.
    editor, place = town_standing(user)
    return "|".join(("signed-in", user.role, str(int(user.is_active)), str(int(user.is_staff)),
                     str(int(user.is_superuser)), f"place-{place}", "editor" if editor else "reader",
                     *(f"{name}={value}" for name, value in facts)))


def _candidate(request: HttpRequest) -> bool:
    cookies = {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
    if not cacheable_request(request, cookies=cookies):
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and not request_is_personal())


def fill_holes(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    """Each hole's marker replaced by its part rendered for this request's person."""
    if not isinstance(response, HttpResponse) or response.streaming:
        return response
    if _hole_prefix(settings.SECRET_KEY).encode() not in response.content:
        return response
    response.content = holes_filled(response.content, request, _parts_renderer(request))
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))
    return response


def _parts_renderer(request: HttpRequest) -> Callable[[str], str]:
    """Renders personal parts by template name with the request's context processors, run once for all of
    a page's parts (render_to_string would run them again for each)."""
    engine = engines["django"].engine  # type: ignore[attr-defined]
    context: Context | None = None

    def render(name: str) -> str:
        nonlocal context
        if context is None:
            values: dict[str, Any] = {}
            for processor in engine.template_context_processors:
                values.update(processor(request))
            context = Context(values, autoescape=engine.autoescape)
        with context.push():
            return str(engine.get_template(name).render(context))

    return render


def holes_filled(content: bytes, request: HttpRequest, render: Callable[[str], str]) -> bytes:
    """`content` (UTF-8) with each hole filled for this request's person: a personal part's template by
    `render`, the per-person fragments all in one batch (two Redis round trips)."""
    pattern = _hole_pattern(settings.SECRET_KEY)
    names = list(dict.fromkeys(match.group(1) for match in pattern.finditer(content)))
    fragment_holes = [name for name in names if name.startswith(_FRAGMENT_HOLE)]
    rendered = {name: render(name.decode()).encode() for name in names if not name.startswith(_FRAGMENT_HOLE)}
    if fragment_holes:
        pieces = personal_fragments(request, [name.decode() for name in fragment_holes])
        rendered.update(zip(fragment_holes, (piece.encode() for piece in pieces), strict=True))
    return pattern.sub(lambda match: rendered[match.group(1)], content)


@contextmanager
def holes_for_personal_parts(request: Any) -> Iterator[None]:
    """While inside, personal parts and per-person fragments render as holes (a shared piece of a page)."""
    before = getattr(request, _SHARED_ATTR, False)
    setattr(request, _SHARED_ATTR, True)
    try:
        yield
    finally:
        setattr(request, _SHARED_ATTR, before)


# Addresses (per town and audience) whose page came out personal lately, in this process: rendered plainly
# for a while, without the cache lookup, the watched user and the holes (the start page, the messages; an
# editor's article). Only a missed chance to share if another person's page there would have been the same.
PERSONAL_PATH_SECONDS = 60
_PERSONAL_PATHS_MAX = 10_000
_personal_paths: dict[tuple[str, str, str], float] = {}


def _known_personal(request: HttpRequest, shared_by: str) -> bool:
    until = _personal_paths.get((connection.schema_name, request.path, shared_by))
    return until is not None and until > time.monotonic()


def forget_personal() -> None:
    """Forget which addresses came out personal (the tests' towns reuse their schema names)."""
    _personal_paths.clear()


def _remember_personal(request: HttpRequest, shared_by: str) -> None:
    if len(_personal_paths) >= _PERSONAL_PATHS_MAX:
        _personal_paths.clear()
    _personal_paths[(connection.schema_name, request.path, shared_by)] = time.monotonic() + PERSONAL_PATH_SECONDS


class ResidentPageCacheMiddleware:
    """Shares signed-in residents' pages within their audience; put it last, right before the view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not _candidate(request):
            return self.get_response(request)
        seconds = settings.VISITOR_PAGE_CACHE_SECONDS
        user = request.user
        shared_by = audience(request)
        if shared_by is None or _known_personal(request, shared_by):
            return self.get_response(request)
        key = page_key(request, seconds, audience=shared_by)
        generation, entry = visitor_pages_generation(also=key)
        if entry is not None and entry["generation"] == generation and hit_allowed(request):
            return fill_holes(request, answer_from(request, entry))
        response, personal = self._rendered_watched(request, user)
        if personal:
            _remember_personal(request, shared_by)
        elif request.method == "GET" and shareable_answer(response):
            assert isinstance(response, HttpResponse)
            cache.set(key, page_entry(request, response, generation), seconds)
        return fill_holes(request, response)

    def _rendered_watched(self, request: HttpRequest, user: Any) -> tuple[HttpResponseBase, bool]:
        """The view's answer, and whether rendering it read anything of the person's own."""
        session = request.session
        session_read_before = session.accessed
        csrf_cookie_before = request.META.get("CSRF_COOKIE_NEEDS_UPDATE", False)
        watched = _Watched(user, AUDIENCE_ATTRIBUTES, set(), AUDIENCE_PARTS)
        session.accessed = False
        request.user = watched  # type: ignore[assignment]  # stands in for the person while the view runs
        setattr(request, _SHARED_ATTR, True)
        setattr(request, RENDERING_ATTR, True)
        try:
            response = self.get_response(request)
        finally:
            setattr(request, _SHARED_ATTR, False)
            setattr(request, RENDERING_ATTR, False)
            request.user = user
            session_read = session.accessed
            session.accessed = session_read_before or session_read
        storage = getattr(request, "_messages", None)
        personal = bool(
            watched.__dict__["_personal_reads"] or session_read or session.modified or request_is_personal()
            or (request.META.get("CSRF_COOKIE_NEEDS_UPDATE", False) and not csrf_cookie_before)
            or getattr(storage, "added_new", False)
        )
        if personal:
            logger.debug("not shared, personal: %s %s", request.path,
                         sorted(watched.__dict__["_personal_reads"]) or "session, token, message or save")
        return response, personal
