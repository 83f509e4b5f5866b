"""Pinnwand (core.personal_data).

- board.Post (``author``) with its PostPhotos
  export: text, topic, place, dates, photos
  erase: deleted with its photos (files after commit), and so the comments and reactions on it
- board.Comment on someone else's post
  export: text, date
  erase: **kept, anonymised**: the thread stays readable; the author is the emptied account
- board.Reaction
  export: kind, date
  erase: deleted
- board.Post (``entered_by``): posts a Digitallotse typed in for someone else are that person's;
  the Lotse's erasure only removes the "typed in by" link
"""

from __future__ import annotations

from typing import Any

from core.storage import delete_files_after_commit
from modules.board.models import Comment, Post, PostPhoto, Reaction


def export(user: Any) -> dict[str, Any]:
    posts = list(Post.objects.filter(author=user).select_related("topic", "ortsgemeinde")
                 .prefetch_related("photos").order_by("pk"))
    return {
        "posts": [
            {"id": post.pk, "text": post.text, "topic": post.topic.name,
             "ortsgemeinde": post.ortsgemeinde.name if post.ortsgemeinde else None,
             "created_at": post.created_at, "expires_at": post.expires_at, "is_hidden": post.is_hidden,
             "photos": [{"file": photo.image.name, "alt": photo.alt} for photo in post.photos.all()]}
            for post in posts
        ],
        "comments": list(Comment.objects.filter(author=user).order_by("pk")
                         .values("post_id", "text", "created_at", "is_hidden")),
        "reactions": list(Reaction.objects.filter(user=user).order_by("pk").values("post_id", "kind", "created_at")),
        "files": [photo.image.name for post in posts for photo in post.photos.all()],
    }


def erase(user: Any) -> None:
    Post.objects.filter(entered_by=user).update(entered_by=None)
    photos = PostPhoto.objects.filter(post__author=user)
    delete_files_after_commit(PostPhoto._meta.get_field("image").storage, list(photos.values_list("image", flat=True)))
    Post.objects.filter(author=user).delete()
    Reaction.objects.filter(user=user).delete()
