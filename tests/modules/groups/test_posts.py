"""Posts and comments: who reads them, who writes them, what is refused, and that a closed group doesn't leak."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from modules.groups import services
from modules.groups.models import Comment, Post
from tests.helpers import image_upload, logged_in_client, shown
from tests.modules.groups.factories import CommentFactory, PostFactory


def test_a_closed_groups_posts_are_404_for_outsiders_and_readable_for_members(town_a, closed_group, people):
    # given
    post = PostFactory(group=closed_group, author=people["member"], text="Schlüssel für den Gemeinschaftsgarten")
    outsider = logged_in_client(town_a, people["outsider"])
    member = logged_in_client(town_a, people["member"])

    # then: the outsider sees the group's name and a way to ask, never its posts
    group_page = outsider.get("/groups/nachbarschaft-lindenweg/")
    assert group_page.status_code == 200
    assert "Gemeinschaftsgarten" not in group_page.content.decode()
    assert 'action="/groups/nachbarschaft-lindenweg/join/"' in group_page.content.decode()
    for path in (f"/groups/nachbarschaft-lindenweg/posts/{post.pk}/",
                 f"/groups/nachbarschaft-lindenweg/posts/{post.pk}/edit/",
                 "/groups/nachbarschaft-lindenweg/members/"):
        assert outsider.get(path).status_code == 404, path
    assert member.get(f"/groups/nachbarschaft-lindenweg/posts/{post.pk}/").status_code == 200
    assert "Gemeinschaftsgarten" in member.get("/groups/nachbarschaft-lindenweg/").content.decode()


def test_outsiders_cannot_post_or_comment_in_a_closed_group(town_a, closed_group, people):
    post = PostFactory(group=closed_group, author=people["member"])
    outsider = logged_in_client(town_a, people["outsider"])
    assert outsider.post("/groups/nachbarschaft-lindenweg/posts/new/", {"text": "Hallo"}).status_code == 404
    assert outsider.post(f"/groups/nachbarschaft-lindenweg/posts/{post.pk}/comments/",
                         {"text": "Hallo"}).status_code == 404
    assert Post.objects.count() == 1 and not Comment.objects.exists()


def test_a_public_group_is_read_by_every_signed_in_resident_but_only_members_write(town_a, client_a, public_group,
                                                                                   people):
    PostFactory(group=public_group, author=people["member"], text="Wir laufen heute die große Runde.")
    outsider = logged_in_client(town_a, people["outsider"])

    page = outsider.get("/groups/lauftreff-altdorf/")
    refused = outsider.post("/groups/lauftreff-altdorf/posts/new/", {"text": "Darf ich?"})

    assert "große Runde" in page.content.decode()
    assert refused.status_code == 403
    assert Post.objects.count() == 1
    # Signed out: the group's description, no posts.
    anonymous = client_a.get("/groups/lauftreff-altdorf/").content.decode()
    assert "Wir laufen montags." in anonymous and "große Runde" not in anonymous


def test_a_member_posts_with_a_photo_and_its_description(town_a, public_group, people, stored_media):
    client = logged_in_client(town_a, people["member"])

    response = client.post("/groups/lauftreff-altdorf/posts/new/", {
        "text": "Unser Ziel heute", "image": image_upload(), "image_alt": "Läufer vor dem Aussichtsturm",
    })

    assert response.status_code == 302
    post = Post.objects.get()
    stored_media.append(post.image.path)
    assert post.image.name.startswith("groups/") and post.image_alt == "Läufer vor dem Aussichtsturm"
    page = client.get("/groups/lauftreff-altdorf/").content.decode()
    assert 'alt="Läufer vor dem Aussichtsturm"' in page


TOO_LONG = "This text is too long (%(length)d characters; at most %(max)d are allowed)."


@pytest.mark.parametrize(("text", "message"), [
    ("", shown("Please write something.")),
    ("   \n  ", shown("Please write something.")),
    ("x" * 3001, shown(TOO_LONG, length=3001, max=3000)),
])
def test_empty_or_oversized_posts_are_refused_with_a_message(town_a, public_group, people, text, message):
    response = logged_in_client(town_a, people["member"]).post("/groups/lauftreff-altdorf/posts/new/", {"text": text})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Post.objects.exists()


def test_a_photo_without_description_is_refused(town_a, public_group, people):
    response = logged_in_client(town_a, people["member"]).post(
        "/groups/lauftreff-altdorf/posts/new/", {"text": "Foto", "image": image_upload()})
    assert response.status_code == 400
    assert shown("Please describe the photo for people who can't see it.") in response.content.decode()
    assert not Post.objects.exists()


def test_a_file_that_is_not_an_image_is_refused(public_group, people):
    fake = SimpleUploadedFile("bild.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        services.post_create(group=public_group, acting_user=people["member"], text="Hier", image=fake,
                             image_alt="Bild")
    assert "image" in error.value.message_dict
    assert not Post.objects.exists()


def test_a_file_that_is_not_an_image_is_refused_on_the_page_too(town_a, public_group, people):
    fake = SimpleUploadedFile("liste.pdf", b"%PDF-1.4 nichts", content_type="application/pdf")
    response = logged_in_client(town_a, people["member"]).post(
        "/groups/lauftreff-altdorf/posts/new/", {"text": "Hier", "image": fake, "image_alt": "Liste"})
    assert response.status_code == 400
    assert not Post.objects.exists()


def test_an_oversized_photo_is_refused(public_group, people, settings):
    settings.MAX_IMAGE_UPLOAD_BYTES = 1024
    big = image_upload(size=(600, 600), fmt="PNG")
    assert big.size > 1024
    with pytest.raises(ValidationError) as error:
        services.post_create(group=public_group, acting_user=people["member"], text="Groß", image=big,
                             image_alt="Ein großes Bild")
    assert "image" in error.value.message_dict
    assert not Post.objects.exists()


def test_html_and_script_in_posts_and_comments_are_shown_as_text(town_a, public_group, people):
    client = logged_in_client(town_a, people["member"])
    client.post("/groups/lauftreff-altdorf/posts/new/", {"text": "<script>alert('x')</script><b>fett</b>"})
    post = Post.objects.get()
    client.post(f"/groups/lauftreff-altdorf/posts/{post.pk}/comments/", {"text": "<img src=x onerror=alert(1)>"})

    page = client.get(f"/groups/lauftreff-altdorf/posts/{post.pk}/").content.decode()

    assert "<script>alert" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_authors_edit_their_own_posts_and_comments_only(town_a, public_group, people):
    post = services.post_create(group=public_group, acting_user=people["member"], text="Treffen um 18 Uhr")
    comment = services.comment_create(post=post, acting_user=people["founder"], text="Ich komme")
    member = logged_in_client(town_a, people["member"])

    assert member.post(f"/groups/lauftreff-altdorf/posts/{post.pk}/edit/", {"text": "Treffen um 19 Uhr"}
                       ).status_code == 302
    assert member.post(f"/groups/lauftreff-altdorf/comments/{comment.pk}/edit/", {"text": "Gefälscht"}
                       ).status_code == 403
    founder = logged_in_client(town_a, people["founder"])
    assert founder.post(f"/groups/lauftreff-altdorf/posts/{post.pk}/edit/", {"text": "Gefälscht"}).status_code == 403
    founder.post(f"/groups/lauftreff-altdorf/comments/{comment.pk}/edit/", {"text": "Ich komme etwas später"})

    post.refresh_from_db()
    comment.refresh_from_db()
    assert post.text == "Treffen um 19 Uhr" and comment.text == "Ich komme etwas später"


def test_editing_to_an_empty_text_is_refused(public_group, people):
    post = services.post_create(group=public_group, acting_user=people["member"], text="Original")
    with pytest.raises(ValidationError):
        services.post_update(post=post, acting_user=people["member"], text="  ")
    post.refresh_from_db()
    assert post.text == "Original"


def test_group_admins_delete_any_post_members_only_their_own(town_a, public_group, people):
    mine = services.post_create(group=public_group, acting_user=people["member"], text="Von mir")
    theirs = services.post_create(group=public_group, acting_user=people["founder"], text="Vom Admin")
    member = logged_in_client(town_a, people["member"])

    assert member.post(f"/groups/lauftreff-altdorf/posts/{theirs.pk}/delete/", {"confirm": "on"}).status_code == 403
    assert member.post(f"/groups/lauftreff-altdorf/posts/{mine.pk}/delete/", {"confirm": "on"}).status_code == 302
    other = services.post_create(group=public_group, acting_user=people["member"], text="Noch einer")
    assert logged_in_client(town_a, people["founder"]).post(
        f"/groups/lauftreff-altdorf/posts/{other.pk}/delete/", {"confirm": "on"}).status_code == 302

    assert list(Post.objects.values_list("text", flat=True)) == ["Vom Admin"]


def test_group_admins_delete_comments_and_members_cannot_delete_others(town_a, public_group, people):
    post = services.post_create(group=public_group, acting_user=people["founder"], text="Frage")
    comment = services.comment_create(post=post, acting_user=people["member"], text="Antwort")
    with pytest.raises(PermissionDenied):
        services.comment_delete(comment=comment, acting_user=people["outsider"])
    logged_in_client(town_a, people["founder"]).post(f"/groups/lauftreff-altdorf/comments/{comment.pk}/delete/",
                                               {"confirm": "on"})
    assert not Comment.objects.exists()


def test_an_empty_or_oversized_comment_is_refused(public_group, people):
    post = PostFactory(group=public_group, author=people["founder"])
    for text in ("", "y" * 1001):
        with pytest.raises(ValidationError):
            services.comment_create(post=post, acting_user=people["member"], text=text)
    assert not Comment.objects.exists()


def test_hidden_content_is_invisible_to_everyone_but_its_author(town_a, public_group, people):
    post = PostFactory(group=public_group, author=people["member"], text="Verstecktes Angebot", is_hidden=True)
    visible = PostFactory(group=public_group, author=people["founder"], text="Sichtbarer Beitrag")
    CommentFactory(post=visible, author=people["member"], text="Versteckter Kommentar", is_hidden=True)

    author = logged_in_client(town_a, people["member"])
    admin = logged_in_client(town_a, people["founder"])

    assert "Verstecktes Angebot" in author.get("/groups/lauftreff-altdorf/").content.decode()
    assert "Verstecktes Angebot" not in admin.get("/groups/lauftreff-altdorf/").content.decode()
    assert admin.get(f"/groups/lauftreff-altdorf/posts/{post.pk}/").status_code == 404
    assert "Versteckter Kommentar" not in admin.get(f"/groups/lauftreff-altdorf/posts/{visible.pk}/").content.decode()
    assert "Versteckter Kommentar" in author.get(f"/groups/lauftreff-altdorf/posts/{visible.pk}/").content.decode()

