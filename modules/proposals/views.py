"""Pages of Vorschläge: list, proposal with support, comments, answer and progress; the town's back office."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import role_required
from core.forms import apply_service_errors
from core.paging import page_of
from modules.proposals import selectors, services
from modules.proposals.forms import AnswerForm, CommentForm, ProposalForm, StepForm
from modules.proposals.models import Proposal, Status
from town.residency_services import residency_require
from town.selectors import user_ortsgemeinde_id

PAGE_SIZE = 20


def _report_url(kind: str, pk: int) -> str:
    from modules.moderation.facade import report_url

    return report_url(kind=kind, object_id=pk)


@require_GET
def proposal_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in ("open", "answered") else ""
    proposals = selectors.proposal_list(user=request.user, status=status)
    page = page_of(proposals, PAGE_SIZE, request.GET.get("page"))  # "next page" needs no COUNT
    return render(request, "proposals/proposal_list.html", {"page": page, "proposals": page.object_list,
                                                             "status": status,
                                                             "query": f"status={status}" if status else ""})


def _visible(request: HttpRequest, pk: int) -> Proposal:
    proposal = selectors.proposal_get_visible(pk=pk, user=request.user)
    if proposal is None:
        raise Http404
    return proposal


def _detail(request: HttpRequest, proposal: Proposal, comment_form: CommentForm | None = None,
            status: int = 200) -> HttpResponse:
    comments = selectors.comment_list(proposal=proposal, user=request.user)
    for comment in comments:
        comment.author_name = services.display_name(comment.author) if comment.author else ""
        comment.report_link = _report_url("proposals.comment", comment.pk)
    return render(request, "proposals/proposal_detail.html", {
        "proposal": proposal,
        "author_name": services.display_name(proposal.author) if proposal.author else "",
        "supports": selectors.user_supports(proposal=proposal, user=request.user),
        "support_refusal": services.support_refusal(proposal, request.user),
        "comments": comments,
        "comment_form": comment_form or CommentForm(),
        "steps": list(proposal.steps.all()) if proposal.status in (Status.ACCEPTED, Status.DONE) else [],
        "report_link": _report_url("proposals.proposal", proposal.pk),
        "can_answer": services.user_can_answer(request.user),
        "council_links": _council_links(proposal.pk),
    }, status=status)


def _council_links(pk: int) -> list[Any]:
    from modules.council.facade import proposal_agenda_links

    return list(proposal_agenda_links(pk))


@require_GET
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _visible(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request: HttpRequest) -> HttpResponse:
    residency_require(request.user, "posting")  # before the form: nobody writes a proposal in vain
    form = ProposalForm(request.POST or None, request.FILES or None, home_id=user_ortsgemeinde_id(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.proposal_create(
                acting_user=request.user, title=data["title"], text=data["text"],
                ortsgemeinde=data.get("ortsgemeinde"), category=data.get("category"),
                image=data.get("image"), image_alt=data.get("image_alt", ""))
        except ValidationError as error:
            apply_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _msg_created(proposal))
            return redirect(proposal.get_absolute_url())
    return render(request, "proposals/proposal_form.html", {"form": form}, status=400 if form.errors else 200)


def _msg_created(proposal: Proposal) -> str:
    return _("Your proposal is published. It needs %(count)d supporters before the town answers.") % {
        "count": proposal.threshold}


@login_required
@require_POST
def proposal_support(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _visible(request, pk)
    if request.POST.get("support") != "yes":  # the button's value: an empty POST supports nothing
        messages.error(request, _("Please use the button to support the proposal."))
        return _detail(request, proposal, status=400)
    try:
        services.support_add(proposal=proposal, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _detail(request, _visible(request, pk), status=400)
    messages.success(request, _("Thank you for your support."))
    return redirect(proposal.get_absolute_url())


@login_required
@require_POST
def comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _visible(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = services.comment_create(proposal=proposal, acting_user=request.user,
                                              text=form.cleaned_data["text"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your comment is published."))
            return redirect(f"{proposal.get_absolute_url()}#comment-{comment.pk}")
    return _detail(request, proposal, form, status=400)


def home_widget(request: HttpRequest) -> str:
    """Proposals collecting support, closest to their goal first (one query)."""
    proposals = selectors.proposals_for_home()
    if not proposals:
        return ""
    return render_to_string("proposals/widget.html", {"proposals": proposals}, request=request)


# --- back office -------------------------------------------------------------------


@role_required("town_admin")
@require_GET
def proposal_manage(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.proposal_list_manage(), 50).get_page(request.GET.get("page"))
    return render(request, "proposals/manage/proposal_list.html", {"page": page, "proposals": page.object_list})


@role_required("town_admin")
@require_http_methods(["GET", "POST"])
def proposal_answer(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal.objects.select_related("ortsgemeinde"), pk=pk)
    initial: dict[str, Any] = {"status": proposal.status, "answer": proposal.answer} if proposal.is_answered else {}
    form = AnswerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_answer(proposal=proposal, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your answer is published; supporters are told."))
            return redirect("proposals:proposal-answer", pk=proposal.pk)
    return render(request, "proposals/manage/proposal_answer.html", {
        "proposal": proposal, "form": form, "step_form": StepForm(), "steps": list(proposal.steps.all()),
    }, status=400 if form.errors else 200)


@role_required("town_admin")
@require_POST
def step_add(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal, pk=pk)
    form = StepForm(request.POST)
    if form.is_valid():
        try:
            services.progress_step_add(proposal=proposal, acting_user=request.user, title=form.cleaned_data["title"],
                                       day=form.cleaned_data["date"], is_done=form.cleaned_data["is_done"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The step is added."))
    else:
        messages.error(request, _("Please enter the step and its date."))
    return redirect("proposals:proposal-answer", pk=proposal.pk)


@role_required("town_admin")
@require_POST
def proposal_done(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal, pk=pk)
    try:
        services.proposal_mark_done(proposal=proposal, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The proposal is marked as done."))
    return redirect("proposals:proposal-answer", pk=proposal.pk)
