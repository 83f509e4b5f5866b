"""Town B can't see or change anything of town A's groups: every page is 404 there, even for B's admin."""

from __future__ import annotations

from django_tenants.utils import schema_context

from modules.groups.models import Group, Membership, Post
from tests.helpers import admin_of, logged_in_client
from tests.modules.groups.factories import CommentFactory, GroupMembershipFactory, PostFactory


def test_town_as_groups_posts_and_members_are_404_on_town_b(town_a, town_b, closed_group, public_group, people):
    # given: A's groups with a post and a comment
    post = PostFactory(group=public_group, author=people["member"], text="Nur in Altdorf")
    comment = CommentFactory(post=post, author=people["founder"], text="Genau")
    membership = Membership.objects.get(group=public_group, user=people["member"])
    admin_b = logged_in_client(town_b, admin_of(town_b))

    # when / then
    paths = [
        "/groups/lauftreff-altdorf/", "/groups/lauftreff-altdorf/members/", "/groups/lauftreff-altdorf/edit/",
        f"/groups/lauftreff-altdorf/posts/{post.pk}/", f"/groups/lauftreff-altdorf/posts/{post.pk}/edit/",
        f"/groups/lauftreff-altdorf/comments/{comment.pk}/edit/", "/groups/nachbarschaft-lindenweg/requests/",
    ]
    for path in paths:
        assert admin_b.get(path).status_code == 404, path
    posts = {
        "/groups/lauftreff-altdorf/join/": {"confirm": "on"},
        "/groups/lauftreff-altdorf/posts/new/": {"text": "Von B"},
        f"/groups/lauftreff-altdorf/posts/{post.pk}/delete/": {"confirm": "on"},
        f"/groups/lauftreff-altdorf/members/{membership.pk}/remove/": {"confirm": "on"},
    }
    for path, data in posts.items():
        assert admin_b.post(path, data).status_code == 404, path
    assert "Lauftreff" not in admin_b.get("/groups/").content.decode()
    assert Post.objects.filter(pk=post.pk).exists() and Membership.objects.filter(pk=membership.pk).exists()
    with schema_context(town_b.schema_name):
        assert not Group.objects.exists() and not Post.objects.exists()


def test_a_group_with_the_same_address_in_b_shows_bs_own_posts(town_a, town_b, public_group, people):
    PostFactory(group=public_group, author=people["member"], text="Altdorfer Beitrag")
    with schema_context(town_b.schema_name):
        from modules.groups.models import Visibility

        twin = Group.objects.create(name="Lauftreff Altdorf", slug="lauftreff-altdorf", visibility=Visibility.PUBLIC)
        GroupMembershipFactory(group=twin, user=admin_of(town_b), role="admin")
    page = logged_in_client(town_b, admin_of(town_b)).get("/groups/lauftreff-altdorf/").content.decode()
    assert "Altdorfer Beitrag" not in page
