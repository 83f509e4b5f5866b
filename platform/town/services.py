"""Writes to the town's own data: profile and branding, contact person, legal texts, Ortsgemeinden.

Every function runs in the current town's schema (the request's or a task's);
nothing here takes a tenant argument, so an admin can only ever change the
town whose host they are on.
"""

from __future__ import annotations

import math
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import connection, transaction
from django.utils import formats
from django.utils.translation import gettext as _

from core.audit import AuditTarget, audit_record, changes_between, model_values
from core.colours import AA_NORMAL_TEXT, TEXT_LIGHT, best_text_contrast, contrast_ratio, darken_until_readable

# german_slugify moved to core (the kernel imports nothing above it); town keeps the name for its callers.
from core.slugs import german_slugify as german_slugify
from core.storage import delete_files_after_commit
from town.models import Ortsgemeinde, TownProfile


def _ratio(value: float) -> str:
    # Rounded down, so a refused 4.47:1 never reads as "4.5:1" next to "4.5:1 needed".
    return formats.number_format(math.floor(value * 10) / 10, 1)


# --- branding ---------------------------------------------------------------


def brand_colours_problems(*, primary: str, accent: str) -> dict[str, list[str]]:
    """Why a colour pair fails WCAG AA (4.5:1), per field; empty when it passes.

    The primary colour is the header background and the link colour on white;
    the accent colour is the background of badges and highlights. Text on
    either is white or near-black, whichever reads better.
    """
    problems: dict[str, list[str]] = {}
    need = _ratio(AA_NORMAL_TEXT)
    on_white = contrast_ratio(primary, TEXT_LIGHT)
    if on_white < AA_NORMAL_TEXT:
        problems.setdefault("primary_colour", []).append(
            _("The primary colour reaches only %(ratio)s:1 on white (links); %(need)s:1 is needed. "
              "A darker shade such as %(suggestion)s would pass.")
            % {"ratio": _ratio(on_white), "need": need, "suggestion": darken_until_readable(primary)}
        )
    on_primary = best_text_contrast(primary)
    if on_primary < AA_NORMAL_TEXT:
        problems.setdefault("primary_colour", []).append(
            _("Text on the primary colour reaches at most %(ratio)s:1; %(need)s:1 is needed.")
            % {"ratio": _ratio(on_primary), "need": need}
        )
    on_accent = best_text_contrast(accent)
    if on_accent < AA_NORMAL_TEXT:
        problems.setdefault("accent_colour", []).append(
            _("Text on the accent colour reaches at most %(ratio)s:1 with white or dark text; %(need)s:1 is needed. "
              "A darker shade such as %(suggestion)s would pass.")
            % {"ratio": _ratio(on_accent), "need": need, "suggestion": darken_until_readable(accent)}
        )
    return problems


def town_profile_for_update() -> TownProfile:
    """The profile row to edit (a fresh instance, never the cached one)."""
    profile = TownProfile.objects.first()
    if profile is None:
        profile = TownProfile.objects.create(name=getattr(connection.tenant, "name", ""))
    return profile


_IMAGE_FIELDS = ("logo", "header_image", "contact_photo")
_PROFILE_FIELDS = {
    "name", "tagline", "logo", "header_image", "header_image_alt", "primary_colour", "accent_colour",
    "contact_name", "contact_role", "contact_email", "contact_phone", "contact_photo", "contact_hours",
    "impressum", "privacy_policy", "mfa_for_editors", "accessibility_statement",
}


@transaction.atomic
def town_profile_update(*, profile: TownProfile, acting_user: Any = None, **fields: Any) -> TownProfile:
    """Change the town's profile; colours that fail contrast and bad values are refused, nothing saved.

    Image fields take a File (replace), False or "" (remove) or None (keep). Files that
    are replaced or removed are deleted from storage once the change is committed.
    """
    unknown = set(fields) - _PROFILE_FIELDS
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    stored = TownProfile.objects.filter(pk=profile.pk).first()
    previous = {name: getattr(stored, name, None) for name in _IMAGE_FIELDS}
    before = model_values(stored, sorted(_PROFILE_FIELDS)) if stored else {}
    for name, value in fields.items():
        if name in ("primary_colour", "accent_colour") and isinstance(value, str):
            value = value.lower()
        if name in _IMAGE_FIELDS:
            if value is None:
                continue  # no new upload: keep the current picture
            value = value or ""
        setattr(profile, name, value)
    problems = brand_colours_problems(primary=profile.primary_colour, accent=profile.accent_colour)
    profile.full_clean()
    if problems:
        raise ValidationError(problems)
    if profile.header_image and not profile.header_image_alt.strip():
        raise ValidationError(
            {"header_image_alt": [_("Describe the header image for people who cannot see it.")]}
        )
    profile.save()
    changed = model_values(profile, sorted(_PROFILE_FIELDS))
    if changes_between(before, changed):
        audit_record(acting_user, "profile.update", AuditTarget("town.townprofile", str(profile.pk), profile.name),
                     before=before, after=changed)
    for name in _IMAGE_FIELDS:
        old = previous.get(name)
        new = getattr(profile, name)
        if old and old.name and old.name != (new.name if new else ""):
            delete_files_after_commit(old.storage, [old.name])
    return profile


# --- Ortsgemeinden ----------------------------------------------------------

def ortsgemeinde_slug_suggest(name: str, *, exclude_pk: int | None = None) -> str:
    """A free slug for `name`; "-2", "-3", ... when the plain one is taken."""
    max_length = Ortsgemeinde._meta.get_field("slug").max_length
    base = german_slugify(name)[:max_length].strip("-") or "ort"
    others = Ortsgemeinde.objects.exclude(pk=exclude_pk).filter(slug__startswith=base)
    taken = set(others.values_list("slug", flat=True))
    candidate, n = base, 2
    while candidate in taken:
        suffix = f"-{n}"
        candidate = base[: max_length - len(suffix)] + suffix
        n += 1
    return candidate


def postal_codes_normalise(value: str) -> str:
    """ "57518 57520;57580" → "57518, 57520, 57580" (the model validates the result)."""
    parts = [p for p in re.split(r"[\s,;]+", value or "") if p]
    return ", ".join(dict.fromkeys(parts))


_ORTSGEMEINDE_FIELDS = ("name", "slug", "postal_codes", "inhabitants", "logo")


def _ortsgemeinde_apply(ortsgemeinde: Ortsgemeinde, fields: dict[str, Any], acting_user: Any) -> Ortsgemeinde:
    old_logo = ""
    stored = Ortsgemeinde.objects.filter(pk=ortsgemeinde.pk).first() if ortsgemeinde.pk else None
    if stored is not None:
        old_logo = stored.logo.name or ""
    for name, value in fields.items():
        if name not in _ORTSGEMEINDE_FIELDS:
            raise TypeError(f"unknown Ortsgemeinde field: {name}")
        if name == "postal_codes":
            value = postal_codes_normalise(value)
        if name == "logo":
            if value is None:
                continue
            value = value or ""
        if name == "name":
            value = value.strip()
        setattr(ortsgemeinde, name, value)
    if not ortsgemeinde.slug:
        ortsgemeinde.slug = ortsgemeinde_slug_suggest(ortsgemeinde.name, exclude_pk=ortsgemeinde.pk)
    ortsgemeinde.full_clean()
    ortsgemeinde.save()
    before = model_values(stored, _ORTSGEMEINDE_FIELDS) if stored else None
    after = model_values(ortsgemeinde, _ORTSGEMEINDE_FIELDS)
    if stored is None or changes_between(before, after):
        audit_record(acting_user, "ortsgemeinde.update" if stored else "ortsgemeinde.create", ortsgemeinde,
                     before=before, after=after)
    if old_logo and old_logo != (ortsgemeinde.logo.name if ortsgemeinde.logo else ""):
        delete_files_after_commit(ortsgemeinde.logo.storage, [old_logo])
    return ortsgemeinde


@transaction.atomic
def ortsgemeinde_create(*, name: str, slug: str = "", postal_codes: str = "", inhabitants: int | None = None,
                        logo: File | None = None, acting_user: Any = None) -> Ortsgemeinde:
    return _ortsgemeinde_apply(Ortsgemeinde(), {"name": name, "slug": slug, "postal_codes": postal_codes,
                                                "inhabitants": inhabitants, "logo": logo}, acting_user)


@transaction.atomic
def ortsgemeinde_update(*, ortsgemeinde: Ortsgemeinde, acting_user: Any = None, **fields: Any) -> Ortsgemeinde:
    return _ortsgemeinde_apply(ortsgemeinde, fields, acting_user)


@transaction.atomic
def ortsgemeinde_delete(*, ortsgemeinde: Ortsgemeinde, acting_user: Any = None) -> None:
    """Delete a village; residents, organisations and content that pointed to it keep existing without it."""
    audit_record(acting_user, "ortsgemeinde.delete", ortsgemeinde, before={"name": ortsgemeinde.name})
    logo = ortsgemeinde.logo.name if ortsgemeinde.logo else ""
    storage = ortsgemeinde.logo.storage
    ortsgemeinde.delete()
    if logo:
        delete_files_after_commit(storage, [logo])
