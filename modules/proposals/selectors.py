"""Reads for Vorschläge, each in a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Q, QuerySet, Value, When

from core.audience import audience_fact
from modules.proposals.facts import OWN_HIDDEN
from modules.proposals.models import Category, Comment, Proposal, Status, Support

OPEN_STATUSES = (Status.COLLECTING, Status.AWAITING)


def own_hidden_fact(user: Any) -> str | None:
    """None when `user` wrote a proposal the moderators hid (their list is their own), else ""."""
    return None if Proposal.objects.filter(author_id=user.pk, is_hidden=True).exists() else ""


def visible_q(user: Any) -> Q:
    """Hidden proposals only for their author."""
    if getattr(user, "is_authenticated", False) and audience_fact(user, OWN_HIDDEN) is None:
        return Q(is_hidden=False) | Q(author_id=user.pk)
    return Q(is_hidden=False)


def proposal_list(*, user: Any, status: str = "", category_slug: str = "") -> QuerySet[Proposal]:
    proposals = Proposal.objects.filter(visible_q(user)).select_related("ortsgemeinde", "category")
    if status == "open":
        proposals = proposals.filter(status__in=OPEN_STATUSES)
    elif status == "answered":
        proposals = proposals.exclude(status__in=OPEN_STATUSES)
    if category_slug:
        proposals = proposals.filter(category__slug=category_slug)
    return proposals.order_by("-created_at", "-id")


def proposal_get_visible(*, pk: int, user: Any) -> Proposal | None:
    return (Proposal.objects.filter(visible_q(user), pk=pk)
            .select_related("ortsgemeinde", "category", "author").first())


def proposal_get(*, pk: int) -> Proposal | None:
    return Proposal.objects.filter(pk=pk).first()


def user_supports(*, proposal: Proposal, user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)
                and Support.objects.filter(proposal=proposal, user=user).exists())


def comment_list(*, proposal: Proposal, user: Any) -> list[Comment]:
    comments = proposal.comments.select_related("author")
    if getattr(user, "is_authenticated", False):
        return list(comments.filter(Q(is_hidden=False) | Q(author_id=user.pk)))
    return list(comments.filter(is_hidden=False))


def comment_get(*, pk: int) -> Comment | None:
    return Comment.objects.select_related("proposal").filter(pk=pk).first()


def category_list() -> list[Category]:
    return list(Category.objects.order_by("position", "name"))


def proposal_list_manage() -> QuerySet[Proposal]:
    """Waiting for an answer first, then the rest, newest first."""
    waiting_first = Case(When(status=Status.AWAITING, then=Value(0)), default=Value(1))
    return Proposal.objects.select_related("ortsgemeinde").order_by(waiting_first, "-created_at", "-id")


def proposals_for_home(*, limit: int = 3) -> list[Proposal]:
    """Proposals still collecting support, closest to their threshold first (one query)."""
    return list(Proposal.objects.filter(is_hidden=False, status=Status.COLLECTING)
                .select_related("ortsgemeinde").order_by("-support_count", "-created_at")[:limit])
