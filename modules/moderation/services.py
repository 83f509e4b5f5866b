"""Every write of the moderation module: reports, decisions, objections, suspensions, word filter, audit log."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.access import tenant_has_module
from core.audit import AuditTarget, audit_record
from core.page_cache import generation_bump
from core.ratelimit import write_limit_check
from modules.moderation.conf import limits_get
from modules.moderation.kinds import PROFILE_KIND, actions_for, kind_get
from modules.moderation.models import (
    REPORT_TEXT_MAX_LENGTH,
    STATEMENT_MAX_LENGTH,
    TERM_MAX_LENGTH,
    Action,
    Activity,
    ActivityKind,
    AuditEntry,
    BlockedTerm,
    Case,
    CaseStatus,
    Decision,
    Ground,
    Objection,
    Report,
    ReportCategory,
    Suspension,
)

MODULE_KEY = "moderation"
MAX_SUSPENSION_DAYS = 365
MAX_BULK = 200
MAX_TERMS = 500
EXCERPT_MAX_LENGTH = 1000
OBJECTION_MAX_LENGTH = REPORT_TEXT_MAX_LENGTH


def moderation_enabled() -> bool:
    return tenant_has_module(MODULE_KEY)


def user_can_moderate(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_moderator)


def _require_moderator(user: Any) -> None:
    if not user_can_moderate(user):
        raise PermissionDenied(_("Only the town's moderators may do this."))


def _audit(*, actor: Any, action: str, case: Case | None = None, kind: str = "", object_id: int | None = None,
           reason: str = "", is_bulk: bool = False) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None, action=action, case=case,
        kind=case.kind if case else kind, object_id=case.object_id if case else object_id,
        reason=reason, is_bulk=is_bulk,
    )


def _clean_text(value: str) -> str:
    # Plain text everywhere: moderators' and residents' text is escaped in templates and mails.
    return strip_tags(value or "").strip()


# --- word filter ------------------------------------------------------------------


def _term_pattern(term: str) -> re.Pattern[str]:
    words = [re.escape(word) for word in term.split()]
    # Whole words only: "Hass" doesn't block "hassle"; \w is Unicode, so umlauts count as letters.
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def blocked_term_in(text: str, terms: Iterable[str]) -> str | None:
    for term in terms:
        if _term_pattern(term).search(text or ""):
            return term
    return None


def text_check(text: str) -> None:
    if not text or not moderation_enabled():
        return
    term = blocked_term_in(text, BlockedTerm.objects.values_list("term", flat=True))
    if term is not None:
        raise ValidationError(
            _("Your text contains “%(term)s”, which is not allowed here. Please change your wording.")
            % {"term": term},
            code="blocked_term",
        )


@transaction.atomic
def blocked_terms_replace(*, text: str, acting_user: Any) -> list[str]:
    """Replace the town's word filter with the terms in ``text``, one per line."""
    _require_moderator(acting_user)
    terms: list[str] = []
    for line in (text or "").splitlines():
        term = " ".join(_clean_text(line).split()).lower()
        if not term or term in terms:
            continue
        if len(term) > TERM_MAX_LENGTH:
            raise ValidationError(
                _("“%(term)s” is too long: at most %(max)d characters per term.") % {"term": term[:80],
                                                                                     "max": TERM_MAX_LENGTH},
                code="term_too_long",
            )
        terms.append(term)
    if len(terms) > MAX_TERMS:
        raise ValidationError(_("At most %(max)d terms, please.") % {"max": MAX_TERMS}, code="too_many_terms")
    existing = set(BlockedTerm.objects.select_for_update().values_list("term", flat=True))
    BlockedTerm.objects.exclude(term__in=terms).delete()
    BlockedTerm.objects.bulk_create([BlockedTerm(term=t) for t in terms if t not in existing], ignore_conflicts=True)
    added, removed = sorted(set(terms) - existing), sorted(existing - set(terms))
    if added or removed:
        audit_record(acting_user, "moderation.word_filter", AuditTarget("moderation.blockedterm"),
                     before={"terms": sorted(existing)}, after={"terms": sorted(set(terms))})
        _audit(actor=acting_user, action="word_filter",
               reason=_("Added: %(added)s. Removed: %(removed)s.")
               % {"added": ", ".join(added) or "–", "removed": ", ".join(removed) or "–"})
    return terms


# --- suspensions and limits for new accounts ---------------------------------------------


def active_suspension(user_id: int) -> Suspension | None:
    now = timezone.now()
    return (Suspension.objects.filter(user_id=user_id, lifted_at__isnull=True, starts_at__lte=now, ends_at__gt=now)
            .order_by("-ends_at").first())


def user_is_suspended(user_id: int) -> bool:
    return active_suspension(user_id) is not None


def _when(moment: Any) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _limit_message(action: str, limit: int) -> str:
    messages = {
        ActivityKind.POST: ngettext("New accounts may write %(limit)d post per day.",
                                    "New accounts may write %(limit)d posts per day.", limit),
        ActivityKind.COMMENT: ngettext("New accounts may write %(limit)d comment per day.",
                                       "New accounts may write %(limit)d comments per day.", limit),
        ActivityKind.MESSAGE: ngettext("New accounts may send %(limit)d message per day.",
                                       "New accounts may send %(limit)d messages per day.", limit),
        ActivityKind.GROUP: ngettext("New accounts may found %(limit)d group per day.",
                                     "New accounts may found %(limit)d groups per day.", limit),
    }
    return messages[action] % {"limit": limit} + " " + _("Please try again later.")


@transaction.atomic
def activity_check(*, user: Any, action: str) -> None:
    if action not in ActivityKind.values:
        raise ValueError(f"unknown activity {action!r}")
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Please sign in first."))
    suspension = active_suspension(user.pk)
    if suspension is not None:
        raise ValidationError(
            _("Your account is suspended until %(until)s. The decision page tells you why.")
            % {"until": _when(suspension.ends_at)},
            code="suspended",
        )
    if not moderation_enabled() or user_can_moderate(user):
        return
    limits = limits_get()
    now = timezone.now()
    if user.date_joined <= now - timedelta(days=limits.new_account_days):
        return  # only new accounts are counted (their rows are all this table holds)
    # Locks the person's row until the caller's transaction ends: two parallel requests can't both pass.
    # (get_user_model, not type(user): views pass request.user, a lazy wrapper.)
    get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()
    done = Activity.objects.filter(user_id=user.pk, action=action, created_at__gt=now - timedelta(days=1)).count()
    limit = limits.per_day(action)
    if done >= limit:
        raise ValidationError(_limit_message(action, limit), code="rate_limited")
    Activity.objects.create(user_id=user.pk, action=action, created_at=now)


def activities_purge(*, older_than_days: int = 2) -> int:
    """Rows older than a day count for nothing any more."""
    deleted, _rows = Activity.objects.filter(created_at__lt=timezone.now() - timedelta(days=older_than_days)).delete()
    return deleted


# --- reports (DSA Art. 16) ------------------------------------------------------------


def _excerpt(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= EXCERPT_MAX_LENGTH else text[: EXCERPT_MAX_LENGTH - 1] + "…"


def content_visible_to(content: Any, object_id: int, user: Any) -> bool:
    """May ``user`` see this content (and so report it)? Private kinds say so with ``visible_to``."""
    if content is None:
        return False
    return content.visible_to is None or bool(content.visible_to(object_id, user))


@transaction.atomic
def report_create(*, kind: str, object_id: int, category: str, text: str, acting_user: Any) -> Report:
    """A resident reports content; several reports on the same content become one queue item."""
    if not getattr(acting_user, "is_authenticated", False):
        raise PermissionDenied(_("Please sign in to report content."))
    content = kind_get(kind)
    summary = content.get(int(object_id)) if content_visible_to(content, int(object_id), acting_user) else None
    if summary is None:
        raise ValidationError(_("This content no longer exists."), code="not_found")
    if summary.author_id is not None and summary.author_id == acting_user.pk:
        raise ValidationError(_("You can't report your own content."), code="own_content")
    errors: dict[str, list[str]] = {}
    if category not in ReportCategory.values:
        errors["category"] = [_("Please choose a reason.")]
    text = _clean_text(text)
    if not text:
        errors["text"] = [_("Please explain what is wrong with this content.")]
    elif len(text) > REPORT_TEXT_MAX_LENGTH:
        errors["text"] = [_("Please explain it in at most %(max)d characters.") % {"max": REPORT_TEXT_MAX_LENGTH}]
    if errors:
        raise ValidationError(errors)
    write_limit_check("moderation.report", acting_user, what=_("reports"))

    now = timezone.now()
    case = Case.objects.select_for_update().filter(kind=kind, object_id=object_id, status=CaseStatus.OPEN).first()
    created = False
    if case is None:
        try:
            with transaction.atomic():
                case = Case.objects.create(kind=kind, object_id=object_id, author_id=summary.author_id,
                                           excerpt=_excerpt(summary.excerpt), content_url=summary.url[:500],
                                           created_at=now, updated_at=now)
                created = True
        except IntegrityError:
            # Someone else reported it in the same moment: join their case.
            case = Case.objects.select_for_update().get(kind=kind, object_id=object_id, status=CaseStatus.OPEN)
    already = _("You have already reported this content. The moderators will look at it.")
    if not created and Report.objects.filter(case=case, reporter=acting_user).exists():
        raise ValidationError(already, code="duplicate")
    try:
        with transaction.atomic():
            report = Report.objects.create(case=case, reporter=acting_user, category=category, text=text,
                                           created_at=now)
    except IntegrityError:
        raise ValidationError(already, code="duplicate") from None
    if not created:
        Case.objects.filter(pk=case.pk).update(updated_at=now)
    else:
        _notify_moderators_of_new_case(case)
    return report


def _moderator_ids(*, exclude: Sequence[int] = ()) -> list[int]:
    from accounts.models import Role, User

    return list(User.objects.filter(role__in=(Role.MODERATOR, Role.ADMIN), is_active=True)
                .exclude(pk__in=exclude).values_list("pk", flat=True))


def _notify(**kwargs: Any) -> None:
    from modules.notifications.facade import notify

    notify(topic="moderation.decisions", **kwargs)


def _notify_moderators_of_new_case(case: Case) -> None:
    from modules.notifications.facade import notify

    notify(user_ids=_moderator_ids(), event="moderation.report", title=_("New report in the moderation queue"),
           body=_excerpt(case.excerpt)[:200], url=reverse("moderation:case-detail", kwargs={"pk": case.pk}),
           dedupe_key=f"moderation.case:{case.pk}")


# --- decisions (DSA Art. 17) and objections (Art. 20) -------------------------------------


@dataclass(frozen=True)
class Statement:
    facts: str = ""
    ground: str = ""
    ground_detail: str = ""


def _statement_clean(action: str, statement: Statement) -> Statement:
    if action == Action.DISMISS:
        return Statement(facts=_clean_text(statement.facts)[:STATEMENT_MAX_LENGTH])
    errors: dict[str, list[str]] = {}
    facts = _clean_text(statement.facts)
    detail = _clean_text(statement.ground_detail)
    if not facts:
        errors["facts"] = [_("Please state the facts and circumstances the decision is based on.")]
    elif len(facts) > STATEMENT_MAX_LENGTH:
        errors["facts"] = [_("Please state the facts in at most %(max)d characters.") % {"max": STATEMENT_MAX_LENGTH}]
    if statement.ground not in Ground.values:
        errors["ground"] = [_("Please choose the ground: the law or the town's terms of use.")]
    if not detail:
        errors["ground_detail"] = [_("Please name the provision of the law or the term of use that applies.")]
    elif len(detail) > 1000:
        errors["ground_detail"] = [_("Please name the provision in at most 1000 characters.")]
    if errors:
        raise ValidationError(errors)
    return Statement(facts=facts, ground=statement.ground, ground_detail=detail)


def allowed_actions(case: Case, *, first: Decision | None = None, is_hidden: bool | None = None) -> list[str]:
    """What a moderator may do with this case now."""
    if case.status == CaseStatus.CLOSED:
        return []
    if case.status == CaseStatus.OBJECTION:
        reversible = first is not None and first.action in (Action.HIDE, Action.SUSPEND, Action.WARN)
        return [Action.UPHOLD, Action.RESTORE] if reversible else [Action.UPHOLD]
    actions = [Action.DISMISS, *actions_for(case.kind)]
    if is_hidden and case.kind != PROFILE_KIND:
        actions.insert(1, Action.RESTORE)
    return actions


def _author_check_for_sanctions(case: Case, action: str) -> None:
    if action not in (Action.WARN, Action.SUSPEND):
        return
    if case.author_id is None:
        raise ValidationError(_("The author of this content is unknown, so nobody can be warned or suspended."),
                              code="no_author")
    if action == Action.SUSPEND and case.author is not None and case.author.is_moderator:
        raise ValidationError(_("Moderators and administrators can't be suspended."), code="moderator")


@transaction.atomic
def case_decide(
    *, case_id: int, action: str, acting_user: Any, statement: Statement | None = None,
    suspension_days: int | None = None, is_bulk: bool = False,
) -> Decision:
    """Decide on a case once: a second submit (or a second moderator at the same moment) is refused."""
    _require_moderator(acting_user)
    case = Case.objects.select_for_update(of=("self",)).select_related("author").filter(pk=case_id).first()
    if case is None:
        raise ValidationError(_("This case does not exist."), code="not_found")
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("This case has already been decided."), code="already_decided")
    is_final = case.status == CaseStatus.OBJECTION
    first = case.decisions.filter(is_final=False).select_related("moderator").first() if is_final else None
    content = kind_get(case.kind)
    summary = content.get(case.object_id) if content is not None else None
    allowed = allowed_actions(case, first=first, is_hidden=summary.is_hidden if summary else None)
    if action not in allowed:
        raise ValidationError(_("This action is not possible for this case."), code="action")
    if action in (Action.HIDE, Action.DELETE, Action.RESTORE) and not is_final and summary is None:
        raise ValidationError(_("This content no longer exists."), code="gone")
    if is_final and first is not None and first.moderator_id == acting_user.pk and _moderator_ids(
            exclude=[acting_user.pk]):
        raise ValidationError(
            _("You made the first decision. Another moderator of the town decides on the objection."),
            code="same_moderator",
        )
    if case.author_id == acting_user.pk and _moderator_ids(exclude=[acting_user.pk]):
        raise ValidationError(_("This is about your own content or profile. Another moderator of the town decides."),
                              code="own_case")
    _author_check_for_sanctions(case, action)
    statement = _statement_clean(action if action != Action.UPHOLD else Action.HIDE, statement or Statement())
    if action == Action.SUSPEND:
        if not suspension_days or not 1 <= int(suspension_days) <= MAX_SUSPENSION_DAYS:
            raise ValidationError({"suspension_days": [
                _("Please give the length of the suspension: 1 to %(max)d days.") % {"max": MAX_SUSPENSION_DAYS}]})
    now = timezone.now()
    try:
        with transaction.atomic():
            decision = Decision.objects.create(
                case=case, action=action, moderator=acting_user, facts=statement.facts, ground=statement.ground,
                ground_detail=statement.ground_detail,
                suspension_days=int(suspension_days) if action == Action.SUSPEND else None,
                is_bulk=is_bulk, is_final=is_final, created_at=now,
            )
    except IntegrityError:
        raise ValidationError(_("This case has already been decided."), code="already_decided") from None
    _apply(case, decision, first=first, content=content, now=now)
    case.status = CaseStatus.CLOSED
    case.updated_at = now
    case.save(update_fields=["status", "updated_at"])
    _audit(actor=acting_user, action=action if not is_final else f"objection_{action}", case=case,
           reason=statement_summary(decision), is_bulk=is_bulk)
    # Mirrored into the town's audit log, so one place shows every admin and moderator action;
    # the statement of reasons stays in the moderation log (linked by the case).
    audit_record(acting_user, "moderation.decision",
                 AuditTarget("moderation.case", str(case.pk), f"{case.kind} #{case.object_id}"),
                 after={"decision": str(Action(action).label), "objection": is_final, "bulk": is_bulk})
    _notify_decision(case, decision)
    return decision


def _apply(case: Case, decision: Decision, *, first: Decision | None, content: Any, now: Any) -> None:
    action = decision.action
    if action == Action.HIDE:
        content.set_hidden(case.object_id, True)
    elif action == Action.DELETE:
        content.delete(case.object_id)
    elif action == Action.SUSPEND:
        Suspension.objects.create(user_id=case.author_id, decision=decision, starts_at=now,
                                  ends_at=now + timedelta(days=decision.suspension_days or 1))
    elif action == Action.RESTORE:
        if first is None:
            content.set_hidden(case.object_id, False)
        elif first.action == Action.HIDE:
            if content is not None and content.get(case.object_id) is not None:
                content.set_hidden(case.object_id, False)
        elif first.action == Action.SUSPEND:
            Suspension.objects.filter(decision=first, lifted_at__isnull=True).update(lifted_at=now)
    # Start-page widgets and the home feed are cached (core.page_cache); set_hidden may write with
    # update(), which sends no signal: hidden content must leave them at once. Kind: "<module key>.<thing>".
    generation_bump(case.kind.split(".", 1)[0])


def statement_summary(decision: Decision) -> str:
    """The statement of reasons in one paragraph (audit log, notification text)."""
    parts = [str(Action(decision.action).label)]
    if decision.action == Action.SUSPEND and decision.suspension_days:
        parts.append(ngettext("for %(days)d day", "for %(days)d days", decision.suspension_days)
                     % {"days": decision.suspension_days})
    text = " ".join(parts) + "."
    if decision.facts:
        text += " " + _("Facts: %(facts)s") % {"facts": decision.facts}
    if decision.ground:
        text += " " + _("Ground: %(ground)s (%(detail)s)") % {"ground": Ground(decision.ground).label,
                                                               "detail": decision.ground_detail}
    return text


def _notify_decision(case: Case, decision: Decision) -> None:
    url = reverse("moderation:decision-detail", kwargs={"pk": decision.pk})
    if case.author_id and decision.action != Action.DISMISS:
        if decision.is_final:
            title = _("Decision on your objection")
            tail = _("This decision is final on our platform. You may still turn to a certified out-of-court "
                     "dispute settlement body or to a court.")
        else:
            title = _("The moderators decided on your content")
            tail = _("You may object to this decision once on the decision page.")
        _notify(user_ids=[case.author_id], event="moderation.decision", title=title,
                body=statement_summary(decision) + " " + tail, url=url,
                dedupe_key=f"moderation.decision:{decision.pk}")
    reporter_ids = list(case.reports.values_list("reporter_id", flat=True))
    if reporter_ids:
        outcome = _("Your report was reviewed: no action was needed.") if decision.action == Action.DISMISS else (
            _("Your report was reviewed. The moderators decided: %(action)s.")
            % {"action": Action(decision.action).label})
        _notify(user_ids=reporter_ids, event="moderation.outcome", title=_("Outcome of your report"),
                body=outcome, url=reverse("moderation:my-reports"), dedupe_key=f"moderation.outcome:{decision.pk}")


@dataclass(frozen=True)
class BulkResult:
    decided: int
    skipped: list[str]


@transaction.atomic
def cases_decide_bulk(*, case_ids: Sequence[int], action: str, acting_user: Any,
                      statement: Statement | None = None) -> BulkResult:
    """One decision and one statement of reasons for many cases at once (a spam wave)."""
    _require_moderator(acting_user)
    if action not in (Action.HIDE, Action.DELETE, Action.DISMISS):
        raise ValidationError(_("Bulk actions can only hide, delete or dismiss."), code="action")
    ids = sorted({int(pk) for pk in case_ids})
    if not ids:
        raise ValidationError(_("Please select at least one item."), code="empty")
    if len(ids) > MAX_BULK:
        raise ValidationError(_("Please select at most %(max)d items at once.") % {"max": MAX_BULK}, code="too_many")
    statement = _statement_clean(action, statement or Statement())  # explained once, before anything changes
    decided, skipped = 0, []
    for pk in ids:
        try:
            with transaction.atomic():
                case_decide(case_id=pk, action=action, acting_user=acting_user, statement=statement, is_bulk=True)
            decided += 1
        except ValidationError as error:
            skipped.append(f"#{pk}: {' '.join(error.messages)}")
    return BulkResult(decided=decided, skipped=skipped)


@transaction.atomic
def objection_create(*, decision_id: int, text: str, acting_user: Any) -> Objection:
    """The author objects once to a first decision; the case goes back to the queue marked as objection."""
    decision = Decision.objects.select_related("case").filter(pk=decision_id).first()
    if decision is None or not getattr(acting_user, "is_authenticated", False) or (
            decision.case.author_id != acting_user.pk):
        raise PermissionDenied(_("Only the author may object to this decision."))
    case = Case.objects.select_for_update().get(pk=decision.case_id)
    if decision.is_final or decision.action == Action.DISMISS:
        raise ValidationError(_("There is no objection against this decision."), code="final")
    if Objection.objects.filter(decision=decision).exists():
        raise ValidationError(_("You have already objected to this decision."), code="duplicate")
    text = _clean_text(text)
    if not text:
        raise ValidationError({"text": [_("Please explain why you think the decision is wrong.")]})
    if len(text) > OBJECTION_MAX_LENGTH:
        raise ValidationError({"text": [_("Please explain it in at most %(max)d characters.")
                                        % {"max": OBJECTION_MAX_LENGTH}]})
    try:
        with transaction.atomic():
            objection = Objection.objects.create(decision=decision, text=text)
    except IntegrityError:
        raise ValidationError(_("You have already objected to this decision."), code="duplicate") from None
    case.status = CaseStatus.OBJECTION
    case.updated_at = timezone.now()
    case.save(update_fields=["status", "updated_at"])
    _audit(actor=acting_user, action="objection", case=case, reason=text)
    from modules.notifications.facade import notify

    others = _moderator_ids(exclude=[decision.moderator_id] if decision.moderator_id else [])
    notify(user_ids=others or _moderator_ids(), event="moderation.objection",
           title=_("Objection against a moderation decision"), body=text[:200],
           url=reverse("moderation:case-detail", kwargs={"pk": case.pk}),
           dedupe_key=f"moderation.objection:{objection.pk}")
    return objection
