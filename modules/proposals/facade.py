"""Vorschläge' public face: the only thing other modules and platform code import."""

from __future__ import annotations

from modules.moderation.capabilities import ContentSummary
from modules.proposals import selectors, services


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
