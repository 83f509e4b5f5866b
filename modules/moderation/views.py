"""Pages of the moderation module: the report form, the decision page, the back-office queue and log."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from core.access import role_required
from core.forms import apply_service_errors
from modules.moderation import selectors, services
from modules.moderation.forms import BulkForm, DecisionForm, ObjectionForm, QueueFilterForm, ReportForm, WordFilterForm
from modules.moderation.kinds import kind_get, kinds_all
from modules.moderation.models import Action, BlockedTerm, CaseStatus, Decision, Suspension

MAX_ID = 2**63 - 1  # the int converter takes any digits; ids are bigint
QUEUE_PAGE_SIZE = 50
AUDIT_PAGE_SIZE = 50


def _kind_label(kind: str) -> str:
    content = kind_get(kind)
    return str(content.label) if content is not None else kind


# --- residents ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    content = kind_get(kind)
    # Private content (a conversation's messages) is 404 for outsiders: the form would show its excerpt.
    visible = object_id <= MAX_ID and services.content_visible_to(content, object_id, request.user)
    summary = content.get(object_id) if visible and content is not None else None
    if summary is None:
        raise Http404
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_url = summary.url
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.report_create(kind=kind, object_id=object_id, acting_user=request.user,
                                       category=form.cleaned_data["category"], text=form.cleaned_data["text"])
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Thank you. Your report has been sent to the town's moderators. "
                                            "We will tell you the outcome."))
                return redirect(next_url or "moderation:my-reports")
        status = 400
    return render(request, "moderation/report.html", {
        "form": form, "summary": summary, "label": content.label, "next": next_url,
    }, status=status)


@login_required
def my_reports(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.report_list_of(request.user), 25).get_page(request.GET.get("page"))
    rows = []
    for entry in page.object_list:
        decisions = sorted(entry.case.decisions.all(), key=lambda d: d.created_at)
        rows.append({"report": entry, "label": _kind_label(entry.case.kind),
                     "decision": decisions[-1] if decisions else None})
    return render(request, "moderation/my_reports.html", {"page": page, "rows": rows})


def _decision_visible_to(user: Any, decision: Decision) -> bool:
    return user.is_authenticated and (user.is_moderator or decision.case.author_id == user.pk)


@login_required
def decision_detail(request: HttpRequest, pk: int, objection_form: ObjectionForm | None = None,
                    status: int = 200) -> HttpResponse:
    decision = selectors.decision_get(pk=pk)
    if decision is None or not _decision_visible_to(request.user, decision):
        raise Http404
    objection = selectors.decision_objection(decision)
    final = selectors.decision_final_of(decision.case_id) if not decision.is_final else None
    is_author = decision.case.author_id == request.user.pk
    can_object = (is_author and not decision.is_final and objection is None and decision.action != Action.DISMISS)
    suspension = Suspension.objects.filter(decision=decision).first()
    return render(request, "moderation/decision_detail.html", {
        "decision": decision, "case": decision.case, "label": _kind_label(decision.case.kind),
        "objection": objection, "final": final, "can_object": can_object, "is_author": is_author,
        "objection_form": objection_form or ObjectionForm(), "suspension": suspension,
        "suspension_active": bool(suspension and suspension.lifted_at is None
                                  and suspension.ends_at > timezone.now()),
    }, status=status)


@login_required
@require_POST
def objection_create(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(pk=pk)
    if decision is None or not _decision_visible_to(request.user, decision):
        raise Http404
    form = ObjectionForm(request.POST)
    if form.is_valid():
        try:
            services.objection_create(decision_id=decision.pk, text=form.cleaned_data["text"],
                                      acting_user=request.user)
        except PermissionDenied:
            raise
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your objection has been sent. A moderator will review the decision."))
            return redirect("moderation:decision-detail", pk=decision.pk)
    return decision_detail(request, pk, objection_form=form, status=400)


# --- back office ----------------------------------------------------------------------


@role_required("moderator")
def queue(request: HttpRequest) -> HttpResponse:
    labels = {key: content.label for key, content in kinds_all().items()}
    filters = QueueFilterForm(request.GET, kinds=labels)
    filters.is_valid()
    data = filters.cleaned_data
    cases = selectors.case_list_queue(kind=data.get("kind") or "", status=data.get("status") or "")
    page = Paginator(cases, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    items = [{"case": case, "label": labels.get(case.kind, case.kind)} for case in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    bulk_form = BulkForm(case_ids=[case.pk for case in page.object_list])
    return render(request, "moderation/manage/queue.html", {
        "filters": filters, "page": page, "items": items, "query": query.urlencode(), "bulk_form": bulk_form,
        "max_bulk": services.MAX_BULK,
    })


@role_required("moderator")
@require_POST
def bulk_decide(request: HttpRequest) -> HttpResponse:
    form = BulkForm(request.POST, case_ids=[int(v) for v in request.POST.getlist("cases") if v.isdigit()])
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("moderation:queue")
    try:
        result = services.cases_decide_bulk(
            case_ids=form.cleaned_data["cases"], action=form.cleaned_data["action"], acting_user=request.user,
            statement=services.Statement(facts=form.cleaned_data["facts"], ground=form.cleaned_data["ground"],
                                         ground_detail=form.cleaned_data["ground_detail"]),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("moderation:queue")
    messages.success(request, ngettext("%(count)d item decided.", "%(count)d items decided.", result.decided)
                     % {"count": result.decided})
    if result.skipped:
        messages.warning(request, _("Not decided: %(items)s") % {"items": "; ".join(result.skipped)})
    return redirect("moderation:queue")


def _case_context(request: HttpRequest, case: Any, form: DecisionForm | None) -> dict[str, Any]:
    content = kind_get(case.kind)
    summary = content.get(case.object_id) if content is not None else None
    decisions = selectors.case_decisions(case)
    first = next((d for d in decisions if not d.is_final), None)
    actions = services.allowed_actions(case, first=first, is_hidden=summary.is_hidden if summary else None)
    if form is None and actions:
        form = DecisionForm(actions=actions)
    objection = getattr(first, "objection", None) if first is not None else None
    same_moderator = bool(case.status == CaseStatus.OBJECTION and first is not None
                          and first.moderator_id == request.user.pk)
    return {
        "case": case, "label": _kind_label(case.kind), "summary": summary, "reports": selectors.case_reports(case),
        "decisions": decisions, "objection": objection, "form": form, "actions": actions,
        "same_moderator": same_moderator,
    }


@role_required("moderator")
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(pk=pk)
    if case is None:
        raise Http404
    return render(request, "moderation/manage/case_detail.html", _case_context(request, case, None))


@role_required("moderator")
@require_POST
def case_decide(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(pk=pk)
    if case is None:
        raise Http404
    context = _case_context(request, case, None)
    # A case decided meanwhile offers no action; the service then says so instead of "invalid choice".
    form = DecisionForm(request.POST, actions=context["actions"] or list(Action.values))
    if form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.case_decide(
                case_id=case.pk, action=data["action"], acting_user=request.user,
                statement=services.Statement(facts=data["facts"], ground=data["ground"],
                                             ground_detail=data["ground_detail"]),
                suspension_days=data.get("suspension_days"),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Decided: %(action)s.") % {"action": Action(decision.action).label})
            return redirect("moderation:queue")
    context["form"] = form
    return render(request, "moderation/manage/case_detail.html", context, status=400)


@role_required("moderator")
@require_http_methods(["GET", "POST"])
def word_filter(request: HttpRequest) -> HttpResponse:
    current = "\n".join(BlockedTerm.objects.values_list("term", flat=True))
    form = WordFilterForm(request.POST or None, initial={"terms": current})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                terms = services.blocked_terms_replace(text=form.cleaned_data["terms"], acting_user=request.user)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The word filter was saved (%(count)d terms).") % {"count": len(terms)})
                return redirect("moderation:word-filter")
        status = 400
    return render(request, "moderation/manage/word_filter.html", {"form": form}, status=status)


def _audit_label(action: str) -> str:
    if action == "objection":
        return _("Objection by the author")
    if action == "word_filter":
        return _("Word filter changed")
    if action.startswith("objection_") and action[len("objection_"):] in Action.values:
        return _("On objection: %(action)s") % {"action": Action(action[len("objection_"):]).label}
    return str(Action(action).label) if action in Action.values else action


@role_required("town_admin")
def audit_log(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.audit_list(), AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"entry": entry, "label": _kind_label(entry.kind) if entry.kind else "",
             "action": _audit_label(entry.action)} for entry in page.object_list]
    return render(request, "moderation/manage/audit_log.html", {"page": page, "rows": rows})
