"""Reads for printed invitations: who can bring people in (the town, each Ortsgemeinde, each
organisation), the code behind each, and how many registrations each code brought."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from town.models import Organisation, Ortsgemeinde, SignupCode
from town.people_selectors import organisations_publishable_by


@dataclass(frozen=True)
class InvitationSource:
    """One row of the print page: whose invitation it is and what it has brought so far."""

    label: str
    ortsgemeinde: Ortsgemeinde | None
    organisation: Organisation | None
    code: str | None
    registrations: int

    @property
    def kind(self) -> str:
        if self.organisation is not None:
            return "organisation"
        return "ortsgemeinde" if self.ortsgemeinde is not None else "town"

    @property
    def pk(self) -> int | None:
        source = self.organisation or self.ortsgemeinde
        return source.pk if source is not None else None


def signup_code_get(code: str) -> SignupCode | None:
    return SignupCode.objects.select_related("ortsgemeinde", "organisation").filter(code=code.lower()).first()


def invitation_sources(*, user: Any, town_name: str) -> list[InvitationSource]:
    """What `user` may print: admins everything, an organisation's members their organisation.

    Three queries whatever the number of villages and Vereine: codes with their counts, the
    Ortsgemeinden, the organisations.
    """
    codes = {(code.ortsgemeinde_id, code.organisation_id): code
             for code in SignupCode.objects.annotate(count=Count("registrations"))}

    def source(label: str, ortsgemeinde: Ortsgemeinde | None, organisation: Organisation | None) -> InvitationSource:
        code = codes.get((ortsgemeinde.pk if ortsgemeinde else None, organisation.pk if organisation else None))
        return InvitationSource(label=label, ortsgemeinde=ortsgemeinde, organisation=organisation,
                                code=code.code if code else None, registrations=getattr(code, "count", 0))

    sources: list[InvitationSource] = []
    if user.is_town_admin:
        sources.append(source(town_name, None, None))
        sources += [source(og.name, og, None) for og in Ortsgemeinde.objects.order_by("name")]
    organisations = organisations_publishable_by(user).filter(is_approved=True)
    # An organisation's code is the organisation's alone (its village only preselects the form).
    sources += [source(org.name, None, org) for org in organisations.order_by("name")]
    return sources
