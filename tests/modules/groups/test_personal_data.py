"""Groups in a person's export and erasure: memberships and posts go, a group keeps an admin."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from core.personal_data import personal_data_erase
from modules.groups.models import Comment, Group, JoinRequest, MemberRole, Membership, Post, Visibility
from tests.accounts.factories import OrganisationFactory
from tests.core.personal_data_helpers import flat, person, section, stored_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups(in_town_a):
    anna, bert, carl = (person(f"{n}@example.org", f"{n.title()} Muster") for n in ("anna", "bert", "carl"))
    lauftreff = Group.objects.create(name="Lauftreff", slug="lauftreff", created_by=anna)
    Membership.objects.create(group=lauftreff, user=anna, role=MemberRole.ADMIN)
    Membership.objects.create(group=lauftreff, user=bert)
    Membership.objects.create(group=lauftreff, user=carl)
    alone = Group.objects.create(name="Annas Strickkreis", slug="strickkreis", created_by=anna)
    Membership.objects.create(group=alone, user=anna, role=MemberRole.ADMIN)
    club = Group.objects.create(name="TuS Jugend", slug="tus-jugend", created_by=anna,
                                organisation=OrganisationFactory(name="TuS"))
    Membership.objects.create(group=club, user=anna, role=MemberRole.ADMIN)
    closed = Group.objects.create(name="Chor", slug="chor", visibility=Visibility.CLOSED, created_by=bert)
    Membership.objects.create(group=closed, user=bert, role=MemberRole.ADMIN)
    JoinRequest.objects.create(group=closed, user=anna, message="Ich singe Alt.")
    photo = stored_file("groups/strecke.png")
    annas = Post.objects.create(group=lauftreff, author=anna, text="Strecke am Montag", image=photo)
    berts = Post.objects.create(group=lauftreff, author=bert, text="Ich komme mit dem Rad")
    Comment.objects.create(post=berts, author=anna, text="Super, bis Montag!")
    Comment.objects.create(post=berts, author=carl, text="Ich auch.")
    yield {"anna": anna, "bert": bert, "lauftreff": lauftreff, "alone": alone, "closed": closed, "club": club,
           "annas": annas, "berts": berts, "photo": photo}
    default_storage.delete(photo)


def test_export_holds_her_memberships_requests_posts_and_comments_only(groups):
    data = section(groups["anna"], "groups")

    assert {m["group__name"] for m in data["memberships"]} == {"Lauftreff", "Annas Strickkreis", "TuS Jugend"}
    assert [r["message"] for r in data["join_requests"]] == ["Ich singe Alt."]
    assert [p["text"] for p in data["posts"]] == ["Strecke am Montag"]
    assert data["files"] == [groups["photo"]]
    assert [c["text"] for c in data["comments"]] == ["Super, bis Montag!"]
    assert "Ich komme mit dem Rad" not in flat(data) and "Ich auch" not in flat(data)


def test_erase_removes_her_and_hands_her_groups_on(groups, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        personal_data_erase(groups["anna"])

    anna = groups["anna"]
    assert not Membership.objects.filter(user=anna).exists()
    assert not JoinRequest.objects.filter(user=anna).exists()
    assert not Post.objects.filter(pk=groups["annas"].pk).exists()
    assert not default_storage.exists(groups["photo"])
    # The longest member after her runs the group now; a group only she was in is gone.
    assert Membership.objects.get(group=groups["lauftreff"], user=groups["bert"]).role == MemberRole.ADMIN
    assert Group.objects.get(pk=groups["lauftreff"].pk).created_by_id is None
    assert not Group.objects.filter(pk=groups["alone"].pk).exists()
    assert Group.objects.filter(pk=groups["club"].pk).exists()  # the club's managers run it
    # Her comment in Bert's thread stays, the others' content is untouched.
    assert Comment.objects.filter(text="Super, bis Montag!").exists()
    assert Post.objects.filter(pk=groups["berts"].pk).exists() and Comment.objects.filter(text="Ich auch.").exists()
    assert Membership.objects.filter(group=groups["closed"], user=groups["bert"]).exists()
