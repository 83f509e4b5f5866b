"""Reads of Digitaler Rat & Gremien, each in a fixed number of queries.

Who sees what: everyone sees public meetings, public agenda items and documents, minutes the council
made public, and every recommendation once voting opened; the council's members (and the town's
administrators) also see internal meetings, items, documents and drafts.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from core.audience import audience_fact
from core.calendar import CalendarEntry
from core.page_cache import per_request
from modules.council.facts import INSIDER
from modules.council.models import (
    AgendaItem,
    Document,
    Meeting,
    Member,
    OparlAgendaItem,
    OparlMeeting,
    OparlMembership,
    OparlOrganization,
    OparlPaper,
    Recommendation,
    RecommendationStatus,
    RecommendationVote,
    SyncState,
)

RIS_PAGE_SIZE = 25


def member_for_user(*, user: Any, on: datetime.date) -> Member | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (Member.objects.filter(user=user, term_start__lte=on)
            .filter(Q(term_end__isnull=True) | Q(term_end__gte=on)).first())


def insider_fact(user: Any) -> str | None:
    """None for a current member or a town admin (their council pages are their own), else ""."""
    if user.is_town_admin or any(member.user_id == user.pk for member in members_current()):
        return None
    return ""


def is_insider(user: Any) -> bool:
    """A current member or a town admin: sees the members-only area (asked once per request)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_town_admin) or audience_fact(user, INSIDER) is None


def members_current() -> list[Member]:
    """The members whose term runs today; read once per request (the insider check asks too)."""
    today = timezone.localdate()
    return per_request("council.members_current", lambda: list(
        Member.objects.filter(term_start__lte=today).filter(Q(term_end__isnull=True) | Q(term_end__gte=today))))


def member_user_ids() -> list[int]:
    """Accounts of the members whose term runs today."""
    return [m.user_id for m in members_current() if m.user_id is not None]


def member_list_manage() -> list[Member]:
    return list(Member.objects.select_related("user").order_by("-term_end", "name"))


def _meetings(insider: bool) -> QuerySet[Meeting]:
    meetings = Meeting.objects.all()
    return meetings if insider else meetings.filter(is_public=True)


def meetings_upcoming(*, insider: bool, limit: int = 5) -> list[Meeting]:
    return list(_meetings(insider).filter(starts_at__gte=timezone.now() - datetime.timedelta(hours=6))
                .order_by("starts_at", "id")[:limit])


def meetings_past(*, insider: bool, limit: int = 10) -> list[Meeting]:
    return list(_meetings(insider).filter(starts_at__lt=timezone.now() - datetime.timedelta(hours=6))
                .order_by("-starts_at", "-id")[:limit])


def meetings_around(*, insider: bool, upcoming: int = 5, past: int = 5) -> tuple[list[Meeting], list[Meeting]]:
    """meetings_upcoming and meetings_past in one statement (a UNION of the two), for the overview."""
    since = timezone.now() - datetime.timedelta(hours=6)
    coming = _meetings(insider).filter(starts_at__gte=since).order_by("starts_at", "id")[:upcoming]
    gone = _meetings(insider).filter(starts_at__lt=since).order_by("-starts_at", "-id")[:past]
    both = list(coming.union(gone, all=True))
    return (sorted((m for m in both if m.starts_at >= since), key=lambda m: (m.starts_at, m.pk)),
            sorted((m for m in both if m.starts_at < since), key=lambda m: (m.starts_at, m.pk), reverse=True))


def meeting_get_visible(*, pk: int, insider: bool) -> Meeting | None:
    return _meetings(insider).filter(pk=pk).first()


def agenda_for(*, meeting: Meeting, insider: bool) -> list[AgendaItem]:
    items = meeting.agenda_items.all()
    return list(items if insider else items.filter(is_public=True))


def documents_for(*, meeting: Meeting, insider: bool) -> list[Document]:
    documents = meeting.documents.all()
    return list(documents if insider else documents.filter(is_public=True))


def document_get_visible(*, pk: int, insider: bool) -> Document | None:
    documents = Document.objects.select_related("meeting")
    if not insider:
        documents = documents.filter(is_public=True, meeting__is_public=True)
    return documents.filter(pk=pk).first()


def recommendations(*, insider: bool, meeting: Meeting | None = None,
                    limit: int | None = None) -> list[Recommendation]:
    found = Recommendation.objects.select_related("meeting")
    if not insider:
        found = found.exclude(status=RecommendationStatus.DRAFT)
    if meeting is not None:
        found = found.filter(meeting=meeting)
    return list(found.order_by("-created_at", "-id")[:limit])


def recommendation_get_visible(*, pk: int, insider: bool) -> Recommendation | None:
    found = Recommendation.objects.select_related("meeting", "agenda_item")
    if not insider:
        found = found.exclude(status=RecommendationStatus.DRAFT)
    return found.filter(pk=pk).first()


def member_vote(*, recommendation: Recommendation, member: Member | None) -> RecommendationVote | None:
    if member is None:
        return None
    return RecommendationVote.objects.filter(recommendation=recommendation, member=member).first()


def proposal_agenda_items(*, proposal_id: int) -> list[AgendaItem]:
    """Public agenda items of public meetings that discuss this Vorschlag, newest meeting first."""
    return list(AgendaItem.objects.filter(proposal_id=proposal_id, is_public=True, meeting__is_public=True)
                .select_related("meeting").order_by("-meeting__starts_at", "-id"))


def calendar_entries(start: datetime.datetime, end: datetime.datetime, *,
                     ortsgemeinde_id: int | None = None) -> list[CalendarEntry]:
    """The Digitaler Rat's public meetings (town-wide: the council serves every Ortsgemeinde)."""
    meetings = Meeting.objects.filter(is_public=True, starts_at__lt=end, starts_at__gte=start - datetime.timedelta(
        days=1))
    return [calendar_entry(m) for m in meetings.order_by("starts_at", "id")]


def calendar_entry(meeting: Meeting) -> CalendarEntry:
    return CalendarEntry(uid=str(meeting.pk), title=meeting.title, start=meeting.starts_at,
                         end=meeting.ends_at or meeting.starts_at + datetime.timedelta(hours=2),
                         location=meeting.location, path=meeting.get_absolute_url(),
                         cancelled=meeting.is_cancelled, updated_at=meeting.updated_at)


# --- the RIS ---------------------------------------------------------------------------------------


def ris_calendar_entries(start: datetime.datetime, end: datetime.datetime, *,
                         ortsgemeinde_id: int | None = None) -> list[CalendarEntry]:
    """Meetings of the Gemeinderäte and their committees, from the town's RIS (one query)."""
    meetings = OparlMeeting.objects.filter(start__lt=end, start__gte=start - datetime.timedelta(days=1))
    return [CalendarEntry(uid=str(m.pk), title=m.name, start=m.start, end=m.end if m.end and m.end > m.start
                          else m.start + datetime.timedelta(hours=2), location=m.location,
                          path=m.get_absolute_url(), cancelled=m.cancelled, updated_at=m.modified)
            for m in meetings.order_by("start", "id") if m.start is not None]


def _with_organization_names(meetings: QuerySet[OparlMeeting]) -> QuerySet[OparlMeeting]:
    # The lists show the Gremien's names only: an array in the same statement instead of a prefetch.
    names = OparlOrganization.objects.filter(meetings=OuterRef("pk")).order_by("name", "id").values("name")
    return meetings.annotate(organization_names=ArraySubquery(names))


def ris_meetings_upcoming(*, limit: int = 10, organization: OparlOrganization | None = None) -> list[OparlMeeting]:
    """The next meetings, each with `organization_names`."""
    meetings = OparlMeeting.objects.filter(start__gte=timezone.now() - datetime.timedelta(hours=6))
    if organization is not None:
        meetings = meetings.filter(organizations=organization)
    return list(_with_organization_names(meetings).order_by("start", "id")[:limit])


def ris_meetings_past(*, limit: int = 10, organization: OparlOrganization | None = None) -> list[OparlMeeting]:
    """The latest past meetings, each with `organization_names`."""
    meetings = OparlMeeting.objects.filter(start__lt=timezone.now() - datetime.timedelta(hours=6))
    if organization is not None:
        meetings = meetings.filter(organizations=organization)
    return list(_with_organization_names(meetings).order_by("-start", "-id")[:limit])


def ris_meeting_get(*, pk: int) -> OparlMeeting | None:
    return (OparlMeeting.objects.filter(pk=pk).select_related("body")
            .prefetch_related("organizations", "files",
                              Prefetch("agenda_items", OparlAgendaItem.objects.select_related("paper")))
            .first())


def ris_organizations() -> list[OparlOrganization]:
    """The Gremien (councils and committees), without Fraktionen and parties, current ones only."""
    today = timezone.localdate()
    return list(OparlOrganization.objects.select_related("body")
                .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
                .exclude(organization_type__in=("Fraktion", "Partei"))
                .order_by("body__name", "name"))


def ris_organization_get(*, pk: int) -> OparlOrganization | None:
    today = timezone.localdate()
    current = (OparlMembership.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
               .select_related("person").order_by("person__name"))
    return (OparlOrganization.objects.filter(pk=pk).select_related("body")
            .prefetch_related(Prefetch("memberships", current)).first())


def ris_papers(*, query: str = "") -> QuerySet[OparlPaper]:
    papers = OparlPaper.objects.select_related("body")
    if query:
        papers = papers.filter(Q(name__icontains=query) | Q(reference__icontains=query))
    return papers.order_by("-date", "-id")


def ris_paper_get(*, pk: int) -> OparlPaper | None:
    return (OparlPaper.objects.filter(pk=pk).select_related("body")
            .prefetch_related("files", Prefetch("agenda_items",
                                                OparlAgendaItem.objects.select_related("meeting")
                                                .order_by("-meeting__start")))
            .first())


def ris_has_data() -> bool:
    # One statement for both tables (at most two rows), not one EXISTS each.
    meeting = OparlMeeting.objects.order_by().values_list("pk")[:1]
    return bool(meeting.union(OparlPaper.objects.order_by().values_list("pk")[:1], all=True))


def sync_state_get() -> SyncState | None:
    return SyncState.objects.order_by("pk").first()
