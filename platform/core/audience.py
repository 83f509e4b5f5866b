"""What of a signed-in person a module's pages depend on, so that the pages of everyone alike are shared.

A resident's list page is shared by everyone of the same role, village and editor status
(core.resident_pages). Some pages depend on a little more: the council's members see its members-only
meetings; the Pinnwand shows a person their own hidden posts and no "report" link on them. A module
says so with an :class:`AudienceFact` in ``ModuleSpec.provides``:

    AudienceFact(name="council.insider", compute="modules.council.selectors.insider_fact",
                 paths=("/council/", "/api/v1/council/"))

``compute(user)`` answers with a short string that many people share (``"insider"``, ``""``), which
becomes part of the shared page's key, or with None: this person's pages here are their own (they
have posts of their own on the Pinnwand) and are rendered for them alone. It is asked once per
request, for addresses under ``paths`` only, before the view runs; the view and its selectors read the
same answer with :func:`audience_fact`, which does not count as reading the person.

Keep facts coarse: one that differs for every person (an id) would give everyone a page of their
own and only cost a query.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.capabilities import Capability, Ref, call

# The attribute of the user object that holds a fact's answer for the rest of the request.
FACT_ATTRIBUTE_PREFIX = "_audience_fact_"
_UNKNOWN = object()


@dataclass(frozen=True)
class AudienceFact(Capability):
    """Something of the signed-in person that a module's shared pages depend on (see the module docs)."""

    kind_label = "audience fact"

    name: str
    compute: Ref
    paths: tuple[str, ...]


@dataclass(frozen=True)
class PersonalPages(Capability):
    """Addresses where every page is each signed-in person's own (their messages through the API): the
    resident page cache leaves them to the view at once, without working out an audience (a statement)
    or watching the view for reads of the person."""

    kind_label = "personal pages"

    paths: tuple[str, ...]


def personal_path(path: str, declared: list[PersonalPages]) -> bool:
    """Is `path` under one of the `declared` personal pages' paths?"""
    return any(path.startswith(pages.paths) for pages in declared)


def _attribute(fact: AudienceFact) -> str:
    return FACT_ATTRIBUTE_PREFIX + fact.name.replace(".", "_")


def audience_fact(user: Any, fact: AudienceFact) -> str | None:
    """`fact`'s answer for `user`: worked out once per request (and user object), then remembered."""
    attribute = _attribute(fact)
    value = getattr(user, attribute, _UNKNOWN)
    if value is _UNKNOWN:
        value = call(fact.compute, user)
        setattr(user, attribute, value)
    return value  # type: ignore[return-value]


def facts_for(user: Any, path: str, facts: list[AudienceFact]) -> list[tuple[str, str | None]]:
    """The answers of the `facts` that apply to `path`, worked out and remembered on `user`."""
    return [(fact.name, audience_fact(user, fact)) for fact in facts if path.startswith(fact.paths)]
