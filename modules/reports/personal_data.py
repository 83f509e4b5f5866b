"""Mängelmelder (core.personal_data).

- reports.Report (``reporter``, contact name/e-mail/phone)
  export: category, description, place, status, answer, dates, photos
  erase: **kept, anonymised**: the problem at that place stays for the town and the other followers;
  the reporter link and the contact details are removed. Photos stay (they show the place, not the
  person; a photo showing a person is removed by staff on request).
- reports.Follower
  export: which reports, since when
  erase: deleted
- reports.StatusChange / reports.Note (``by`` / ``author``, staff only)
  export: the status changes and notes the person wrote as staff
  erase: kept, the author link goes (the town documents its handling of reports)
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from modules.reports.models import Follower, Note, Report, StatusChange


def export(user: Any) -> dict[str, Any]:
    mine = Q(reporter=user) | Q(contact_email__iexact=user.email)
    reports = list(Report.objects.filter(mine).select_related("category", "ortsgemeinde")
                   .prefetch_related("photos").order_by("pk"))
    files = [photo.image.name for report in reports for photo in report.photos.all() if not photo.is_fix]
    return {
        "reports": [
            {"reference": r.reference, "category": r.category.name, "description": r.description,
             "latitude": r.latitude, "longitude": r.longitude, "address": r.address,
             "ortsgemeinde": r.ortsgemeinde.name if r.ortsgemeinde else None, "status": r.status,
             "public_answer": r.public_answer, "contact_name": r.contact_name, "contact_email": r.contact_email,
             "contact_phone": r.contact_phone, "created_at": r.created_at.isoformat()}
            for r in reports
        ],
        "following": [{"report": f"M-{f.report_id:06d}", "since": f.created_at.isoformat()}
                      for f in Follower.objects.filter(user=user).order_by("pk")],
        "status_changes": list(StatusChange.objects.filter(by=user).values("report_id", "status", "public_answer",
                                                                           "created_at")),
        "notes": list(Note.objects.filter(author=user).values("report_id", "text", "created_at")),
        "files": files,
    }


def erase(user: Any) -> None:
    Report.objects.filter(Q(reporter=user) | Q(contact_email__iexact=user.email)).update(
        reporter=None, contact_name="", contact_email="", contact_phone="")
    Follower.objects.filter(user=user).delete()
    StatusChange.objects.filter(by=user).update(by=None)
    Note.objects.filter(author=user).update(author=None)
    Report.objects.filter(assigned_to=user).update(assigned_to=None)
