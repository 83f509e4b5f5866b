"""Reads for Umfragen: the polls a visitor may see, and results counted in the database.

Results are counted with GROUP BY over the answers: a fixed number of queries
whatever the number of ballots.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from modules.polls.models import Audience, Ballot, BallotAnswer, Poll, Question, QuestionKind, ResultsVisibility
from town.selectors import user_ortsgemeinde_id


def audience_q(user: Any) -> Q:
    """Polls listed for this visitor: town-wide ones and their Ortsgemeinde's (every one for the town's admins)."""
    listed = ~Q(audience=Audience.LINK)
    if getattr(user, "is_authenticated", False) and user.is_town_admin:
        return listed
    home = user_ortsgemeinde_id(user) if getattr(user, "is_authenticated", False) else None
    return listed & (Q(audience=Audience.TOWN) | Q(audience=Audience.ORTSGEMEINDE, ortsgemeinde_id=home))


def poll_list_visible(*, user: Any) -> tuple[list[Poll], list[Poll]]:
    """(open, closed) published polls listed for this visitor, in one query."""
    now = timezone.now()
    polls = list(
        Poll.objects.filter(audience_q(user), is_published=True, opens_at__lte=now)
        .select_related("ortsgemeinde").order_by("closes_at", "-id")[:200]
    )
    open_polls = [poll for poll in polls if poll.closes_at > now]
    closed = sorted((poll for poll in polls if poll.closes_at <= now), key=lambda p: p.closes_at, reverse=True)
    return open_polls, closed[:50]


def poll_list_open_for_home(*, user: Any, limit: int = 3) -> list[Poll]:
    """Open polls a resident may vote in, their village's first (one query)."""
    now = timezone.now()
    return list(
        Poll.objects.filter(audience_q(user), is_published=True, opens_at__lte=now, closes_at__gt=now)
        .select_related("ortsgemeinde").order_by("-ortsgemeinde_id", "closes_at")[:limit]
    )


def poll_get_by_key(*, key: str, user: Any) -> Poll | None:
    """A poll by its address: published ones for everyone with it, drafts only for the town's admins."""
    poll = Poll.objects.select_related("ortsgemeinde").filter(key=key).first()
    if poll is None:
        return None
    if not poll.is_published and not (getattr(user, "is_authenticated", False) and user.is_town_admin):
        return None
    return poll


def poll_list_manage() -> QuerySet[Poll]:
    return Poll.objects.select_related("ortsgemeinde").annotate(ballot_count=Count("ballots")).order_by("-id")


def results_visible(poll: Poll, user: Any) -> bool:
    if getattr(user, "is_authenticated", False) and user.is_town_admin:
        return True
    return poll.is_closed() or (poll.is_published and poll.results_visibility == ResultsVisibility.LIVE
                                and poll.opens_at <= timezone.now())


@dataclass
class OptionResult:
    label: str
    count: int
    percent: int


@dataclass
class QuestionResult:
    question: Question
    rows: list[OptionResult] = field(default_factory=list)
    answered: int = 0
    average: float | None = None
    texts: list[str] = field(default_factory=list)

    @property
    def is_text(self) -> bool:
        return self.question.kind == QuestionKind.TEXT


@dataclass
class PollResults:
    ballots: int
    questions: list[QuestionResult]


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def poll_results(*, poll: Poll, with_texts: bool = False) -> PollResults:
    """Counts per option and rating, in four queries (five with the free texts)."""
    questions = list(poll.questions.prefetch_related("options"))
    ballots = Ballot.objects.filter(poll=poll).count()
    counts: dict[tuple[int, int | None, int | None], int] = {}
    for row in (BallotAnswer.objects.filter(ballot__poll=poll).values("question_id", "option_id", "rating")
                .annotate(n=Count("id"))):
        counts[(row["question_id"], row["option_id"], row["rating"])] = row["n"]
    answered: dict[int, int] = {}
    for row in (BallotAnswer.objects.filter(ballot__poll=poll).values("question_id")
                .annotate(n=Count("ballot_id", distinct=True))):
        answered[row["question_id"]] = row["n"]
    texts: dict[int, list[str]] = {}
    if with_texts:
        for question_id, text in (BallotAnswer.objects.filter(ballot__poll=poll, question__kind=QuestionKind.TEXT)
                                  .order_by("text").values_list("question_id", "text")):
            texts.setdefault(question_id, []).append(text)
    results = []
    for question in questions:
        result = QuestionResult(question=question, answered=answered.get(question.pk, 0),
                                texts=texts.get(question.pk, []))
        if question.has_options:
            for option in question.options.all():
                n = counts.get((question.pk, option.pk, None), 0)
                result.rows.append(OptionResult(option.text, n, _percent(n, result.answered)))
        elif question.kind == QuestionKind.RATING:
            total = 0
            for rating in range(5, 0, -1):
                n = counts.get((question.pk, None, rating), 0)
                total += n * rating
                result.rows.append(OptionResult(str(rating), n, _percent(n, result.answered)))
            result.average = round(total / result.answered, 1) if result.answered else None
        results.append(result)
    return PollResults(ballots=ballots, questions=results)
