"""The demo town's groups: three groups with members, posts and a waiting request; loading twice adds nothing."""

from __future__ import annotations

from demo.data import email_of
from modules.groups import demo
from modules.groups.models import Comment, Group, JoinRequest, Membership, Post
from tests.accounts.factories import UserFactory
from tests.town.factories import OrganisationFactory, OrtsgemeindeFactory


def test_demo_groups_are_loaded_once(in_town_a):
    for slug in ("gebhardshain", "betzdorf", "elkenroth"):
        OrtsgemeindeFactory(name=slug.title(), slug=slug)
    feuerwehr = OrganisationFactory(name="Freiwillige Feuerwehr Betzdorf", slug="feuerwehr-betzdorf")
    for local in ("tus", "feuerwehr", "gemeindeleben", "maria.weber", "thomas.mueller", "hannah.klein",
                  "peter.schneider"):
        UserFactory(email=email_of(local))

    first = demo.load()
    second = demo.load()

    assert first == (Group.objects.count() + Membership.objects.count() + Post.objects.count()
                     + Comment.objects.count() + JoinRequest.objects.count())
    assert second == 0
    assert set(Group.objects.values_list("name", flat=True)) == {
        "Lauftreff Gebhardshain", "Helferkreis der Feuerwehr Betzdorf", "Nachbarschaft Hauptstraße Elkenroth"}
    assert Group.objects.get(organisation=feuerwehr).slug == "feuerwehr-betzdorf-helferkreis"
    assert Group.objects.get(slug="nachbarschaft-hauptstrasse-elkenroth").is_closed
    assert Post.objects.count() == len(demo.POSTS)
    assert JoinRequest.objects.get().user.email == email_of("maria.weber")


def test_without_the_demo_people_nothing_is_made(in_town_a):
    assert demo.load() == 0
    assert not Group.objects.exists()
