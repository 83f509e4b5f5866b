"""A person's proposals, supports and comments in their export; erasure keeps the village's record without them."""

from __future__ import annotations

from modules.proposals.models import Comment, Proposal, Support
from modules.proposals.personal_data import erase, export
from modules.proposals.services import comment_create, support_add
from tests.modules.proposals.factories import make_proposal, supporters


def test_export_and_erase(in_town_a, erna):
    mine = make_proposal(author=erna, title="Bank an der Bushaltestelle")
    [ben] = supporters(1)
    theirs = make_proposal(author=ben, title="Spielplatz")
    support_add(proposal=theirs, acting_user=erna)
    support_add(proposal=mine, acting_user=ben)
    comment_create(proposal=theirs, acting_user=erna, text="Gute Idee!")

    data = export(erna)
    erase(erna)

    assert [p["title"] for p in data["proposals"]] == ["Bank an der Bushaltestelle"]
    assert [s["proposal__title"] for s in data["supports"]] == ["Spielplatz"]
    assert [c["text"] for c in data["comments"]] == ["Gute Idee!"] and "Spielplatz" not in str(data["proposals"])
    mine.refresh_from_db()
    assert mine.author is None and mine.supports.count() == 1  # the proposal and its supporters stay
    assert not Support.objects.filter(user=erna).exists()
    assert Comment.objects.get().author is None and Proposal.objects.count() == 2
