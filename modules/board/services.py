"""Writes for the Pinnwand: posts, photos, comments, reactions, topics, expiry.

Every write by a resident goes through the moderation module first (word
filter, suspensions, limits for new accounts), then is stored, then tells
people after the transaction commits. Texts are stored as the plain text
people typed and escaped wherever they are shown; nothing a resident writes
is ever marked safe.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from core.images import image_reencode
from core.names import display_name as display_name
from core.ratelimit import write_limit_check
from core.storage import delete_files_after_commit
from core.taxonomy.services import terms_seed
from core.taxonomy.spec import TOPIC_TEXTS, Taxonomy, TaxonomyTexts
from core.tenancy import current_town
from modules.board.conf import expiry_days
from modules.board.models import (
    ALT_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    MAX_PHOTOS,
    TEXT_MAX_LENGTH,
    Comment,
    Post,
    PostPhoto,
    Reaction,
    ReactionKind,
    Topic,
)
from modules.board.selectors import wrote_here
from town.residency_services import residency_require
from town.selectors import user_ortsgemeinde_id

PHOTO_MAX_SIDE = 1600  # pixels; plenty for a photo on a notice board
NOTIFY_EXCERPT = 200

TARGET_ORTSGEMEINDE = "ortsgemeinde"
TARGET_TOWN = "town"
TARGETS = (TARGET_ORTSGEMEINDE, TARGET_TOWN)

# --- who may do what -------------------------------------------------------------


def _is_active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _require_active(user: Any) -> None:
    if not _is_active(user):
        raise PermissionDenied(_("Please sign in first."))


def user_can_moderate(user: Any) -> bool:
    return _is_active(user) and bool(user.is_moderator)


def user_can_edit_post(user: Any, post: Post) -> bool:
    # Someone who never wrote here owns nothing (and a reader's shared page doesn't read who they are).
    return _is_active(user) and wrote_here(user) and post.author_id == user.pk


def user_can_delete_comment(user: Any, comment: Comment) -> bool:
    return _is_active(user) and wrote_here(user) and comment.author_id == user.pk


# --- the moderation module ------------------------------------------------------------
# Imported when used: board requires moderation, and a town can only switch board on after it.


def _refuse_if_suspended(user: Any) -> None:
    from modules.moderation.facade import user_is_suspended

    if user_is_suspended(user.pk):
        raise PermissionDenied(_("Your account is suspended; you can't write on the board at the moment."))


def _moderation_check(*, user: Any, action: str, text: str, field: str) -> None:
    """The moderators' rules right before storing: the word filter, then activity (suspension, new-account limits),
    then the hourly limit everyone has (core.ratelimit).

    In this order because activity_check counts the action: a text the filter refuses costs nothing.
    """
    from modules.moderation.facade import activity_check

    _text_check(text, field)
    try:
        activity_check(user=user, action=action)
        # Last: it counts in the cache, which a refusal after it would not roll back.
        write_limit_check(f"board.{action}", user, what=_("posts") if action == "post" else _("comments"))
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None


def _text_check(text: str, field: str) -> None:
    from modules.moderation.facade import text_check

    try:
        text_check(text)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None


# --- validation -------------------------------------------------------------------


def _plain_text(value: str | None) -> str:
    # Keep line breaks, drop other control characters (they only ever come from pasting or attacks).
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or ch.isprintable()).strip()


def _validate_post_text(text: str, errors: dict[str, list[str]]) -> None:
    if not text:
        errors.setdefault("text", []).append(_("Please write something."))
    elif len(text) > TEXT_MAX_LENGTH:
        errors.setdefault("text", []).append(
            _("The text is too long (%(length)d characters; at most %(max)d).")
            % {"length": len(text), "max": TEXT_MAX_LENGTH}
        )


def _ortsgemeinde_for(user: Any, target: str, errors: dict[str, list[str]]) -> int | None:
    if target not in TARGETS:
        errors.setdefault("target", []).append(_("Choose who should see the post."))
        return None
    if target == TARGET_TOWN:
        return None
    home_id = user_ortsgemeinde_id(user)
    if home_id is None:
        errors.setdefault("target", []).append(
            _("You haven't chosen your Ortsgemeinde yet. Choose it in your profile, or post for the whole town.")
        )
    return home_id


def _prepare_photos(
    photos: Sequence[tuple[Any, str]], existing: int, errors: dict[str, list[str]]
) -> list[tuple[Any, str]]:
    """Re-encode each upload (EXIF and GPS dropped) and check its description, before anything is stored.

    `photos` holds (upload or None, alt text) per form slot; errors name the
    slot ("photo_2", "alt_2") so the form shows them at the right field.
    """
    given = [(number, upload, _plain_text(alt)) for number, (upload, alt) in enumerate(photos, 1) if upload]
    if existing + len(given) > MAX_PHOTOS:
        errors.setdefault("photo_1", []).append(_("At most %(max)d photos per post.") % {"max": MAX_PHOTOS})
        return []
    prepared = []
    for number, upload, alt in given:
        if not alt:
            errors.setdefault(f"alt_{number}", []).append(
                _("Please describe what the photo shows, for people who can't see it.")
            )
        elif len(alt) > ALT_MAX_LENGTH:
            errors.setdefault(f"alt_{number}", []).append(
                _("The description is too long (at most %(max)d characters).") % {"max": ALT_MAX_LENGTH}
            )
        try:
            clean = image_reencode(upload, max_side=PHOTO_MAX_SIDE)
        except ValidationError as error:
            errors.setdefault(f"photo_{number}", []).extend(error.messages)
            continue
        prepared.append((clean, alt))
    return prepared


def _store_photos(post: Post, prepared: Sequence[tuple[Any, str]]) -> None:
    start = post.photos.count()
    for offset, (content, alt) in enumerate(prepared, 1):
        PostPhoto.objects.create(post=post, image=content, alt=alt, position=start + offset)


# --- telling people ---------------------------------------------------------------


def excerpt(text: str, length: int = NOTIFY_EXCERPT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def headline(text: str, length: int = 90) -> tuple[str, str]:
    """A post as a title (its first line, shortened at a word) and the rest of its text."""
    first, _sep, rest = text.strip().partition("\n")
    first, rest = first.strip(), rest.strip()
    if len(first) <= length:
        return first, rest
    cut = first[: length - 1].rsplit(" ", 1)[0] or first[: length - 1]
    remainder = first[len(cut):].strip()
    return cut + "…", ("…" + remainder + ("\n" + rest if rest else "")).strip()


def post_recipient_ids(post: Post) -> list[int]:
    """Who hears about a new post, in one query: its village's residents, or everyone for a town-wide post."""
    if post.ortsgemeinde_id is not None:
        from town.models import ResidentProfile

        ids = ResidentProfile.objects.filter(ortsgemeinde_id=post.ortsgemeinde_id, user__is_active=True).exclude(
            user_id=post.author_id
        ).values_list("user_id", flat=True)
    else:
        from accounts.models import User

        ids = User.objects.filter(is_active=True).exclude(pk=post.author_id).values_list("pk", flat=True)
    return list(ids)


def _announce_post(post: Post) -> None:
    from core.signals import content_published
    from modules.notifications.facade import notifications_enabled, notify

    if notifications_enabled():
        notify(
            user_ids=post_recipient_ids(post),
            event="board.post",
            title=_("New on the Pinnwand: %(topic)s") % {"topic": post.topic.name},
            body=excerpt(post.text),
            url=post.get_absolute_url(),
            dedupe_key=f"board.post:{post.pk}",
            topic="board.posts",
        )
    tenant = current_town()
    post_id = post.pk
    ortsgemeinde_ids = [post.ortsgemeinde_id] if post.ortsgemeinde_id else []
    # Inside the transaction: the notifications module's outbox row commits with the post.
    content_published.send(sender=tenant, kind="board.post", object_id=post_id, ortsgemeinde_ids=ortsgemeinde_ids)


def _announce_comment(comment: Comment, post: Post, author: Any) -> None:
    from modules.notifications.facade import notify

    if post.author_id == author.pk:
        return
    notify(
        user_ids=[post.author_id],
        event="board.comment",
        title=_("%(name)s commented on your post") % {"name": display_name(author)},
        body=excerpt(comment.text),
        url=f"{post.get_absolute_url()}#comment-{comment.pk}",
        dedupe_key=f"board.comment:{comment.pk}",
        topic="board.replies",
    )


# --- posts --------------------------------------------------------------------------


def default_expiry(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) + timedelta(days=expiry_days())


@transaction.atomic
def post_create(
    *,
    acting_user: Any,
    topic: Topic | None,
    text: str,
    target: str = TARGET_ORTSGEMEINDE,
    photos: Sequence[tuple[Any, str]] = (),
    entered_by: Any = None,
) -> Post:
    """Publish a post right away, for the author's Ortsgemeinde or the whole town, until the town's expiry.

    `entered_by`: the Digitallotse who types it in for `acting_user` (the post says so).
    """
    _require_active(acting_user)
    residency_require(acting_user, "posting")
    text = _plain_text(text)
    errors: dict[str, list[str]] = {}
    _validate_post_text(text, errors)
    if topic is None:
        errors.setdefault("topic", []).append(_("Choose a topic."))
    ortsgemeinde_id = _ortsgemeinde_for(acting_user, target, errors)
    prepared = _prepare_photos(photos, 0, errors)
    if errors:
        raise ValidationError(errors)
    _moderation_check(user=acting_user, action="post", text=text, field="text")
    post = Post.objects.create(
        author=acting_user, topic=topic, text=text, ortsgemeinde_id=ortsgemeinde_id, expires_at=default_expiry(),
        entered_by=entered_by,
    )
    _store_photos(post, prepared)
    _announce_post(post)
    return post


@transaction.atomic
def post_update(
    *,
    post: Post,
    acting_user: Any,
    text: str,
    topic: Topic | None,
    target: str,
    photos: Sequence[tuple[Any, str]] = (),
    remove_photo_ids: Iterable[int] = (),
) -> Post:
    """Change one's own post. Its lifetime stays; the moderators' word filter applies again."""
    if not user_can_edit_post(acting_user, post):
        raise PermissionDenied(_("You may only change your own posts."))
    _refuse_if_suspended(acting_user)
    text = _plain_text(text)
    errors: dict[str, list[str]] = {}
    _validate_post_text(text, errors)
    if topic is None:
        errors.setdefault("topic", []).append(_("Choose a topic."))
    ortsgemeinde_id = _ortsgemeinde_for(acting_user, target, errors)
    remove_ids = {int(pk) for pk in remove_photo_ids}
    kept = post.photos.exclude(pk__in=remove_ids).count()
    prepared = _prepare_photos(photos, kept, errors)
    if errors:
        raise ValidationError(errors)
    _text_check(text, "text")
    post.text, post.topic, post.ortsgemeinde_id = text, topic, ortsgemeinde_id
    post.save(update_fields=["text", "topic", "ortsgemeinde", "updated_at"])
    if remove_ids:
        removed = list(post.photos.filter(pk__in=remove_ids))
        storage = PostPhoto._meta.get_field("image").storage
        delete_files_after_commit(storage, [photo.image.name for photo in removed])
        post.photos.filter(pk__in=[photo.pk for photo in removed]).delete()
    _store_photos(post, prepared)
    return post


@transaction.atomic
def post_delete(*, post: Post, acting_user: Any) -> None:
    if not user_can_edit_post(acting_user, post):
        raise PermissionDenied(_("You may only delete your own posts."))
    _post_remove(post)


def _post_remove(post: Post) -> None:
    storage = PostPhoto._meta.get_field("image").storage
    delete_files_after_commit(storage, [photo.image.name for photo in post.photos.all()])
    post.delete()


@transaction.atomic
def posts_expire(*, now: datetime | None = None) -> list[int]:
    """Take posts whose time is up off the board. A second run finds nothing new (idempotent)."""
    now = now or timezone.now()
    due = list(
        Post.objects.select_for_update(skip_locked=True)
        .filter(is_expired=False, expires_at__lte=now)
        .values_list("pk", flat=True)
    )
    if due:
        Post.objects.filter(pk__in=due).update(is_expired=True)
    return due


# --- comments and reactions ----------------------------------------------------------


def _require_open(post: Post) -> None:
    if post.is_hidden or post.is_expired or post.expires_at <= timezone.now():
        raise ValidationError({"text": _("This post is no longer on the board.")})


@transaction.atomic
def comment_create(*, post: Post, acting_user: Any, text: str) -> Comment:
    _require_active(acting_user)
    residency_require(acting_user, "posting")
    _require_open(post)
    text = _plain_text(text)
    if not text:
        raise ValidationError({"text": _("Please write a comment.")})
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {"text": _("The comment is too long (%(length)d characters; at most %(max)d).")
             % {"length": len(text), "max": COMMENT_MAX_LENGTH}}
        )
    _moderation_check(user=acting_user, action="comment", text=text, field="text")
    comment = Comment.objects.create(post=post, author=acting_user, text=text)
    _announce_comment(comment, post, acting_user)
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, acting_user: Any) -> None:
    if not user_can_delete_comment(acting_user, comment):
        raise PermissionDenied(_("You may only delete your own comments."))
    comment.delete()


@transaction.atomic
def reaction_toggle(*, post: Post, acting_user: Any, kind: str) -> bool:
    """Add the reaction, or take it back if it was there. True: the reaction is now set."""
    _require_active(acting_user)
    if kind not in ReactionKind.values:
        raise ValidationError({"kind": _("Unknown reaction.")})
    _require_open(post)
    _refuse_if_suspended(acting_user)
    deleted, _rows = Reaction.objects.filter(post=post, user=acting_user, kind=kind).delete()
    if deleted:
        return False
    # A double click sends two requests: the unique constraint keeps one (ISOLATION T20).
    _reaction, created = Reaction.objects.get_or_create(post=post, user=acting_user, kind=kind)
    return created


# --- what the moderation module calls --------------------------------------------------


def post_set_hidden(pk: int, hidden: bool) -> None:
    Post.objects.filter(pk=pk).update(is_hidden=hidden)


def post_delete_moderated(pk: int) -> None:
    with transaction.atomic():
        post = Post.objects.filter(pk=pk).first()
        if post is not None:
            _post_remove(post)


def comment_set_hidden(pk: int, hidden: bool) -> None:
    Comment.objects.filter(pk=pk).update(is_hidden=hidden)


def comment_delete_moderated(pk: int) -> None:
    Comment.objects.filter(pk=pk).delete()


# --- topics (core.taxonomy) ------------------------------------------------------------

TOPICS = Taxonomy(
    model=Topic, app_name="board", noun="topic", path="manage/topics/", role="moderator",
    texts=TaxonomyTexts(
        title=gettext_lazy("Board topics"),
        intro=gettext_lazy(
            "Residents choose one of these topics for each post on the Pinnwand. "
            "A topic that posts still use can be renamed, but not deleted."
        ),
        **TOPIC_TEXTS,
        not_allowed=gettext_lazy("Only moderators and town administrators can change the topics."),
        in_use=ngettext_lazy(
            "“%(name)s” can't be deleted: %(count)d post (including expired and hidden ones) uses it. "
            "Rename the topic instead, or delete it once the post is gone.",
            "“%(name)s” can't be deleted: %(count)d posts (including expired and hidden ones) use it. "
            "Rename the topic instead, or delete it once the posts are gone.",
            "count",
        ),
        usage=ngettext_lazy("%(count)d post", "%(count)d posts", "count"),
    ),
    # Posts are never silently moved or deleted with their topic.
    used_by="posts", delete_rule="refuse", fallback_slug="thema",
    defaults=("Plausch", "Hilfe", "Fundsachen", "Hinweise"),
)


def topics_seed() -> None:
    """The usual topics, the first time the module is switched on."""
    terms_seed(TOPICS)
