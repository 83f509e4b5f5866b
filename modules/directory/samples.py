"""Objects the isolation suite makes in a town (see ModuleSpec.sample_objects)."""

from __future__ import annotations

from typing import Any


def sample_business() -> dict[str, Any]:
    from modules.directory.models import Business, BusinessStatus
    from town.models import Organisation, OrganisationKind

    organisation = Organisation.objects.create(
        name="Isolationsbäckerei", slug="isolationsbaeckerei", kind=OrganisationKind.BUSINESS
    )
    business = Business.objects.create(
        organisation=organisation, name="Isolationsbäckerei", slug="isolationsbaeckerei",
        status=BusinessStatus.APPROVED,
    )
    return {"slug": business.slug}
