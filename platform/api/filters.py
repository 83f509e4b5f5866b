"""Query parameters that several modules' list endpoints share."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from town.models import Ortsgemeinde


def ortsgemeinde_id_from_slug(slug: str | None) -> int | None:
    """The pk of the village named by `?ortsgemeinde=<slug>`; None without one, a 400 for an unknown slug."""
    if not slug:
        return None
    ortsgemeinde_id = Ortsgemeinde.objects.filter(slug=slug).values_list("pk", flat=True).first()
    if ortsgemeinde_id is None:
        raise ValidationError({"ortsgemeinde": [_("Unknown Ortsgemeinde.")]})
    return ortsgemeinde_id


__all__ = ["ortsgemeinde_id_from_slug"]
