"""Writes to a module's taxonomy: seed, create, rename, restyle, reorder, delete.

Each function takes the module's ``Taxonomy`` first and checks its role itself,
so a module's API or task can call it as safely as the back-office pages do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from core.access import user_passes
from core.slugs import german_slugify, slug_free
from core.taxonomy.models import NAME_MAX_LENGTH, Term, colour_validator, icon_validator
from core.taxonomy.spec import Taxonomy

POSITION_STEP = 10


def _objects(taxonomy: Taxonomy) -> models.Manager[Term]:
    return taxonomy.model._default_manager


def terms_seed(taxonomy: Taxonomy) -> None:
    """The module's usual terms, the first time it is switched on in a town (German names: they are data).

    A town that already has terms (it switched the module off and on again) keeps its own.
    """
    objects = _objects(taxonomy)
    if objects.exists():
        return
    # One INSERT for all of them (it runs for every new town): the table is empty, so a slug is taken
    # only by a default before it.
    taken: set[str] = set()
    terms = []
    for index, entry in enumerate(taxonomy.defaults):
        if isinstance(entry, tuple):
            slug, name = entry
        else:
            name = entry
            slug = slug_free(german_slugify(name)[:70].strip("-") or taxonomy.fallback_slug, taken=taken.__contains__)
        taken.add(slug)
        terms.append(taxonomy.model(name=name, slug=slug, position=(index + 1) * POSITION_STEP))
    objects.bulk_create(terms)


def term_list(taxonomy: Taxonomy, *, with_usage: bool = False) -> list[Term]:
    """All terms in their order; ``with_usage`` adds ``term.usage``, the number of rows that use it."""
    qs = _objects(taxonomy).order_by("position", "name")
    if with_usage:
        qs = qs.annotate(usage=Count(taxonomy.used_by))
    return list(qs)


def term_get(taxonomy: Taxonomy, *, pk: int) -> Term | None:
    return _objects(taxonomy).filter(pk=pk).first()


def _require_role(taxonomy: Taxonomy, user: Any) -> None:
    if not (getattr(user, "is_authenticated", False) and user_passes(user, taxonomy.role)):
        raise PermissionDenied(taxonomy.texts.not_allowed)


def _slug(taxonomy: Taxonomy, name: str) -> str:
    base = german_slugify(name)[:70].strip("-") or taxonomy.fallback_slug
    return slug_free(base, taken=lambda slug: _objects(taxonomy).filter(slug=slug).exists())


def _clean_name(taxonomy: Taxonomy, name: str | None, *, exclude_pk: int | None = None) -> str:
    # Drop control characters (they only come from pasting or attacks) and runs of spaces.
    name = " ".join("".join(ch if ch.isprintable() else " " for ch in (name or "")).split())
    if not name:
        raise ValidationError({"name": _("Please enter a name.")})
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            {"name": _("The name is too long (at most %(max)d characters).") % {"max": NAME_MAX_LENGTH}}
        )
    if _objects(taxonomy).filter(name__iexact=name).exclude(pk=exclude_pk).exists():
        raise ValidationError({"name": str(taxonomy.texts.exists)})
    return name


def _clean_style(colour: str, icon: str) -> tuple[str, str]:
    colour, icon = (colour or "").strip(), (icon or "").strip()
    errors: dict[str, list[str]] = {}
    for field, value, validator in (("colour", colour, colour_validator), ("icon", icon, icon_validator)):
        if value:
            try:
                validator(value)
            except ValidationError as error:
                errors[field] = error.messages
    if errors:
        raise ValidationError(errors)
    return colour, icon[:40]


@transaction.atomic
def term_create(taxonomy: Taxonomy, *, acting_user: Any, name: str, colour: str = "", icon: str = "") -> Term:
    """A new term at the end of the list; its slug comes from the name (German transliteration)."""
    _require_role(taxonomy, acting_user)
    name = _clean_name(taxonomy, name)
    colour, icon = _clean_style(colour, icon)
    last = _objects(taxonomy).aggregate(last=Max("position"))["last"] or 0
    return _objects(taxonomy).create(
        name=name, slug=_slug(taxonomy, name), position=last + POSITION_STEP, colour=colour, icon=icon
    )


@transaction.atomic
def term_rename(taxonomy: Taxonomy, *, term: Term, acting_user: Any, name: str) -> Term:
    """A new name; the address (slug) stays, so saved links and API filters keep working."""
    _require_role(taxonomy, acting_user)
    term.name = _clean_name(taxonomy, name, exclude_pk=term.pk)
    term.save(update_fields=["name"])
    if taxonomy.on_rename is not None:
        taxonomy.on_rename(term)
    return term


@transaction.atomic
def term_restyle(taxonomy: Taxonomy, *, term: Term, acting_user: Any, colour: str, icon: str) -> Term:
    """Set or clear the optional colour (#RRGGBB) and icon name."""
    _require_role(taxonomy, acting_user)
    term.colour, term.icon = _clean_style(colour, icon)
    term.save(update_fields=["colour", "icon"])
    return term


@transaction.atomic
def terms_reorder(taxonomy: Taxonomy, *, acting_user: Any, pks: Sequence[int]) -> None:
    """Put the terms in the order of ``pks``; terms not named keep their order after them.

    Positions are renumbered in steps of ten, so a term added later still lands at the end.
    """
    _require_role(taxonomy, acting_user)
    terms = {term.pk: term for term in _objects(taxonomy).select_for_update().order_by("position", "name")}
    unknown = [pk for pk in pks if pk not in terms]
    if unknown or len(set(pks)) != len(pks):
        raise ValidationError(_("The list has changed in the meantime. Please try again."))
    order = [terms[pk] for pk in pks] + [term for pk, term in terms.items() if pk not in set(pks)]
    changed = []
    for index, term in enumerate(order):
        position = (index + 1) * POSITION_STEP
        if term.position != position:
            term.position = position
            changed.append(term)
    _objects(taxonomy).bulk_update(changed, ["position"])


def term_move(taxonomy: Taxonomy, *, term: Term, acting_user: Any, up: bool) -> None:
    """One place up or down; at the top (or bottom) nothing changes."""
    pks = [t.pk for t in term_list(taxonomy)]
    index = pks.index(term.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(pks):
        pks[index], pks[other] = pks[other], pks[index]
    terms_reorder(taxonomy, acting_user=acting_user, pks=pks)


def term_usage(taxonomy: Taxonomy, term: Term) -> int:
    """How many rows use the term (hidden and expired ones too)."""
    return int(getattr(term, taxonomy.used_by).count())


@transaction.atomic
def term_delete(taxonomy: Taxonomy, *, term: Term, acting_user: Any) -> None:
    """Delete a term by the module's rule: rows using it lose it ("detach"), or it must be unused ("refuse").

    Nothing that uses a term is ever deleted with it.
    """
    _require_role(taxonomy, acting_user)
    if taxonomy.delete_rule == "refuse":
        used = term_usage(taxonomy, term)
        if used:
            raise ValidationError(taxonomy.texts.in_use % {"name": term.name, "count": used}, code="in_use")
    term.delete()
