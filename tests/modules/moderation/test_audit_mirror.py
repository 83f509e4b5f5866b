"""Moderators' decisions and word-filter changes are mirrored into the town's audit log (issue 17 §6)."""

from __future__ import annotations

from modules.moderation.models import Report
from modules.moderation.services import blocked_terms_replace, case_decide, report_create
from town.models import AuditEntry


def test_a_decision_and_a_word_filter_change_appear_in_the_towns_log(in_town_a, resident, reporter, moderator):
    # given
    report = report_create(kind="moderation.profile", object_id=resident.pk, category="spam", text="Werbung",
                           acting_user=reporter)

    # when
    case_decide(case_id=Report.objects.get(pk=report.pk).case_id, action="dismiss", acting_user=moderator)
    blocked_terms_replace(text="werbung\nspam", acting_user=moderator)

    # then (a transactional test elsewhere may have left entries of its own moderator in the town's log)
    decision = AuditEntry.objects.get(action="moderation.decision", actor_id=moderator.pk)
    assert decision.target_label == f"moderation.profile #{resident.pk}"
    assert decision.changes["objection"] == [None, False]
    words = AuditEntry.objects.get(action="moderation.word_filter", actor_id=moderator.pk)
    assert words.changes["terms"][1] == ["spam", "werbung"]
