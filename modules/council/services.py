"""Writes of Digitaler Rat & Gremien: the council's members, meetings, agenda, documents and
recommendations (town admins; members vote), and the sync of the town's RIS over OParl.

Votes are counted on the recommendation row under a row lock, with one vote per member enforced by a
unique constraint, so a double click or two devices count once (ISOLATION T20).
"""

from __future__ import annotations

import datetime
import logging
import time
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from core.modules import module_settings
from core.page_cache import per_request_forget
from core.tenancy import current_town
from modules.council import oparl
from modules.council.models import (
    FOLLOW_UP_STATUSES,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    AgendaItem,
    Document,
    Meeting,
    Member,
    OparlAgendaItem,
    OparlBody,
    OparlFile,
    OparlMeeting,
    OparlMembership,
    OparlOrganization,
    OparlPaper,
    OparlPerson,
    Recommendation,
    RecommendationStatus,
    RecommendationVote,
    SyncState,
    VoteChoice,
)

logger = logging.getLogger(__name__)


def _plain(value: str | None) -> str:
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or ch.isprintable()).strip()


def user_can_manage(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_town_admin)


def _require_manager(user: Any) -> None:
    if not user_can_manage(user):
        raise PermissionDenied(_("Only the town's administrators can change the Digitaler Rat."))


def _title_text(title: str, text: str, *, text_required: bool = False) -> tuple[str, str]:
    title, text = _plain(title), _plain(text)
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Please enter a title.")]
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = [_("The title is too long (at most %(max)d characters).") % {"max": TITLE_MAX_LENGTH}]
    if text_required and not text:
        errors["text"] = [_("Please enter the text.")]
    elif len(text) > TEXT_MAX_LENGTH:
        errors["text"] = [_("The text is too long (at most %(max)d characters).") % {"max": TEXT_MAX_LENGTH}]
    if errors:
        raise ValidationError(errors)
    return title, text


# --- members ---------------------------------------------------------------------------------------


@transaction.atomic
def member_save(*, acting_user: Any, member: Member | None = None, user: Any, name: str, group: str,
                seat: str, is_chair: bool, term_start: datetime.date,
                term_end: datetime.date | None) -> Member:
    """Add a member (or change one): a seat for a term; the account, if given, opens the members' area."""
    _require_manager(acting_user)
    name = _plain(name)
    if not name:
        raise ValidationError({"name": [_("Please enter the member's name.")]})
    if term_end is not None and term_end < term_start:
        raise ValidationError({"term_end": [_("The term can't end before it begins.")]})
    member = member or Member()
    member.user, member.name, member.group, member.seat = user, name[:150], group, _plain(seat)[:150]
    member.is_chair, member.term_start, member.term_end = is_chair, term_start, term_end
    member.save()
    per_request_forget("council.members_current")  # the rest of this request reads the new members
    return member


# --- meetings, agenda, documents ---------------------------------------------------------------------


@transaction.atomic
def meeting_save(*, acting_user: Any, meeting: Meeting | None = None, title: str, starts_at: datetime.datetime,
                 ends_at: datetime.datetime | None, location: str, is_public: bool, is_cancelled: bool = False,
                 minutes: str = "", minutes_public: bool = True) -> Meeting:
    _require_manager(acting_user)
    title, minutes = _title_text(title, minutes)
    if ends_at is not None and ends_at <= starts_at:
        raise ValidationError({"ends_at": [_("The meeting must end after it begins.")]})
    meeting = meeting or Meeting()
    meeting.title, meeting.starts_at, meeting.ends_at = title, starts_at, ends_at
    meeting.location, meeting.is_public, meeting.is_cancelled = _plain(location)[:200], is_public, is_cancelled
    meeting.minutes, meeting.minutes_public = minutes, minutes_public
    meeting.save()
    return meeting


@transaction.atomic
def agenda_item_add(*, acting_user: Any, meeting: Meeting, title: str, text: str = "", is_public: bool = True,
                    proposal_id: int | None = None) -> AgendaItem:
    """An item at the end of the agenda; with a Vorschlag, the proposal's page links to it."""
    _require_manager(acting_user)
    if proposal_id is not None:
        from modules.proposals.facade import proposal_brief

        brief = proposal_brief(proposal_id)
        if brief is None:
            raise ValidationError({"proposal": [_("This proposal doesn't exist (any more).")]})
        title = title or brief.title
    title, text = _title_text(title, text)
    last = meeting.agenda_items.order_by("-position").values_list("position", flat=True).first()
    return AgendaItem.objects.create(meeting=meeting, position=(last or 0) + 1, title=title, text=text,
                                     is_public=is_public, proposal_id=proposal_id)


@transaction.atomic
def agenda_item_delete(*, acting_user: Any, item: AgendaItem) -> None:
    _require_manager(acting_user)
    item.delete()


@transaction.atomic
def document_add(*, acting_user: Any, meeting: Meeting, title: str, text: str, link: str,
                 is_public: bool) -> Document:
    _require_manager(acting_user)
    title, text = _title_text(title, text)
    link = _plain(link)
    if not text and not link:
        raise ValidationError({"text": [_("Please enter the document's text or a link to it.")]})
    if link and not link.startswith(("https://", "http://")):
        raise ValidationError({"link": [_("Please enter a web address beginning with https://.")]})
    return Document.objects.create(meeting=meeting, title=title, text=text, link=link, is_public=is_public)


# --- recommendations ---------------------------------------------------------------------------------


def current_member(user: Any, *, on: datetime.date | None = None) -> Member | None:
    """The user's seat in the council today (None: not a member, or the term is over)."""
    if not getattr(user, "is_authenticated", False):
        return None
    from modules.council.selectors import member_for_user

    return member_for_user(user=user, on=on or timezone.localdate())


@transaction.atomic
def recommendation_create(*, acting_user: Any, title: str, text: str, meeting: Meeting | None = None,
                          agenda_item: AgendaItem | None = None) -> Recommendation:
    """A draft recommendation (visible to members only until voting opens)."""
    _require_manager(acting_user)
    title, text = _title_text(title, text, text_required=True)
    if agenda_item is not None:
        meeting = agenda_item.meeting
    return Recommendation.objects.create(title=title, text=text, meeting=meeting, agenda_item=agenda_item)


@transaction.atomic
def recommendation_open_voting(*, acting_user: Any, recommendation: Recommendation) -> Recommendation:
    _require_manager(acting_user)
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if recommendation.status != RecommendationStatus.DRAFT:
        raise ValidationError(_("Voting can only be opened on a recommendation that is still being discussed."))
    recommendation.status = RecommendationStatus.VOTING
    recommendation.status_changed_at = timezone.now()
    recommendation.save(update_fields=["status", "status_changed_at"])
    _tell_members_to_vote(recommendation)
    return recommendation


def _tell_members_to_vote(recommendation: Recommendation) -> None:
    """The members with an account hear that a vote is open (after commit; nothing while notifications are off)."""
    from modules.council.selectors import member_user_ids
    from modules.notifications.facade import notify

    notify(user_ids=member_user_ids(), event="council.vote",
           title=_("The council votes: %(title)s") % {"title": recommendation.title},
           body=_("Please cast your vote on the recommendation's page."), url=recommendation.get_absolute_url(),
           dedupe_key=f"council.vote:{recommendation.pk}")


@transaction.atomic
def recommendation_vote(*, acting_user: Any, recommendation: Recommendation, choice: str) -> RecommendationVote:
    """A member's vote while voting is open; once per member, however often the button is pressed."""
    member = current_member(acting_user)
    if member is None:
        raise PermissionDenied(_("Only members of the Digitaler Rat can vote."))
    if choice not in VoteChoice.values:
        raise ValidationError(_("Please choose yes, no or abstain."))
    locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if locked.status != RecommendationStatus.VOTING:
        raise ValidationError(_("Voting on this recommendation is closed."))
    if RecommendationVote.objects.filter(recommendation=locked, member=member).exists():
        raise ValidationError(_("You have already voted on this recommendation."))
    try:
        with transaction.atomic():
            vote = RecommendationVote.objects.create(recommendation=locked, member=member, choice=choice)
    except IntegrityError:
        raise ValidationError(_("You have already voted on this recommendation.")) from None
    field = {"yes": "yes_count", "no": "no_count", "abstain": "abstain_count"}[choice]
    setattr(locked, field, getattr(locked, field) + 1)
    locked.save(update_fields=[field])
    return vote


@transaction.atomic
def recommendation_close_voting(*, acting_user: Any, recommendation: Recommendation) -> Recommendation:
    """Close the vote: more yes than no recommends it (abstentions don't count either way)."""
    _require_manager(acting_user)
    locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if locked.status != RecommendationStatus.VOTING:
        raise ValidationError(_("Voting on this recommendation is not open."))
    locked.status = (RecommendationStatus.ADOPTED if locked.yes_count > locked.no_count
                     else RecommendationStatus.NOT_ADOPTED)
    locked.status_changed_at = timezone.now()
    locked.save(update_fields=["status", "status_changed_at"])
    _announce(locked)
    return locked


@transaction.atomic
def recommendation_follow_up(*, acting_user: Any, recommendation: Recommendation, status: str,
                             follow_up: str) -> Recommendation:
    """What became of an adopted recommendation, for everyone to see (passed on, carried out, declined)."""
    _require_manager(acting_user)
    locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if locked.status not in (RecommendationStatus.ADOPTED, *FOLLOW_UP_STATUSES):
        raise ValidationError(_("Only a recommendation the council adopted can be followed up."))
    if status not in FOLLOW_UP_STATUSES:
        raise ValidationError({"status": [_("Please choose what happened.")]})
    follow_up = _plain(follow_up)
    if status == RecommendationStatus.DECLINED and not follow_up:
        raise ValidationError({"follow_up": [_("Please give the Gemeinderat's reasons.")]})
    if len(follow_up) > TEXT_MAX_LENGTH:
        raise ValidationError({"follow_up": [_("The text is too long.")]})
    changed = locked.status != status
    locked.status, locked.follow_up = status, follow_up
    if changed:
        locked.status_changed_at = timezone.now()
    locked.save(update_fields=["status", "follow_up", "status_changed_at"])
    if changed:
        _announce(locked)
    return locked


def _announce(recommendation: Recommendation) -> None:
    from core.signals import content_published

    tenant = current_town()
    pk = recommendation.pk
    # Inside the transaction: the notifications module's outbox row commits with the recommendation.
    content_published.send(sender=tenant, kind="council.recommendation", object_id=pk, ortsgemeinde_ids=[])


# --- the RIS over OParl ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SyncResult:
    ok: bool
    objects: int = 0
    deleted: int = 0
    requests: int = 0
    error: str = ""


def sync_state() -> SyncState:
    state = SyncState.objects.order_by("pk").first()
    return state or SyncState.objects.create()


def oparl_sync(*, full: bool = False) -> SyncResult:
    """Read the town's RIS and store it in one transaction; on any error keep the last good data and say why.

    Incremental (``modified_since`` the start of the last good sync) unless `full`, the first time, or
    when the town changed the address; a full sync also removes what the RIS no longer lists.
    """
    endpoint = (module_settings("council").get("oparl_url") or "").strip()
    state = sync_state()
    if not endpoint:
        return SyncResult(ok=False, error=_("No OParl address is set."))
    full = full or state.modified_since is None or state.endpoint != endpoint
    began, clock = timezone.now(), time.monotonic()
    try:
        data = oparl.system_read(endpoint, modified_since=None if full else state.modified_since)
        with transaction.atomic():
            # One writer per town at a time (beat and the back office's button may meet).
            SyncState.objects.select_for_update().filter(pk=state.pk).first()
            objects, deleted = _store(data, full=full)
    except oparl.OparlError as exc:
        SyncState.objects.filter(pk=state.pk).update(last_attempt_at=began, last_error=str(exc))
        logger.info("OParl sync of %s failed: %s", endpoint, exc)
        return SyncResult(ok=False, error=str(exc))
    SyncState.objects.filter(pk=state.pk).update(
        endpoint=endpoint, last_success_at=timezone.now(), modified_since=began, last_attempt_at=began,
        last_error="", objects_seen=objects, duration_ms=int((time.monotonic() - clock) * 1000))
    return SyncResult(ok=True, objects=objects, deleted=deleted, requests=data.requests)


def _upsert(model: type[Model], rows: dict[str, dict[str, Any]], fields: list[str]) -> dict[str, int]:
    """Insert or update rows by oparl_id in batches (one query each); returns {oparl_id: pk}."""
    if not rows:
        return {}
    made = model._default_manager.bulk_create(  # type: ignore[attr-defined]
        [model(oparl_id=oid, **values) for oid, values in rows.items()],
        update_conflicts=True, unique_fields=["oparl_id"], update_fields=fields, batch_size=500)
    return {obj.oparl_id: obj.pk for obj in made}


def _ids(model: type[Model], oparl_ids: set[str]) -> dict[str, int]:
    if not oparl_ids:
        return {}
    return dict(model._default_manager.filter(oparl_id__in=oparl_ids)  # type: ignore[attr-defined]
                .values_list("oparl_id", "pk"))


def _file_rows(owner: dict[str, Any], roles: tuple[str, ...]) -> list[dict[str, Any]]:
    files = []
    for role in roles:
        for item in oparl.objects(owner, role):
            access = oparl.url(item, "accessUrl") or oparl.url(item, "downloadUrl")
            if not access or item.get("deleted") is True:
                continue
            size = item.get("size")
            files.append({"oparl_id": oparl.text(item, "id", 500), "role": role,
                          "name": oparl.text(item, "name", 500) or oparl.text(item, "fileName", 500) or role,
                          "mime_type": oparl.text(item, "mimeType", 100), "access_url": access,
                          "size": size if isinstance(size, int) and size >= 0 else None,
                          "modified": oparl.moment(item, "modified")})
    return files


MEETING_FILES = ("invitation", "resultsProtocol", "verbatimProtocol", "auxiliaryFile")
PAPER_FILES = ("mainFile", "auxiliaryFile")


def _location(obj: dict[str, Any]) -> str:
    for location in oparl.objects(obj, "location"):
        return (oparl.text(location, "description", 500) or oparl.text(location, "room", 500)
                or oparl.text(location, "streetAddress", 500))
    return ""


def _store(data: oparl.SystemData, *, full: bool) -> tuple[int, int]:
    """Write what was read (inside the caller's transaction). Returns (objects stored, objects removed)."""
    stored = removed = 0
    bodies = _upsert(OparlBody, {b.body["id"]: {
        "name": oparl.text(b.body, "name", 300) or oparl.text(b.body, "shortName", 100) or b.body["id"][:300],
        "short_name": oparl.text(b.body, "shortName", 100), "web": oparl.url(b.body, "web"),
        "modified": oparl.moment(b.body, "modified")} for b in data.bodies}, ["name", "short_name", "web", "modified"])
    stored += len(bodies)
    if full:
        removed += OparlBody.objects.exclude(oparl_id__in=list(bodies)).delete()[1].get(OparlBody._meta.label, 0)
    for found in data.bodies:
        body_pk = bodies[found.body["id"]]
        stored_here, removed_here = _store_body(body_pk, found, full=full)
        stored += stored_here
        removed += removed_here
    return stored, removed


def _store_body(body_pk: int, found: oparl.BodyData, *, full: bool) -> tuple[int, int]:
    removed = 0
    # Gremien
    organizations = _upsert(OparlOrganization, {o["id"]: {
        "body_id": body_pk, "name": oparl.text(o, "name", 300) or oparl.text(o, "shortName", 100) or "–",
        "short_name": oparl.text(o, "shortName", 100), "organization_type": oparl.text(o, "organizationType", 100),
        "classification": oparl.text(o, "classification", 100), "end_date": oparl.day(o, "endDate"),
        "web": oparl.url(o, "web"), "modified": oparl.moment(o, "modified")} for o in found.objects["organization"]},
        ["body_id", "name", "short_name", "organization_type", "classification", "end_date", "web", "modified"])
    # People and their memberships (embedded in the person in OParl 1.1)
    people = _upsert(OparlPerson, {p["id"]: {
        "body_id": body_pk, "web": oparl.url(p, "web"), "modified": oparl.moment(p, "modified"),
        "name": oparl.text(p, "name", 300) or " ".join(
            filter(None, (oparl.text(p, "givenName", 100), oparl.text(p, "familyName", 100)))) or "–",
    } for p in found.objects["person"]}, ["body_id", "name", "web", "modified"])
    membership_rows = [(p["id"], m) for p in found.objects["person"] for m in oparl.objects(p, "membership")]
    org_ids = {**_ids(OparlOrganization, {oparl.text(m, "organization", 500) for _p, m in membership_rows}),
               **organizations}
    OparlMembership.objects.filter(person_id__in=list(people.values())).delete()
    OparlMembership.objects.bulk_create([OparlMembership(
        oparl_id=f"{m.get('id') or person_id + '#' + str(n)}"[:500], person_id=people[person_id],
        organization_id=org_ids[oparl.text(m, "organization", 500)], role=oparl.text(m, "role", 200),
        voting_right=m.get("votingRight") is not False, start_date=oparl.day(m, "startDate"),
        end_date=oparl.day(m, "endDate"), modified=oparl.moment(m, "modified"))
        for n, (person_id, m) in enumerate(membership_rows) if oparl.text(m, "organization", 500) in org_ids
    ], batch_size=500, ignore_conflicts=True)
    # Meetings, their agenda items and files
    meetings = _upsert(OparlMeeting, {m["id"]: {
        "body_id": body_pk, "name": oparl.text(m, "name", 500) or "–", "start": oparl.moment(m, "start"),
        "end": oparl.moment(m, "end"), "location": _location(m), "cancelled": m.get("cancelled") is True,
        "web": oparl.url(m, "web"), "modified": oparl.moment(m, "modified")} for m in found.objects["meeting"]},
        ["body_id", "name", "start", "end", "location", "cancelled", "web", "modified"])
    meeting_orgs = {m["id"]: oparl.references(m, "organization") for m in found.objects["meeting"]}
    all_orgs = {**_ids(OparlOrganization, {o for refs in meeting_orgs.values() for o in refs}), **organizations}
    through = OparlMeeting.organizations.through
    through.objects.filter(oparlmeeting_id__in=list(meetings.values())).delete()
    through.objects.bulk_create([through(oparlmeeting_id=meetings[mid], oparlorganization_id=all_orgs[org])
                                 for mid, refs in meeting_orgs.items() for org in dict.fromkeys(refs)
                                 if org in all_orgs], batch_size=1000)
    items: dict[str, dict[str, Any]] = {}
    for m in found.objects["meeting"]:
        for n, item in enumerate(oparl.objects(m, "agendaItem")):
            order = item.get("order")
            items[oparl.text(item, "id", 500) or f"{m['id']}#{n}"] = {
                "meeting_id": meetings[m["id"]], "number": oparl.text(item, "number", 50),
                "order": order if isinstance(order, int) else n, "name": oparl.text(item, "name", 1000) or "–",
                "public": item.get("public") is not False, "result": oparl.text(item, "result", 300),
                "resolution_text": oparl.text(item, "resolutionText", 20000),
                "web": oparl.url(item, "web"), "modified": oparl.moment(item, "modified")}
    kept_items = _upsert(OparlAgendaItem, items, ["meeting_id", "number", "order", "name", "public", "result",
                                                   "resolution_text", "web", "modified"])
    removed += OparlAgendaItem.objects.filter(meeting_id__in=list(meetings.values())).exclude(
        pk__in=list(kept_items.values())).delete()[0]
    OparlFile.objects.filter(meeting_id__in=list(meetings.values())).delete()
    OparlFile.objects.bulk_create([OparlFile(meeting_id=meetings[m["id"]], **row) for m in found.objects["meeting"]
                                   for row in _file_rows(m, MEETING_FILES)], batch_size=500)
    # Papers, their files, and which agenda items discuss them
    papers = _upsert(OparlPaper, {p["id"]: {
        "body_id": body_pk, "name": oparl.text(p, "name", 1000) or oparl.text(p, "reference", 100) or "–",
        "reference": oparl.text(p, "reference", 100), "date": oparl.day(p, "date"),
        "paper_type": oparl.text(p, "paperType", 200), "web": oparl.url(p, "web"),
        "modified": oparl.moment(p, "modified")} for p in found.objects["paper"]},
        ["body_id", "name", "reference", "date", "paper_type", "web", "modified"])
    OparlFile.objects.filter(paper_id__in=list(papers.values())).delete()
    OparlFile.objects.bulk_create([OparlFile(paper_id=papers[p["id"]], **row) for p in found.objects["paper"]
                                   for row in _file_rows(p, PAPER_FILES)], batch_size=500)
    discussed = {oparl.text(c, "agendaItem", 500): papers[p["id"]] for p in found.objects["paper"]
                 for c in oparl.objects(p, "consultation") if oparl.text(c, "agendaItem", 500)}
    linked = list(OparlAgendaItem.objects.filter(oparl_id__in=list(discussed)).only("pk", "oparl_id"))
    for item in linked:
        item.paper_id = discussed[item.oparl_id]
    OparlAgendaItem.objects.bulk_update(linked, ["paper_id"], batch_size=500)
    # What the RIS says is gone (incremental), or no longer lists at all (full)
    for kind, model, kept in (("meeting", OparlMeeting, meetings), ("paper", OparlPaper, papers),
                              ("person", OparlPerson, people), ("organization", OparlOrganization, organizations)):
        gone = model._default_manager.filter(body_id=body_pk)  # type: ignore[attr-defined]
        gone = gone.exclude(pk__in=list(kept.values())) if full else gone.filter(oparl_id__in=found.deleted[kind])
        removed += gone.delete()[1].get(model._meta.label, 0)
    return len(organizations) + len(people) + len(meetings) + len(items) + len(papers), removed
