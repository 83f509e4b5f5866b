"""One of everything the waste calendar's routes take, for the isolation suite (tests/isolation)."""

from __future__ import annotations

import datetime
from typing import Any


def sample_objects() -> dict[str, Any]:
    from accounts.models import Role, User
    from modules.waste.models import Pickup, PickupArea, WasteImport, WasteType
    from town.models import Ortsgemeinde

    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    village, _created = Ortsgemeinde.objects.get_or_create(slug="abfalldorf", defaults={"name": "Abfalldorf"})
    area, _created = PickupArea.objects.get_or_create(slug="abfalldorf", defaults={"name": "Abfalldorf",
                                                                                    "ortsgemeinde": village})
    kind, _created = WasteType.objects.get_or_create(slug="isolationsabfall", defaults={"name": "Isolationsabfall"})
    day = datetime.date.today() + datetime.timedelta(days=3)
    pickup, _created = Pickup.objects.get_or_create(area=area, waste_type=kind, date=day)
    waste_import = WasteImport.objects.create(kind="csv", label="isolation.csv", year=day.year, created_by=admin,
                                              rows=[[day.isoformat(), kind.pk, area.pk]])
    return {"slug": area.slug, "waste_type": kind.slug, "pk": kind.pk, "area_id": area.pk,
            "import_id": waste_import.pk, "pickup_id": pickup.pk, "year": day.year}
