"""What other parts of the platform may use of the Mängelmelder: the moderation hooks (ModeratedContent)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from core.storage import delete_files_after_commit
from modules.moderation.capabilities import ContentSummary
from modules.reports.models import Report, ReportPhoto


def report_summary(pk: int) -> ContentSummary | None:
    report = Report.objects.filter(pk=pk).first()
    if report is None:
        return None
    return ContentSummary(author_id=report.reporter_id, excerpt=report.description, url=report.get_absolute_url(),
                          is_hidden=not report.approved)


@transaction.atomic
def report_set_hidden(pk: int, hidden: bool) -> None:
    """Moderators hide a report's public text (it stays in the back office's queue) or show it again."""
    Report.objects.filter(pk=pk).update(approved=not hidden)


@transaction.atomic
def report_delete(pk: int) -> None:
    photos = list(ReportPhoto.objects.filter(report_id=pk).values_list("image", flat=True))
    delete_files_after_commit(ReportPhoto._meta.get_field("image").storage, photos)
    Report.objects.filter(pk=pk).delete()


def report_visible_to(pk: int, user: Any) -> bool:
    from modules.reports.selectors import report_get_public

    return report_get_public(pk=pk, user=user) is not None
