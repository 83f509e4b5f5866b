"""Pages of Umfragen: the list, voting, results; the town's back office with CSV export."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.tokens import tenant_salt
from core.access import role_required
from core.forms import apply_service_errors
from core.ratelimit import client_ip, hit, too_many_requests
from core.spreadsheets import csv_cell
from modules.polls import selectors, services
from modules.polls.forms import PollForm, VoteForm
from modules.polls.models import Audience, Ballot, Poll

# Anonymous votes on a link poll, per IP address and hour: a household, a club evening on one wifi.
LINK_VOTES_PER_IP = 30
COOKIE_PREFIX = "poll-"


# --- the voter's browser: a signed cookie per poll ------------------------------------
# It holds "1" (this browser voted) or the receipt token. Nothing of it is stored on the server.


def _cookie_name(poll: Poll) -> str:
    return f"{COOKIE_PREFIX}{poll.key}"


def _cookie_value(request: HttpRequest, poll: Poll) -> str | None:
    value = request.get_signed_cookie(_cookie_name(poll), default=None, salt=tenant_salt("polls.vote"))
    return str(value) if value else None


def _set_cookie(response: HttpResponse, poll: Poll, value: str) -> None:
    lifetime = max(int((poll.closes_at - timezone.now()).total_seconds()), 0) + 30 * 86400
    response.set_signed_cookie(_cookie_name(poll), value, salt=tenant_salt("polls.vote"), max_age=lifetime,
                               httponly=True, samesite="Lax", secure=False)


def _receipt_from_cookie(request: HttpRequest, poll: Poll) -> str | None:
    value = _cookie_value(request, poll)
    return value if value and value != "1" else None


# --- reading ---------------------------------------------------------------------------


@require_GET
def poll_list(request: HttpRequest) -> HttpResponse:
    open_polls, closed = selectors.poll_list_visible(user=request.user)
    return render(request, "polls/poll_list.html", {"open_polls": open_polls, "closed_polls": closed})


def _visible_poll(request: HttpRequest, key: str) -> Poll:
    poll = selectors.poll_get_by_key(key=key, user=request.user)
    if poll is None:
        raise Http404
    return poll


def _initial_from_ballot(poll: Poll, receipt: str | None) -> dict[str, Any]:
    """The voter's own earlier answers, found with the receipt only they hold."""
    if not receipt:
        return {}
    ballot = Ballot.objects.filter(poll=poll, receipt_hash=services.receipt_hash(receipt)).first()
    if ballot is None:
        return {}
    initial: dict[str, Any] = {}
    for answer in ballot.answers.all():
        name = f"q_{answer.question_id}"
        if answer.option_id is not None:
            initial.setdefault(name, []).append(str(answer.option_id))
        elif answer.rating is not None:
            initial[name] = str(answer.rating)
        else:
            initial[name] = answer.text
    for question in poll.questions.all():
        name = f"q_{question.pk}"
        if question.kind == "single" and isinstance(initial.get(name), list):
            initial[name] = initial[name][0]
    return initial


def _voting_state(request: HttpRequest, poll: Poll) -> dict[str, Any]:
    refusal = services.vote_refusal(poll, request.user)
    cookie = _cookie_value(request, poll)
    receipt = _receipt_from_cookie(request, poll)
    voted = services.has_voted(poll, request.user) or (not request.user.is_authenticated and cookie is not None)
    can_change = voted and poll.allow_change and not refusal
    return {"refusal": refusal, "voted": voted, "receipt": receipt, "can_change": can_change,
            "can_vote": not refusal and (not voted or can_change)}


@require_http_methods(["GET", "POST"])
def poll_detail(request: HttpRequest, key: str) -> HttpResponse:
    poll = _visible_poll(request, key)
    state = _voting_state(request, poll)
    questions = list(poll.questions.prefetch_related("options"))
    ask_receipt = state["can_change"] and not state["receipt"]
    form = VoteForm(request.POST or None, questions=questions, ask_receipt=ask_receipt,
                    initial=_initial_from_ballot(poll, state["receipt"]))
    status = 200
    if request.method == "POST":
        if not state["can_vote"]:
            # The page again, saying why: nothing was stored.
            messages.error(request, state["refusal"] or _("You have already voted in this poll."))
            return render(request, "polls/poll_detail.html", {
                "poll": poll, "form": form, **state,
                "results_visible": selectors.results_visible(poll, request.user)}, status=403)
        if not request.user.is_authenticated and not hit("polls.vote", client_ip(request), limit=LINK_VOTES_PER_IP):
            return too_many_requests(request)
        if form.is_valid():
            receipt = (form.cleaned_data.get("receipt") or state["receipt"]) if state["voted"] else None
            try:
                result = services.vote_cast(poll=poll, acting_user=request.user, answers=form.answers(),
                                            receipt=receipt)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Your vote has been changed.") if result.changed
                                 else _("Thank you, your vote has been counted."))
                response = redirect(poll.get_absolute_url())
                _set_cookie(response, poll, result.receipt or "1")
                return response
        status = 400
    return render(request, "polls/poll_detail.html", {
        "poll": poll, "form": form, **state, "results_visible": selectors.results_visible(poll, request.user),
    }, status=status)


@require_GET
def poll_results(request: HttpRequest, key: str) -> HttpResponse:
    poll = _visible_poll(request, key)
    visible = selectors.results_visible(poll, request.user)
    results = selectors.poll_results(poll=poll) if visible else None
    return render(request, "polls/poll_results.html", {"poll": poll, "results": results, "visible": visible})


def home_widget(request: HttpRequest) -> str:
    """Open polls of the resident's Ortsgemeinde and the whole town, for the start page (one query)."""
    polls = selectors.poll_list_open_for_home(user=request.user)
    if not polls:
        return ""
    return render_to_string("polls/widget.html", {"polls": polls}, request=request)


# --- back office ---------------------------------------------------------------------


def _managed(pk: int) -> Poll:
    return get_object_or_404(Poll.objects.select_related("ortsgemeinde"), pk=pk)


@role_required("town_admin")
@require_GET
def poll_manage(request: HttpRequest) -> HttpResponse:
    polls = list(selectors.poll_list_manage()[:200])
    return render(request, "polls/manage/poll_list.html", {"polls": polls, "now": timezone.now()})


@role_required("town_admin")
@require_http_methods(["GET", "POST"])
def poll_create(request: HttpRequest) -> HttpResponse:
    form = PollForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            poll = services.poll_create(acting_user=request.user, **form.service_data())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The poll is saved. Publish it when it is ready."))
            return redirect("polls:poll-edit", pk=poll.pk)
    return render(request, "polls/manage/poll_form.html", {"form": form, "poll": None},
                  status=400 if form.errors else 200)


@role_required("town_admin")
@require_http_methods(["GET", "POST"])
def poll_edit(request: HttpRequest, pk: int) -> HttpResponse:
    poll = _managed(pk)
    locked = poll.ballots.exists()
    form = PollForm(request.POST or None, poll=poll, questions_locked=locked)
    if request.method == "POST" and form.is_valid():
        try:
            services.poll_update(poll=poll, acting_user=request.user, **form.service_data())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The poll is saved."))
            return redirect("polls:poll-edit", pk=poll.pk)
    return render(request, "polls/manage/poll_form.html", {"form": form, "poll": poll, "locked": locked},
                  status=400 if form.errors else 200)


@role_required("town_admin")
@require_POST
def poll_publish(request: HttpRequest, pk: int) -> HttpResponse:
    poll = _managed(pk)
    try:
        services.poll_publish(poll=poll, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The poll is published."))
    return redirect("polls:poll-edit", pk=poll.pk)


@role_required("town_admin")
@require_POST
def poll_close(request: HttpRequest, pk: int) -> HttpResponse:
    poll = _managed(pk)
    services.poll_close_now(poll=poll, acting_user=request.user)
    messages.success(request, _("The poll is closed."))
    return redirect("polls:poll-edit", pk=poll.pk)


@role_required("town_admin")
@require_http_methods(["GET", "POST"])
def poll_delete(request: HttpRequest, pk: int) -> HttpResponse:
    poll = _managed(pk)
    if request.method == "POST":
        try:
            services.poll_delete(poll=poll, acting_user=request.user)
        except PermissionDenied as error:
            raise PermissionDenied(str(error)) from None
        messages.success(request, _("The poll is deleted."))
        return redirect("polls:poll-manage")
    return render(request, "polls/manage/poll_delete.html", {"poll": poll})


@role_required("town_admin")
@require_GET
def poll_results_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """Counts per question and option, then every free-text answer (sorted, so their order says nothing)."""
    poll = _managed(pk)
    results = selectors.poll_results(poll=poll, with_texts=True)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="umfrage-{poll.pk}.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 only with the byte order mark
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Question"), _("Answer"), _("Votes"), _("Percent")])
    for result in results.questions:
        for row in result.rows:
            writer.writerow([result.question.text, row.label, row.count, row.percent])
        if result.average is not None:
            writer.writerow([result.question.text, _("Average"), str(result.average).replace(".", ","), ""])
        for text in result.texts:
            writer.writerow([result.question.text, csv_cell(text), 1, ""])
    writer.writerow([_("Ballots"), "", results.ballots, ""])
    if poll.audience == Audience.LINK:
        writer.writerow([_("Open to everyone with the link: votes are not verified."), "", "", ""])
    return response


@role_required("town_admin")
@require_GET
def poll_manage_results(request: HttpRequest, pk: int) -> HttpResponse:
    poll = _managed(pk)
    results = selectors.poll_results(poll=poll, with_texts=True)
    return render(request, "polls/manage/poll_results.html", {"poll": poll, "results": results})
