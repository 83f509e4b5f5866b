"""Writes for Umfragen: polls and their questions (the town), votes (residents and link visitors).

Votes are written so that the stored data can't tell who voted what (see models.py):
the participation and the ballot are two rows with random keys and only a day, and
the receipt token that lets a voter change their ballot is never stored, only its hash.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.tenancy import current_town
from modules.polls.models import (
    RATING_MAX,
    RATING_MIN,
    TEXT_ANSWER_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Audience,
    Ballot,
    BallotAnswer,
    Option,
    Participation,
    Poll,
    Question,
    QuestionKind,
    ResultsVisibility,
)
from town.residency_services import residency_refusal
from town.selectors import user_ortsgemeinde_id

MAX_QUESTIONS = 10
MAX_OPTIONS = 20


def _is_active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def user_can_manage(user: Any) -> bool:
    return _is_active(user) and bool(user.is_town_admin)


def _require_manager(user: Any) -> None:
    if not user_can_manage(user):
        raise PermissionDenied(_("Only the town's administrators can manage polls."))


def _plain(value: str | None) -> str:
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or ch.isprintable()).strip()


# --- polls (the town) ----------------------------------------------------------------


@dataclass(frozen=True)
class QuestionInput:
    text: str
    kind: str
    options: Sequence[str] = ()
    required: bool = True


def _validate_poll(
    *, title: str, audience: str, ortsgemeinde_id: int | None, opens_at: datetime | None,
    closes_at: datetime | None, results_visibility: str, questions: Sequence[QuestionInput] | None,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not title:
        errors.setdefault("title", []).append(_("Please give the poll a title."))
    elif len(title) > TITLE_MAX_LENGTH:
        errors.setdefault("title", []).append(_("The title is too long."))
    if audience not in Audience.values:
        errors.setdefault("audience", []).append(_("Choose who may vote."))
    elif audience == Audience.ORTSGEMEINDE and ortsgemeinde_id is None:
        errors.setdefault("ortsgemeinde", []).append(_("Choose the Ortsgemeinde whose residents may vote."))
    if results_visibility not in ResultsVisibility.values:
        errors.setdefault("results_visibility", []).append(_("Choose when the results are shown."))
    if opens_at is None:
        errors.setdefault("opens_at", []).append(_("Enter when the poll opens."))
    if closes_at is None:
        errors.setdefault("closes_at", []).append(_("Enter when the poll closes."))
    if opens_at and closes_at and closes_at <= opens_at:
        errors.setdefault("closes_at", []).append(_("The poll must close after it opens."))
    if questions is not None:
        if not questions:
            errors.setdefault("questions", []).append(_("Add at least one question."))
        if len(questions) > MAX_QUESTIONS:
            errors.setdefault("questions", []).append(
                _("At most %(max)d questions per poll.") % {"max": MAX_QUESTIONS})
        for number, question in enumerate(questions, 1):
            if not question.text:
                errors.setdefault("questions", []).append(
                    _("Question %(number)d has no text.") % {"number": number})
            if question.kind not in QuestionKind.values:
                errors.setdefault("questions", []).append(
                    _("Question %(number)d: choose the kind of answer.") % {"number": number})
            if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
                options = [option for option in question.options if option]
                if len(options) < 2:
                    errors.setdefault("questions", []).append(
                        _("Question %(number)d needs at least two options to choose from.") % {"number": number})
                elif len(options) > MAX_OPTIONS:
                    errors.setdefault("questions", []).append(
                        _("Question %(number)d: at most %(max)d options.") % {"number": number, "max": MAX_OPTIONS})
                elif len(set(options)) != len(options):
                    errors.setdefault("questions", []).append(
                        _("Question %(number)d has the same option twice.") % {"number": number})
    return errors


def _store_questions(poll: Poll, questions: Sequence[QuestionInput]) -> None:
    poll.questions.all().delete()
    for position, item in enumerate(questions):
        question = Question.objects.create(
            poll=poll, text=_plain(item.text)[:300], kind=item.kind, position=position, required=item.required
        )
        if question.has_options:
            Option.objects.bulk_create(
                Option(question=question, text=_plain(text)[:200], position=index)
                for index, text in enumerate(option for option in item.options if option)
            )


def _clean_questions(questions: Sequence[QuestionInput]) -> list[QuestionInput]:
    return [
        QuestionInput(text=_plain(q.text), kind=q.kind, required=q.required,
                      options=[_plain(option) for option in q.options if _plain(option)])
        for q in questions
    ]


@transaction.atomic
def poll_create(
    *, acting_user: Any, title: str, description: str = "", audience: str = Audience.TOWN,
    ortsgemeinde_id: int | None = None, opens_at: datetime | None, closes_at: datetime | None,
    results_visibility: str = ResultsVisibility.AFTER_CLOSE, allow_change: bool = False,
    questions: Sequence[QuestionInput],
) -> Poll:
    """A new poll, not yet published. A poll without questions, or a choice without options, is refused."""
    _require_manager(acting_user)
    title, description = _plain(title), _plain(description)
    questions = _clean_questions(questions)
    if audience != Audience.ORTSGEMEINDE:
        ortsgemeinde_id = None
    errors = _validate_poll(title=title, audience=audience, ortsgemeinde_id=ortsgemeinde_id, opens_at=opens_at,
                            closes_at=closes_at, results_visibility=results_visibility, questions=questions)
    if errors:
        raise ValidationError(errors)
    poll = Poll.objects.create(
        title=title, description=description, audience=audience, ortsgemeinde_id=ortsgemeinde_id,
        opens_at=opens_at, closes_at=closes_at, results_visibility=results_visibility, allow_change=allow_change,
        created_by=acting_user,
    )
    _store_questions(poll, questions)
    return poll


@transaction.atomic
def poll_update(
    *, poll: Poll, acting_user: Any, title: str, description: str = "", audience: str,
    ortsgemeinde_id: int | None = None, opens_at: datetime | None, closes_at: datetime | None,
    results_visibility: str, allow_change: bool, questions: Sequence[QuestionInput] | None = None,
) -> Poll:
    """Change a poll. Once someone voted, its questions, audience and opening stay as they were."""
    _require_manager(acting_user)
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    has_votes = poll.ballots.exists()
    title, description = _plain(title), _plain(description)
    if audience != Audience.ORTSGEMEINDE:
        ortsgemeinde_id = None
    cleaned = _clean_questions(questions) if questions is not None else None
    errors = _validate_poll(title=title, audience=audience, ortsgemeinde_id=ortsgemeinde_id, opens_at=opens_at,
                            closes_at=closes_at, results_visibility=results_visibility, questions=cleaned)
    # The form shows times to the minute: an unchanged opening differs from the stored one only in seconds.
    opening_moved = opens_at is not None and abs((opens_at - poll.opens_at).total_seconds()) >= 60
    if has_votes and (audience != poll.audience or ortsgemeinde_id != poll.ortsgemeinde_id
                      or opening_moved or allow_change != poll.allow_change or cleaned is not None):
        errors.setdefault(NON_FIELD, []).append(
            _("People have already voted: only the title, the description, the closing time and when the "
              "results are shown can still be changed."))
    if errors:
        raise ValidationError(errors)
    poll.title, poll.description, poll.audience, poll.ortsgemeinde_id = title, description, audience, ortsgemeinde_id
    if not has_votes:
        poll.opens_at = opens_at
    poll.closes_at, poll.results_visibility = closes_at, results_visibility
    poll.allow_change = allow_change
    poll.save()
    if cleaned is not None:
        _store_questions(poll, cleaned)
    return poll


NON_FIELD = "__all__"


def _announce(poll: Poll) -> None:
    from core.signals import content_published

    tenant = current_town()
    poll_id = poll.pk
    ortsgemeinde_ids = [poll.ortsgemeinde_id] if poll.ortsgemeinde_id else []
    # Inside the transaction: the notifications module's outbox row commits with the poll.
    content_published.send(sender=tenant, kind="polls.poll", object_id=poll_id, ortsgemeinde_ids=ortsgemeinde_ids)


@transaction.atomic
def poll_publish(*, poll: Poll, acting_user: Any) -> Poll:
    """Make the poll visible (it takes votes from its opening time). Residents who want to hear of it are told."""
    _require_manager(acting_user)
    if not poll.questions.exists():
        raise ValidationError(_("Add at least one question."))
    if poll.is_published:
        return poll
    poll.is_published = True
    poll.save(update_fields=["is_published"])
    if poll.audience != Audience.LINK:  # a link poll is for the people the town sends the link to
        _announce(poll)
    return poll


@transaction.atomic
def poll_delete(*, poll: Poll, acting_user: Any) -> None:
    _require_manager(acting_user)
    poll.delete()


# --- voting --------------------------------------------------------------------------


def vote_refusal(poll: Poll, user: Any, now: datetime | None = None) -> str:
    """Why this person may not vote on this poll now ("" when they may). Participation is checked when voting."""
    now = now or timezone.now()
    if not poll.is_published or poll.opens_at > now:
        return _("This poll hasn't opened yet.")
    if poll.is_closed(now):
        return _("This poll has closed.")
    if poll.audience == Audience.LINK:
        return ""
    if not _is_active(user):
        return _("Please sign in to vote.")
    if poll.audience == Audience.ORTSGEMEINDE and user_ortsgemeinde_id(user) != poll.ortsgemeinde_id:
        return _("Only residents of %(place)s can vote in this poll.") % {"place": poll.ortsgemeinde}
    return residency_refusal(user, "voting")


def receipt_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _clean_answers(poll: Poll, questions: Sequence[Question], answers: Mapping[int, Any]) -> list[BallotAnswer]:
    """The answers as rows (not yet saved), or a ValidationError keyed "q_<id>" per question."""
    rows: list[BallotAnswer] = []
    errors: dict[str, list[str]] = {}
    for question in questions:
        field = f"q_{question.pk}"
        value = answers.get(question.pk)
        if question.kind == QuestionKind.TEXT:
            text = _plain(value if isinstance(value, str) else "")
            if len(text) > TEXT_ANSWER_MAX_LENGTH:
                errors[field] = [_("At most %(max)d characters.") % {"max": TEXT_ANSWER_MAX_LENGTH}]
            elif text:
                rows.append(BallotAnswer(question=question, text=text))
            elif question.required:
                errors[field] = [_("Please answer this question.")]
            continue
        if question.kind == QuestionKind.RATING:
            try:
                rating = int(value) if value not in (None, "") else None
            except (TypeError, ValueError):
                rating = -1
            if rating is None:
                if question.required:
                    errors[field] = [_("Please choose a rating.")]
            elif not RATING_MIN <= rating <= RATING_MAX:
                errors[field] = [_("Choose a rating from 1 to 5.")]
            else:
                rows.append(BallotAnswer(question=question, rating=rating))
            continue
        chosen = value if isinstance(value, list | tuple | set) else ([value] if value not in (None, "") else [])
        valid = {option.pk for option in question.options.all()}
        try:
            picked = {int(pk) for pk in chosen}
        except (TypeError, ValueError):
            picked = {-1}
        if not picked:
            if question.required:
                errors[field] = [_("Please choose an answer.")]
        elif not picked <= valid:
            errors[field] = [_("Please choose one of the options shown.")]
        elif question.kind == QuestionKind.SINGLE and len(picked) > 1:
            errors[field] = [_("Please choose only one option.")]
        else:
            rows.extend(BallotAnswer(question=question, option_id=pk) for pk in sorted(picked))
    if errors:
        raise ValidationError(errors)
    return rows


@dataclass(frozen=True)
class VoteResult:
    receipt: str | None  # the token to show the voter once (only where votes may be changed)
    changed: bool  # an earlier ballot was replaced


def _questions(poll: Poll) -> list[Question]:
    return list(poll.questions.prefetch_related("options"))


@transaction.atomic
def vote_cast(
    *, poll: Poll, acting_user: Any, answers: Mapping[int, Any], receipt: str | None = None,
    now: datetime | None = None,
) -> VoteResult:
    """Cast (or, with the receipt of an earlier one, change) a vote.

    One vote per resident: the participation row's unique constraint decides, also
    when two requests arrive at once (ISOLATION T20). Anonymous votes on a link poll
    have no participation; the view limits them per browser and IP address.
    """
    now = now or timezone.now()
    refusal = vote_refusal(poll, acting_user, now)
    if refusal:
        raise ValidationError(refusal)
    rows = _clean_answers(poll, _questions(poll), answers)
    today: date = timezone.localdate(now)
    if receipt and poll.allow_change:
        ballot = Ballot.objects.select_for_update().filter(poll=poll, receipt_hash=receipt_hash(receipt)).first()
        if ballot is None:
            raise ValidationError(_("This code doesn't belong to a vote in this poll."))
        ballot.answers.all().delete()
        _save_answers(ballot, rows)
        # The day of the last change, not of the first vote: still only a day.
        Ballot.objects.filter(pk=ballot.pk).update(day=today)
        return VoteResult(receipt=receipt, changed=True)
    if _is_active(acting_user):
        try:
            with transaction.atomic():
                Participation.objects.create(poll=poll, user=acting_user, day=today)
        except IntegrityError:
            if poll.allow_change:
                raise ValidationError(_(
                    "You have already voted. To change your vote, enter the code you were given when you voted."
                )) from None
            raise ValidationError(_("You have already voted in this poll.")) from None
    token = secrets.token_urlsafe(12) if poll.allow_change else None
    ballot = Ballot.objects.create(poll=poll, day=today, receipt_hash=receipt_hash(token) if token else None)
    _save_answers(ballot, rows)
    return VoteResult(receipt=token, changed=False)


def _save_answers(ballot: Ballot, rows: list[BallotAnswer]) -> None:
    for row in rows:
        row.ballot = ballot
    BallotAnswer.objects.bulk_create(rows)


def has_voted(poll: Poll, user: Any) -> bool:
    return _is_active(user) and Participation.objects.filter(poll=poll, user=user).exists()


def poll_close_now(*, poll: Poll, acting_user: Any) -> Poll:
    """End a poll early (its results then show if they wait for the closing)."""
    _require_manager(acting_user)
    now = timezone.now()
    if poll.closes_at > now:
        poll.closes_at = max(now, poll.opens_at)
        poll.save(update_fields=["closes_at"])
    return poll
