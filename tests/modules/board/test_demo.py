"""The demo town's Pinnwand: a handful of posts, one with comments and reactions; loading twice adds nothing."""

from __future__ import annotations

from demo.data import email_of
from modules.board import demo
from modules.board.models import Comment, Post, Reaction
from tests.accounts.factories import UserFactory


def test_demo_posts_are_loaded_once(town_a, villages):
    for local in ("maria.weber", "thomas.mueller", "hannah.klein", "peter.schneider"):
        UserFactory(email=email_of(local), ortsgemeinde=villages["x"])

    first = demo.load()
    second = demo.load()

    assert first == Post.objects.count() + Comment.objects.count() + Reaction.objects.count()
    assert Post.objects.count() == len(demo.POSTS) and second == 0
    found = Post.objects.get(topic__name="Fundsachen")
    assert found.comments.count() == 2 and found.reactions.count() == 3
    assert Post.objects.filter(ortsgemeinde=villages["x"]).count() == 2  # the village-only ones


def test_without_the_demo_people_nothing_is_made(town_a, villages):
    assert demo.load() == 0
    assert not Post.objects.exists()
