"""Moderation (core.personal_data).

Most of what moderation holds is **kept**: notices, decisions, statements of reasons,
objections and the audit log document how the town handled reported content. The person
may still object or go to court (DSA Art. 20, 21; the town must be able to defend its
decision), and the town must be able to show what it did (DSA Art. 16(6), 17), so these
are kept on the legal ground of GDPR Art. 17(3)(b) and (e). They then point at the emptied
account and name nobody.

- moderation.Case about their content or profile (``author``)
  export: kind, excerpt, status, dates
  erase: **kept** (legal ground above)
- moderation.Decision on those cases, with Objection
  export: action, statement of reasons, objection text
  erase: **kept**
- moderation.Decision they took as moderator (``moderator``)
  export: action, date
  erase: **kept**
- moderation.Report they filed (``reporter``)
  export: reason, text, date (not the reported content's author)
  erase: **kept**
- moderation.Suspension of them
  export: from, until, lifted
  erase: **kept** (the account can't sign in anyway)
- moderation.AuditEntry they caused (``actor``)
  export: action, kind, reason, date
  erase: **kept**
- moderation.Activity (counter for the new-account limits)
  export: (not exported: a count of their own posts)
  erase: deleted: only needed while the account posts
"""

from __future__ import annotations

from typing import Any

from modules.moderation.models import Activity, AuditEntry, Case, Decision, Report, Suspension


def export(user: Any) -> dict[str, Any]:
    cases = list(Case.objects.filter(author=user).order_by("pk"))
    decisions = Decision.objects.filter(case__in=cases).select_related("objection").order_by("pk")
    return {
        "cases_about_them": [
            {"id": case.pk, "kind": case.kind, "excerpt": case.excerpt, "status": case.status,
             "created_at": case.created_at}
            for case in cases
        ],
        "decisions_about_them": [
            {"case_id": decision.case_id, "action": decision.action, "facts": decision.facts,
             "ground": decision.ground, "ground_detail": decision.ground_detail,
             "suspension_days": decision.suspension_days, "is_final": decision.is_final,
             "created_at": decision.created_at,
             "objection": ({"text": decision.objection.text, "created_at": decision.objection.created_at}
                           if hasattr(decision, "objection") else None)}
            for decision in decisions
        ],
        "suspensions": list(Suspension.objects.filter(user=user).order_by("pk")
                            .values("starts_at", "ends_at", "lifted_at")),
        "reports_filed": list(Report.objects.filter(reporter=user).order_by("pk")
                              .values("case__kind", "category", "text", "created_at")),
        "decisions_taken": list(Decision.objects.filter(moderator=user).order_by("pk")
                                .values("case__kind", "action", "created_at")),
        "audit_entries": list(AuditEntry.objects.filter(actor=user).order_by("pk")
                              .values("action", "kind", "object_id", "reason", "created_at")),
    }


def erase(user: Any) -> None:
    Activity.objects.filter(user=user).delete()
