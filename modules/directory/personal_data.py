"""Branchenbuch (core.personal_data).

- directory.Business they applied for (``applicant``)
  export: name, status, dates
  erase: **kept**, ``applicant`` cleared
- directory.Business they reviewed (``reviewed_by``)
  export: (not exported: another business's entry)
  erase: kept, ``reviewed_by`` cleared

A business entry belongs to the business (its organisation), whose other managers keep
running it; the person's access to it goes with their organisation membership (town).
"""

from __future__ import annotations

from typing import Any

from modules.directory.models import Business


def export(user: Any) -> dict[str, Any]:
    return {
        "applications": list(Business.objects.filter(applicant=user).order_by("pk")
                             .values("name", "slug", "status", "created_at")),
    }


def erase(user: Any) -> None:
    Business.objects.filter(applicant=user).update(applicant=None)
    Business.objects.filter(reviewed_by=user).update(reviewed_by=None)
