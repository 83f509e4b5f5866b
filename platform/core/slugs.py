"""Slugs for addresses, with German transliteration ("Straße" → "strasse", not "strae")."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.text import slugify

_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ẞ": "Ss"})


def german_slugify(value: str) -> str:
    """slugify with German transliteration: "Rüdesheim an der Straße" → "ruedesheim-an-der-strasse"."""
    return slugify(value.translate(_GERMAN))


def slug_free(base: str, *, taken: Callable[[str], bool]) -> str:
    """`base`, or "base-2", "base-3" ... whichever `taken` says is still free."""
    slug, number = base, 1
    while taken(slug):
        number += 1
        slug = f"{base}-{number}"
    return slug
