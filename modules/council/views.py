"""Pages of Digitaler Rat & Gremien: the council's public page and members' area, the RIS mirror, and the
town's back office."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from core.access import role_required
from core.calendar import SourcedEntry, calendar_sources, ical_document, ical_response
from core.forms import apply_service_errors
from core.modules import module_settings
from modules.council import selectors, services
from modules.council.forms import (
    AgendaItemForm,
    DocumentForm,
    FollowUpForm,
    MeetingForm,
    MemberForm,
    RecommendationForm,
    VoteForm,
)
from modules.council.models import AgendaItem, Meeting, Member, Recommendation, RecommendationStatus


def _council() -> dict[str, Any]:
    config = module_settings("council")
    return {"council_name": config.get("council_name") or "Digitaler Rat",
            "council_intro": config.get("council_intro") or ""}


def _proposal_links(items: list[AgendaItem]) -> None:
    from modules.proposals.facade import proposal_briefs

    briefs = proposal_briefs([i.proposal_id for i in items if i.proposal_id])
    for item in items:
        item.proposal = briefs.get(item.proposal_id) if item.proposal_id else None


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    members = selectors.members_current()
    insider = selectors.is_insider(request.user)
    upcoming, past = selectors.meetings_around(insider=insider, upcoming=5, past=5)
    ris_upcoming = selectors.ris_meetings_upcoming(limit=8)
    return render(request, "council/overview.html", {
        **_council(), "insider": insider,
        "members": members,
        "upcoming": upcoming,
        "past": past,
        "recommendations": selectors.recommendations(insider=insider, limit=10),
        "ris_upcoming": ris_upcoming,
        # Upcoming RIS meetings already say the RIS has data: asked only when there are none.
        "ris_has_data": bool(ris_upcoming) or selectors.ris_has_data(),
    })


@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    insider = selectors.is_insider(request.user)
    meeting = selectors.meeting_get_visible(pk=pk, insider=insider)
    if meeting is None:
        raise Http404
    items = selectors.agenda_for(meeting=meeting, insider=insider)
    _proposal_links(items)
    return render(request, "council/meeting_detail.html", {
        **_council(), "meeting": meeting, "insider": insider, "items": items,
        "documents": selectors.documents_for(meeting=meeting, insider=insider),
        "recommendations": selectors.recommendations(insider=insider, meeting=meeting),
        "show_minutes": bool(meeting.minutes) and (meeting.minutes_public or insider),
        "can_manage": services.user_can_manage(request.user),
    })


@require_safe
def meeting_ical(request: HttpRequest, pk: int) -> HttpResponse:
    """One public meeting as an .ics file ("add to my calendar")."""
    meeting = selectors.meeting_get_visible(pk=pk, insider=False)
    source = next((s for s in calendar_sources() if s.key == "digitalerrat"), None)
    if meeting is None or source is None:
        raise Http404
    document = ical_document([SourcedEntry(source, selectors.calendar_entry(meeting), meeting.starts_at)],
                             name=meeting.title)
    response = ical_response(document, filename=f"rat-{meeting.pk}.ics")
    response["Content-Disposition"] = response["Content-Disposition"].replace("inline", "attachment")
    return response


@require_GET
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_get_visible(pk=pk, insider=selectors.is_insider(request.user))
    if document is None:
        raise Http404
    return render(request, "council/document_detail.html", {**_council(), "document": document})


@require_GET
def recommendation_list(request: HttpRequest) -> HttpResponse:
    insider = selectors.is_insider(request.user)
    return render(request, "council/recommendation_list.html", {
        **_council(), "recommendations": selectors.recommendations(insider=insider)})


def _recommendation_page(request: HttpRequest, recommendation: Recommendation, *, form: VoteForm | None = None,
                         status: int = 200) -> HttpResponse:
    member = services.current_member(request.user)
    return render(request, "council/recommendation_detail.html", {
        **_council(), "recommendation": recommendation, "member": member,
        "vote": selectors.member_vote(recommendation=recommendation, member=member),
        "vote_form": form or VoteForm(), "can_manage": services.user_can_manage(request.user),
    }, status=status)


@require_GET
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = selectors.recommendation_get_visible(pk=pk, insider=selectors.is_insider(request.user))
    if recommendation is None:
        raise Http404
    return _recommendation_page(request, recommendation)


@login_required
@require_POST
def recommendation_vote(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = selectors.recommendation_get_visible(pk=pk, insider=selectors.is_insider(request.user))
    if recommendation is None:
        raise Http404
    form = VoteForm(request.POST)
    if not form.is_valid():
        return _recommendation_page(request, recommendation, form=form, status=400)
    try:
        services.recommendation_vote(acting_user=request.user, recommendation=recommendation,
                                     choice=form.cleaned_data["choice"])
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return _recommendation_page(request, recommendation, status=400 if isinstance(error, ValidationError)
                                    else 403)
    messages.success(request, _("Your vote is counted."))
    return redirect(recommendation.get_absolute_url())


# --- the RIS ---------------------------------------------------------------------------------------


@require_GET
def ris_overview(request: HttpRequest) -> HttpResponse:
    return render(request, "council/ris/overview.html", {
        **_council(), "organizations": selectors.ris_organizations(),
        "upcoming": selectors.ris_meetings_upcoming(limit=20), "past": selectors.ris_meetings_past(limit=10),
        "state": selectors.sync_state_get(),
    })


@require_GET
def ris_organization(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.ris_organization_get(pk=pk)
    if organization is None:
        raise Http404
    return render(request, "council/ris/organization.html", {
        **_council(), "organization": organization,
        "upcoming": selectors.ris_meetings_upcoming(organization=organization),
        "past": selectors.ris_meetings_past(organization=organization)})


@require_GET
def ris_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.ris_meeting_get(pk=pk)
    if meeting is None:
        raise Http404
    return render(request, "council/ris/meeting.html", {**_council(), "meeting": meeting})


@require_GET
def ris_papers(request: HttpRequest) -> HttpResponse:
    query = (request.GET.get("q") or "").strip()[:100]
    page = Paginator(selectors.ris_papers(query=query), selectors.RIS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "council/ris/papers.html", {**_council(), "page": page, "papers": page.object_list,
                                                       "q": query})


@require_GET
def ris_paper(request: HttpRequest, pk: int) -> HttpResponse:
    paper = selectors.ris_paper_get(pk=pk)
    if paper is None:
        raise Http404
    return render(request, "council/ris/paper.html", {**_council(), "paper": paper})


def home_widget(request: HttpRequest) -> str:
    """The next meetings of the Digitaler Rat and of the Gemeinderäte (two queries)."""
    meetings = selectors.meetings_upcoming(insider=False, limit=2)
    ris = selectors.ris_meetings_upcoming(limit=3)
    if not meetings and not ris:
        return ""
    return render_to_string("council/widget.html", {**_council(), "meetings": meetings, "ris": ris},
                            request=request)


# --- back office -----------------------------------------------------------------------------------


@role_required("town_admin")
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    return render(request, "council/manage/overview.html", {
        **_council(), "members": selectors.member_list_manage(),
        "meetings": Meeting.objects.order_by("-starts_at")[:30],
        "recommendations": selectors.recommendations(insider=True),
        "state": selectors.sync_state_get(), "oparl_url": module_settings("council").get("oparl_url") or "",
    })


@role_required("town_admin")
@require_POST
def sync_now(request: HttpRequest) -> HttpResponse:
    result = services.oparl_sync(full=request.POST.get("full") == "yes")
    if result.ok:
        messages.success(request, _("The council information was read: %(count)d entries.") % {
            "count": result.objects})
    else:
        messages.error(request, _("The council information could not be read: %(error)s The last good data "
                                  "stays visible.") % {"error": result.error})
    return redirect("council:manage")


def _user_by_email(email: str) -> Any:
    if not email:
        return None
    return get_user_model().objects.filter(email__iexact=email, is_active=True).first()


def _member_form(request: HttpRequest, member: Member | None) -> HttpResponse:
    initial = {}
    if member is not None:
        initial = {"name": member.name, "email": member.user.email if member.user else "", "group": member.group,
                   "seat": member.seat, "is_chair": member.is_chair, "term_start": member.term_start,
                   "term_end": member.term_end}
    form = MemberForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = _user_by_email(data["email"])
        if data["email"] and user is None:
            form.add_error("email", _("No active account has this e-mail address."))
        else:
            try:
                services.member_save(acting_user=request.user, member=member, user=user, name=data["name"],
                                     group=data["group"], seat=data["seat"], is_chair=data["is_chair"],
                                     term_start=data["term_start"], term_end=data["term_end"])
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The member is saved."))
                return redirect("council:manage")
    return render(request, "council/manage/form.html", {
        **_council(), "form": form, "heading": _("Edit member") if member else _("Add member")},
        status=400 if form.errors else 200)


@role_required("town_admin")
@require_http_methods(["GET", "POST"])
def member_create(request: HttpRequest) -> HttpResponse:
    return _member_form(request, None)


@role_required("town_admin")
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _member_form(request, get_object_or_404(Member.objects.select_related("user"), pk=pk))


def _meeting_form(request: HttpRequest, meeting: Meeting | None) -> HttpResponse:
    initial = {}
    if meeting is not None:
        initial = {f: getattr(meeting, f) for f in MeetingForm.base_fields}
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.meeting_save(acting_user=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The meeting is saved."))
            return redirect("council:meeting-manage", pk=saved.pk)
    return render(request, "council/manage/form.html", {
        **_council(), "form": form, "heading": _("Edit meeting") if meeting else _("New meeting")},
        status=400 if form.errors else 200)


@role_required("town_admin")
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    return _meeting_form(request, None)


@role_required("town_admin")
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_form(request, get_object_or_404(Meeting, pk=pk))


def _proposals() -> list[Any]:
    from modules.proposals.facade import proposals_for_council

    return proposals_for_council()


@role_required("town_admin")
@require_GET
def meeting_manage(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    items = selectors.agenda_for(meeting=meeting, insider=True)
    _proposal_links(items)
    return render(request, "council/manage/meeting.html", {
        **_council(), "meeting": meeting, "items": items,
        "documents": selectors.documents_for(meeting=meeting, insider=True),
        "recommendations": selectors.recommendations(insider=True, meeting=meeting),
        "item_form": AgendaItemForm(proposals=_proposals(), prefix="item"), "document_form": DocumentForm(prefix="doc"),
        "recommendation_form": RecommendationForm(items=items, prefix="reco")})


@role_required("town_admin")
@require_POST
def agenda_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    form = AgendaItemForm(request.POST, proposals=_proposals(), prefix="item")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.agenda_item_add(acting_user=request.user, meeting=meeting, title=data["title"],
                                     text=data["text"], is_public=data["is_public"], proposal_id=data["proposal"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The item is on the agenda."))
    else:
        messages.error(request, _("Please check the agenda item: %(errors)s") % {
            "errors": " ".join(str(e) for errors in form.errors.values() for e in errors)})
    return redirect("council:meeting-manage", pk=meeting.pk)


@role_required("town_admin")
@require_POST
def agenda_item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(AgendaItem, pk=pk)
    services.agenda_item_delete(acting_user=request.user, item=item)
    messages.success(request, _("The item is removed from the agenda."))
    return redirect("council:meeting-manage", pk=item.meeting_id)


@role_required("town_admin")
@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    form = DocumentForm(request.POST, prefix="doc")
    if form.is_valid():
        try:
            services.document_add(acting_user=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The document is added."))
    else:
        messages.error(request, _("Please enter the document's title."))
    return redirect("council:meeting-manage", pk=meeting.pk)


@role_required("town_admin")
@require_POST
def recommendation_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    items = list(meeting.agenda_items.all())
    form = RecommendationForm(request.POST, items=items, prefix="reco")
    if form.is_valid():
        data = form.cleaned_data
        item = next((i for i in items if i.pk == data["agenda_item"]), None)
        try:
            services.recommendation_create(acting_user=request.user, title=data["title"], text=data["text"],
                                           meeting=meeting, agenda_item=item)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The recommendation is saved as a draft."))
    else:
        messages.error(request, _("Please enter the recommendation's title and text."))
    return redirect("council:meeting-manage", pk=meeting.pk)


@role_required("town_admin")
@require_http_methods(["GET", "POST"])
def recommendation_manage(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = get_object_or_404(Recommendation, pk=pk)
    form = FollowUpForm(request.POST or None, initial={"status": recommendation.status,
                                                       "follow_up": recommendation.follow_up})
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "open":
                services.recommendation_open_voting(acting_user=request.user, recommendation=recommendation)
                messages.success(request, _("Voting is open; members can vote on the recommendation's page."))
            elif action == "close":
                services.recommendation_close_voting(acting_user=request.user, recommendation=recommendation)
                messages.success(request, _("Voting is closed; the result is public."))
            elif form.is_valid():
                services.recommendation_follow_up(acting_user=request.user, recommendation=recommendation,
                                                  **form.cleaned_data)
                messages.success(request, _("The follow-up is published."))
            else:
                return _recommendation_manage_page(request, recommendation, form, status=400)
        except ValidationError as error:
            if action in ("open", "close"):
                messages.error(request, " ".join(error.messages))
            else:
                apply_service_errors(form, error)
                return _recommendation_manage_page(request, recommendation, form, status=400)
        return redirect("council:recommendation-manage", pk=recommendation.pk)
    return _recommendation_manage_page(request, recommendation, form)


def _recommendation_manage_page(request: HttpRequest, recommendation: Recommendation, form: FollowUpForm,
                                status: int = 200) -> HttpResponse:
    return render(request, "council/manage/recommendation.html", {
        **_council(), "recommendation": recommendation, "form": form,
        "can_follow_up": recommendation.status not in (RecommendationStatus.DRAFT, RecommendationStatus.VOTING,
                                                       RecommendationStatus.NOT_ADOPTED),
    }, status=status)
