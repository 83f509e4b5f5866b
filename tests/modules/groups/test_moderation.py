"""Every write passes the town's moderation; reported content can be hidden and deleted by the moderators."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from modules.groups import services
from modules.groups.models import Comment, Group, Post
from modules.moderation.capabilities import moderated_content_kinds
from tests.accounts.factories import UserFactory
from tests.helpers import logged_in_client
from tests.modules.groups.factories import CommentFactory, PostFactory


@pytest.fixture
def word_filter(people):
    """The town's moderators block the word "Schrottpresse"."""
    from modules.moderation import services as moderation_services

    moderation_services.blocked_terms_replace(text="Schrottpresse", acting_user=people["moderator"])


def test_the_word_filter_refuses_posts_comments_and_groups(public_group, people, word_filter):
    with pytest.raises(ValidationError):
        services.post_create(group=public_group, acting_user=people["member"], text="Billige Schrottpresse!")
    post = PostFactory(group=public_group, author=people["founder"])
    with pytest.raises(ValidationError):
        services.comment_create(post=post, acting_user=people["member"], text="Schrottpresse hier")
    with pytest.raises(ValidationError):
        services.group_create(acting_user=people["outsider"], name="Schrottpresse-Freunde")
    with pytest.raises(ValidationError):
        services.post_update(post=post, acting_user=people["founder"], text="Jetzt mit Schrottpresse")
    assert Post.objects.count() == 1 and not Comment.objects.exists() and Group.objects.count() == 1


def test_the_word_filter_message_is_shown_on_the_form(town_a, public_group, people, word_filter):
    response = logged_in_client(town_a, people["member"]).post("/groups/lauftreff-altdorf/posts/new/",
                                                        {"text": "Schrottpresse zu verschenken"})
    assert response.status_code == 400
    assert "Schrottpresse" in response.content.decode()
    assert not Post.objects.exists()


@pytest.fixture
def suspended(monkeypatch, people) -> list[tuple[int, str]]:
    """The member is suspended: moderation refuses every action of theirs (and we see which were asked)."""
    import modules.moderation.facade

    asked: list[tuple[int, str]] = []

    def activity_check(*, user, action):
        asked.append((user.pk, action))
        if user.pk == people["member"].pk:
            raise ValidationError("Ihr Konto ist bis morgen gesperrt.", code="suspended")

    monkeypatch.setattr(modules.moderation.facade, "activity_check", activity_check)
    return asked


def test_suspended_residents_cannot_post_comment_or_found_groups(town_a, public_group, people, suspended):
    post = PostFactory(group=public_group, author=people["founder"])
    response = logged_in_client(
        town_a,
        people["member"],
    ).post("/groups/lauftreff-altdorf/posts/new/", {"text": "Hallo"})
    with pytest.raises(ValidationError):
        services.comment_create(post=post, acting_user=people["member"], text="Hallo")
    with pytest.raises(ValidationError):
        services.group_create(acting_user=people["member"], name="Meine Gruppe")

    assert response.status_code == 400 and "Ihr Konto ist bis morgen gesperrt." in response.content.decode()
    assert Post.objects.count() == 1 and not Comment.objects.exists() and Group.objects.count() == 1
    assert [action for _pk, action in suspended] == ["post", "comment", "group"]


def test_a_brand_new_account_may_found_only_one_group_a_day(people):
    newcomer = UserFactory(email="neu.hier@example.org", new_account=True)
    services.group_create(acting_user=newcomer, name="Erste Gruppe")
    with pytest.raises(ValidationError):
        services.group_create(acting_user=newcomer, name="Zweite Gruppe")
    assert list(Group.objects.values_list("name", flat=True)) == ["Erste Gruppe"]


def test_posts_and_comments_are_reportable_kinds():
    kinds = moderated_content_kinds()
    assert {"groups.post", "groups.comment"} <= set(kinds)


def test_moderators_see_hide_restore_and_delete_a_post(public_group, people):
    post = PostFactory(group=public_group, author=people["member"], text="Fragwürdiges Angebot")
    kind = moderated_content_kinds()["groups.post"]

    summary = kind.get(post.pk)
    assert (summary.author_id, summary.excerpt, summary.is_hidden) == (people["member"].pk, "Fragwürdiges Angebot",
                                                                        False)
    assert summary.url == f"/groups/lauftreff-altdorf/posts/{post.pk}/"
    kind.set_hidden(post.pk, True)
    assert kind.get(post.pk).is_hidden is True
    kind.set_hidden(post.pk, False)
    assert Post.objects.get().is_hidden is False
    kind.delete(post.pk)
    assert kind.get(post.pk) is None and not Post.objects.exists()


def test_moderators_hide_a_comment(public_group, people):
    post = PostFactory(group=public_group, author=people["member"])
    comment = CommentFactory(post=post, author=people["founder"], text="Daneben")
    kind = moderated_content_kinds()["groups.comment"]
    kind.set_hidden(comment.pk, True)
    assert kind.get(comment.pk).is_hidden is True
    assert kind.get(comment.pk).url.endswith(f"#comment-{comment.pk}")


def test_posts_and_comments_of_others_have_a_report_link(town_a, public_group, people):
    from modules.moderation.facade import report_url

    post = PostFactory(group=public_group, author=people["member"])
    comment = CommentFactory(post=post, author=people["member"], text="Kommentar")
    page = logged_in_client(
        town_a,
        people["outsider"],
    ).get(f"/groups/lauftreff-altdorf/posts/{post.pk}/").content.decode()
    own = logged_in_client(
        town_a,
        people["member"],
    ).get(f"/groups/lauftreff-altdorf/posts/{post.pk}/").content.decode()

    assert report_url(kind="groups.post", object_id=post.pk) in page
    assert report_url(kind="groups.comment", object_id=comment.pk) in page
    assert report_url(kind="groups.post", object_id=post.pk) not in own


def test_a_closed_groups_post_cannot_be_read_through_the_report_page(town_a, closed_group, people):
    # given: a post in a closed group
    from modules.moderation.facade import report_url

    post = PostFactory(group=closed_group, author=people["member"], text="Schlüssel liegt unter der Fußmatte")
    comment = services.comment_create(post=post, acting_user=people["founder"], text="Danke, Fußmatte gefunden")

    # then: members may report it; an outsider learns nothing, neither of the post nor of its comment
    for kind, pk in (("groups.post", post.pk), ("groups.comment", comment.pk)):
        url = report_url(kind=kind, object_id=pk)
        assert logged_in_client(town_a, people["founder"] if kind == "groups.post" else people["member"]).get(
            url).status_code == 200
        page = logged_in_client(town_a, people["outsider"]).get(url)
        assert page.status_code == 404 and "Fußmatte" not in page.content.decode()
        assert not moderated_content_kinds()[kind].visible_to(pk, people["outsider"])
