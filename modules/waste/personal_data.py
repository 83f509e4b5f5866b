"""A resident's data in the Abfallkalender.

- ``WasteHome``: the area and street they chose and their reminder setting: exported, deleted on erasure.
- ``ReminderSent``: the days a reminder went out (only there so nobody is reminded twice): exported,
  deleted on erasure.
- ``WasteImport.created_by``: the admin who uploaded a file; the import stays (it is the town's plan),
  the link to the person goes (SET_NULL through the erasure below).
"""

from __future__ import annotations

from typing import Any

from modules.waste.models import ReminderSent, WasteHome, WasteImport


def export(user: Any) -> dict[str, Any]:
    home = WasteHome.objects.select_related("area", "street").filter(user=user).first()
    return {
        "home": None if home is None else {
            "area": home.area.name, "street": home.street.name if home.street else None,
            "reminder_on": home.reminder_on, "reminder_time": home.reminder_time.strftime("%H:%M"),
        },
        "reminders_sent": [d.isoformat() for d in ReminderSent.objects.filter(user=user)
                           .order_by("pickup_date").values_list("pickup_date", flat=True)],
        "imports_uploaded": list(WasteImport.objects.filter(created_by=user).values("label", "created_at")),
    }


def erase(user: Any) -> None:
    WasteHome.objects.filter(user=user).delete()
    ReminderSent.objects.filter(user=user).delete()
    WasteImport.objects.filter(created_by=user).update(created_by=None)
