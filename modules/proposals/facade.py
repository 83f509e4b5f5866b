"""Vorschläge' public face: the only thing other modules and platform code import."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Value, When

from modules.moderation.capabilities import ContentSummary
from modules.proposals import selectors, services
from modules.proposals.models import Proposal, Status


def proposal_summary(pk: int) -> ContentSummary | None:
    proposal = selectors.proposal_get(pk=pk)
    if proposal is None:
        return None
    return ContentSummary(author_id=proposal.author_id, excerpt=f"{proposal.title}\n{proposal.text}",
                          url=proposal.get_absolute_url(), is_hidden=proposal.is_hidden)


def comment_summary(pk: int) -> ContentSummary | None:
    comment = selectors.comment_get(pk=pk)
    if comment is None:
        return None
    return ContentSummary(author_id=comment.author_id, excerpt=comment.text,
                          url=f"{comment.proposal.get_absolute_url()}#comment-{comment.pk}",
                          is_hidden=comment.is_hidden)


def proposal_set_hidden(pk: int, hidden: bool) -> None:
    services.proposal_set_hidden(pk, hidden)


def proposal_delete(pk: int) -> None:
    services.proposal_delete_moderated(pk)


def comment_set_hidden(pk: int, hidden: bool) -> None:
    services.comment_set_hidden(pk, hidden)


def comment_delete(pk: int) -> None:
    services.comment_delete_moderated(pk)


@dataclass(frozen=True)
class ProposalBrief:
    pk: int
    title: str
    status_label: str
    url: str


def _brief(proposal: Proposal) -> ProposalBrief:
    return ProposalBrief(pk=proposal.pk, title=proposal.title, status_label=str(proposal.get_status_display()),
                         url=proposal.get_absolute_url())


def proposal_brief(pk: int) -> ProposalBrief | None:
    """A visible proposal's title and link, e.g. for a council agenda; None while the proposals module is off."""
    from core.access import tenant_has_module

    if not tenant_has_module("proposals"):
        return None
    proposal = Proposal.objects.filter(pk=pk, is_hidden=False).first()
    return _brief(proposal) if proposal is not None else None


def proposal_briefs(pks: list[int]) -> dict[int, ProposalBrief]:
    """Several visible proposals by pk in one query; {} while the proposals module is off."""
    from core.access import tenant_has_module

    if not pks or not tenant_has_module("proposals"):
        return {}
    return {p.pk: _brief(p) for p in Proposal.objects.filter(pk__in=pks, is_hidden=False)}


def proposals_for_council(limit: int = 100) -> list[ProposalBrief]:
    """Proposals a council might discuss (referred to it first, then waiting or in review); [] while the
    proposals module is off."""
    from core.access import tenant_has_module

    if not tenant_has_module("proposals"):
        return []
    order = Case(When(status=Status.REFERRED, then=Value(0)), When(status=Status.AWAITING, then=Value(1)),
                 default=Value(2))
    found = (Proposal.objects.filter(is_hidden=False).exclude(status__in=(Status.REJECTED, Status.DONE))
             .order_by(order, "-created_at")[:limit])
    return [_brief(p) for p in found]
