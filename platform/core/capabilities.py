"""The open capability registry: what feature modules provide, and who asks for it.

A module lists what it offers in ``ModuleSpec.provides``: instances of
capability classes (frozen dataclasses that subclass :class:`Capability`).
The class is the kind. A consumer asks for every capability of one kind

    for widget in provided(HomeWidget):          # modules enabled in the current town
        ...
    for kind in declared(ModeratedContent):      # every installed module, any town
        ...

and never names a module. A new kind needs no edit here: it is a class that
lives with the code that consumes it (moderated content with moderation,
promotion slots with billing, feed sources and widgets with core).

Callables on a capability may be given as a dotted path
(``"modules.news.views.home_widget"``): :func:`resolve` imports it the first
time it is used, so ``apps.py`` needs no lazy-import wrapper functions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from django.apps import AppConfig
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe

C = TypeVar("C", bound="Capability")

# A callable, or the dotted path of one (imported on first use).
Ref = Callable[..., Any] | str


class Capability:
    """Base class of every kind of capability; subclasses are frozen dataclasses."""

    # Shown in contract-test failures and the developer docs.
    kind_label: str = ""


@dataclass(frozen=True)
class Fragment(Capability):
    """Base of the kinds that put a piece of HTML on someone else's page (widgets, asides, sections).

    ``render(request, *context)`` returns HTML it rendered itself (render_to_string, format_html),
    or "" for nothing to show. Ask for a concrete kind, never for Fragment itself.
    """

    render: Ref
    order: int = 100
    # How the HTML may be cached (core.page_cache.CachedFor); None: rendered on every request.
    cache: Any = None


def fragments(kind: type[Fragment], request: Any, *context: Any) -> list[SafeString]:
    """The non-empty HTML of every enabled `kind` fragment, in order, ready for a template.

    Fragments that declare ``cache`` come from the town's page cache (core.page_cache) when their
    module's data hasn't changed, all of them in two Redis round trips. While a signed-in resident's
    page is rendered to be shared by their audience (core.resident_pages), a fragment cached per person
    (``vary="user"``) is left as a hole there, filled for each person by :func:`personal_fragments`.
    """
    from core.resident_pages import hole_marker, rendering_shared

    pieces = sorted(provided_by_module(kind), key=lambda pair: pair[1].order)
    html: dict[int, str] = {}
    if not context and rendering_shared(request):
        html.update((index, hole_marker(_hole_name(kind, app, piece))) for index, (app, piece) in enumerate(pieces)
                    if piece.cache is not None and piece.cache.vary == "user")
    cacheable = [
        (index, app, piece) for index, (app, piece) in enumerate(pieces)
        if piece.cache is not None and not context and index not in html
    ]
    if cacheable:
        from core.page_cache import cached_many

        entries = [_cache_entry(kind, app, piece, request) for _index, app, piece in cacheable]
        html.update(zip((index for index, _app, _piece in cacheable), cached_many(entries), strict=True))
    for index, (_app, piece) in enumerate(pieces):
        if index not in html:
            html[index] = call(piece.render, request, *context)
    # Each provider escaped what it rendered itself: marking the result safe keeps it unescaped.
    return [mark_safe(html[index]) for index in range(len(pieces)) if html[index]]


def personal_fragments(request: Any, holes: list[str]) -> list[str]:
    """The HTML of the per-person fragments a shared page left as holes (named by :func:`fragments`),
    for this request's person, in two Redis round trips; "" for one that is no longer provided."""
    from core.page_cache import cached_many

    kinds = {kind.__name__: kind for kind in _subclasses(Fragment)}
    found: dict[int, tuple[type[Fragment], AppConfig, Fragment]] = {}
    for position, hole in enumerate(holes):
        kind = kinds.get(hole.split(":")[1]) if hole.count(":") == 3 else None
        if kind is None:
            continue
        pieces: list[tuple[AppConfig, Fragment]] = provided_by_module(kind)
        found.update((position, (kind, app, piece)) for app, piece in pieces
                     if piece.cache is not None and _hole_name(kind, app, piece) == hole)
    html = dict(zip(found, cached_many([_cache_entry(*found[position], request) for position in found]),
                    strict=True)) if found else {}
    return [str(html.get(position, "")) for position in range(len(holes))]


def _hole_name(kind: type[Fragment], app: AppConfig, piece: Fragment) -> str:
    return f"fragment:{kind.__name__}:{app.label}:{piece.order}"


def _cache_entry(kind: type[Fragment], app: AppConfig, piece: Fragment, request: Any
                 ) -> tuple[str, tuple[str, ...], int, Callable[[], str]]:
    """How core.page_cache.cached_many keeps a fragment: name, the apps it depends on, lifetime, render."""
    from core.page_cache import visitor_key

    return (
        f"fragment:{kind.__name__}:{app.label}:{piece.order}:{visitor_key(request, piece.cache.vary)}",
        (app.label, *piece.cache.depends_on),
        piece.cache.seconds,
        # "" is cached too (nothing to show is the common answer); None would mean "not cached".
        (lambda: call(piece.render, request) or ""),
    )


def _subclasses(kind: type) -> list[type]:
    return [sub for direct in kind.__subclasses__() for sub in (direct, *_subclasses(direct))]


@cache
def _import(path: str) -> Callable[..., Any]:
    target = import_string(path)
    if not callable(target):
        raise TypeError(f"{path} is not callable")
    return target  # type: ignore[no-any-return]


def resolve(ref: Ref) -> Callable[..., Any]:
    """The callable `ref` names: itself, or what its dotted path imports."""
    return _import(ref) if isinstance(ref, str) else ref


def call(ref: Ref, *args: Any, **kwargs: Any) -> Any:
    return resolve(ref)(*args, **kwargs)


# The registry's answer per kind, built once and reused while the registry stays the same (see
# _catalogue): (fingerprint, {kind: [(app, capability, module key or None for a platform app)]}).
_Entry = tuple[Any, Any, str | None]
_catalogue_memo: tuple[tuple[Any, ...], dict[type, list[_Entry]], list[_Entry]] | None = None


def _catalogue() -> tuple[dict[type, list[_Entry]], list[_Entry]]:
    """Every (app, its provides, module key) of the registry, and the per-kind index built from it.

    Pages ask for capabilities dozens of times per request; scanning every app's ``provides`` each
    time was a tenth of a resident's start page. The registry is fixed once Django is set up, but
    tests replace ``core.modules.all_modules`` or a module's ``spec``: so the index is keyed on the
    identity of what ``all_modules()`` returns now (each module and its ``provides`` tuple) and of
    each platform app's ``provides``, and is rebuilt the moment any of them is another object.
    """
    global _catalogue_memo
    from core import modules

    found = modules.registered_modules() if modules.all_modules is modules.ALL_MODULES else modules.all_modules()
    platform = modules.platform_apps()
    module_provides = [module.spec.provides for module in found.values()]
    platform_provides = [getattr(app, "provides", ()) for app in platform]
    # ids compare fast; the memo keeps the objects themselves, so no id is reused while it is compared.
    fingerprint = (*found, *map(id, found.values()), *map(id, module_provides), *map(id, platform),
                   *map(id, platform_provides))
    memo = _catalogue_memo
    if memo is None or memo[0] != fingerprint:
        sources: list[_Entry] = [
            *((app, provides, None) for app, provides in zip(platform, platform_provides, strict=True)),
            *((module, provides, key) for (key, module), provides in zip(found.items(), module_provides, strict=True)),
        ]
        memo = (fingerprint, {}, sources)
        _catalogue_memo = memo
    return memo[1], memo[2]


def _pairs(kind: type[C], keys: frozenset[str] | None) -> list[tuple[AppConfig, C]]:
    # Platform apps (town, billing) provide through a ``provides`` tuple on their AppConfig and are
    # always on; feature modules provide through their spec, and only where `keys` has them.
    by_kind, sources = _catalogue()
    entries = by_kind.get(kind)
    if entries is None:
        entries = [
            (app, capability, key) for app, provides, key in sources for capability in provides
            if isinstance(capability, kind)
        ]
        by_kind[kind] = entries
    return [(app, capability) for app, capability, key in entries if key is None or keys is None or key in keys]


def declared(kind: type[C]) -> list[C]:
    """Every capability of `kind` declared by an installed app, whether a town enabled its module or not."""
    return [capability for _module, capability in _pairs(kind, None)]


def declared_by_module(kind: type[C]) -> list[tuple[AppConfig, C]]:
    """(module, capability) pairs of `kind` over every installed module."""
    return _pairs(kind, None)


def provided(kind: type[C], *, fresh: bool = False) -> list[C]:
    """Every capability of `kind` provided by the modules enabled in the current town ([] on the public site)."""
    from core.modules import enabled_module_keys

    return [capability for _module, capability in _pairs(kind, enabled_module_keys(fresh=fresh))]


def provided_by_module(kind: type[C], *, fresh: bool = False) -> list[tuple[AppConfig, C]]:
    """(module, capability) pairs of `kind` from the modules enabled in the current town."""
    from core.modules import enabled_module_keys

    return _pairs(kind, enabled_module_keys(fresh=fresh))


def module_capabilities(module: Any, kind: type[C]) -> list[C]:
    """The capabilities of `kind` that one module (or platform app) declares."""
    offered = module.spec.provides if hasattr(module, "spec") else getattr(module, "provides", ())
    return [capability for capability in offered if isinstance(capability, kind)]
