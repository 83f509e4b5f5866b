"""Who may do what in a closed group, role by role: outsiders get 404, members read and write, admins manage."""

from __future__ import annotations

import pytest

from modules.groups.models import Post
from tests.accounts.factories import UserFactory
from tests.helpers import TownClient, admin_of, host_of, logged_in_client
from tests.modules.groups.factories import PostFactory

# role -> (reads the feed, writes a post, deletes someone else's post, sees the requests)
EXPECTED = {
    "outsider": (404, 404, 404, 404),
    "member": (200, 302, 403, 403),
    "group_admin": (200, 302, 302, 200),
    "organisation_manager": (200, 302, 302, 200),
    "moderator": (200, 302, 302, 200),
    "town_admin": (200, 302, 302, 200),
}


def _person(role: str, people, town, feuerwehr, fire_manager):
    return {
        "outsider": people["outsider"],
        "member": people["member"],
        "group_admin": people["founder"],
        "organisation_manager": fire_manager,
        "moderator": people["moderator"],
        "town_admin": admin_of(town),
    }[role]


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_in_a_closed_group(town_a, closed_group, people, feuerwehr, fire_manager, role, sent):
    # given: the group belongs to the fire brigade; someone else wrote a post
    closed_group.organisation = feuerwehr
    closed_group.save()
    others = PostFactory(
        group=closed_group,
        author=UserFactory(email="dritte.person@example.org"),
        text="Fremder Beitrag",
    )
    closed_group.memberships.create(user=others.author)
    client = logged_in_client(town_a, _person(role, people, town_a, feuerwehr, fire_manager))
    base = "/groups/nachbarschaft-lindenweg"

    # when
    got = (
        client.get(f"{base}/posts/{others.pk}/").status_code,
        client.post(f"{base}/posts/new/", {"text": f"Hallo von {role}"}).status_code,
        client.post(f"{base}/posts/{others.pk}/delete/", {"confirm": "on"}).status_code,
        client.get(f"{base}/requests/").status_code,
    )

    # then
    assert got == EXPECTED[role]
    assert Post.objects.filter(pk=others.pk).exists() == (EXPECTED[role][2] != 302)
    assert Post.objects.filter(text=f"Hallo von {role}").exists() == (EXPECTED[role][1] == 302)


def test_signed_out_visitors_are_sent_to_sign_in_and_change_nothing(town_a, closed_group, people):
    post = PostFactory(group=closed_group, author=people["member"])
    client = TownClient(host_of(town_a))
    for path in (f"/groups/nachbarschaft-lindenweg/posts/{post.pk}/", "/groups/nachbarschaft-lindenweg/members/"):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post("/groups/nachbarschaft-lindenweg/posts/new/", {"text": "Anonym"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Post.objects.count() == 1

