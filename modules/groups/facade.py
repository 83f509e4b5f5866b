"""The groups module's public face: the ONLY thing other modules and platform code import.

Everything returned is a plain frozen dataclass, never a model instance.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.branding import town_url
from modules.groups.models import Group, Membership


@dataclass(frozen=True)
class GroupSummary:
    id: int
    slug: str
    name: str
    is_closed: bool
    url: str  # absolute, on the town's own domain
    organisation_id: int | None


def groups_of_user(user_id: int) -> list[GroupSummary]:
    """The groups a resident belongs to, by name (e.g. for their account page)."""
    origin = town_url("")
    groups = Group.objects.filter(pk__in=Membership.objects.filter(user_id=user_id).values("group_id"))
    return [
        GroupSummary(id=g.pk, slug=g.slug, name=g.name, is_closed=g.is_closed, url=origin + g.get_absolute_url(),
                     organisation_id=g.organisation_id)
        for g in groups.order_by("name")
    ]


def groups_of_organisation(organisation_id: int) -> list[GroupSummary]:
    """The groups an organisation runs (for its profile page)."""
    origin = town_url("")
    return [
        GroupSummary(id=g.pk, slug=g.slug, name=g.name, is_closed=g.is_closed, url=origin + g.get_absolute_url(),
                     organisation_id=g.organisation_id)
        for g in Group.objects.filter(organisation_id=organisation_id).order_by("name")
    ]
