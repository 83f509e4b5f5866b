"""Writes for groups: the groups themselves, membership, join requests, posts and comments.

Every write that carries text goes through the town's moderation first
(``modules.moderation.facade``: word filter, suspensions, limits for new
accounts). Texts are stored as typed and escaped wherever shown. People are
told through ``modules.notifications.facade.notify`` after the transaction
commits; its dedupe keys make a repeated call harmless.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.images import image_reencode
from core.storage import delete_files_after_commit
from modules.groups import selectors
from modules.groups.models import (
    ALT_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    NAME_MAX_LENGTH,
    POST_MAX_LENGTH,
    REQUEST_MESSAGE_MAX_LENGTH,
    Comment,
    Group,
    JoinRequest,
    MemberRole,
    Membership,
    Post,
    RequestStatus,
    Visibility,
)
from town.models import Organisation, Ortsgemeinde
from town.people_services import user_can_publish_for
from town.services import german_slugify

PHOTO_MAX_SIDE = 1600  # pixels; enough for a photo in a feed
# Path segments of the module's own pages; a group can't take them as its slug.
RESERVED_SLUGS = frozenset({"new", "api", "feed", "manage"})


def slug_for_name(name: str) -> str:
    """The group's address, with German transliteration ("Hauptstraße" -> "hauptstrasse")."""
    return german_slugify(name)[:90].strip("-")

# --- moderation and notifications ------------------------------------------------------


def _moderate(*, user: Any, action: str | None, texts: tuple[str, ...] = ()) -> None:
    """Refuse suspended people, new-account limits and the town's word filter (ValidationError).

    `action` is recorded as one more of the person's actions of the day, so it is
    given only when something new is created (edits pass None: word filter only).
    """
    from modules.moderation.facade import activity_check, text_check

    if action is not None:
        activity_check(user=user, action=action)
    for text in texts:
        if text:
            text_check(text)


def _notify(**kwargs: Any) -> None:
    from modules.notifications.facade import notify

    notify(**kwargs)


def _excerpt(text: str, length: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


# --- who may do what -----------------------------------------------------------------------


def _require_active(user: Any) -> None:
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        raise PermissionDenied(_("Please sign in first."))


def _require_admin(user: Any, group: Group) -> selectors.GroupAccess:
    _require_active(user)
    access = selectors.group_access(user=user, group=group)
    if not access.is_admin:
        raise PermissionDenied(_("Only the admins of this group can do this."))
    return access


def _lock_group(group: Group) -> None:
    # Serialises membership changes in one group, so two admins stepping down at
    # the same moment can't leave it without an admin.
    Group.objects.select_for_update().filter(pk=group.pk).first()


def _admins_left_without(group: Group, user_id: int) -> int:
    return selectors.admin_user_ids_query(group).exclude(pk=user_id).count()


def _protect_last_admin(membership: Membership) -> None:
    if membership.is_admin and _admins_left_without(membership.group, membership.user_id) == 0:
        raise ValidationError(
            _("A group needs at least one admin. Make another member admin first."), code="last_admin"
        )


# --- validation -----------------------------------------------------------------------------


def _plain_text(value: str | None) -> str:
    # Keep line breaks, drop other control characters (they only ever come from pasting or attacks).
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or ch.isprintable()).strip()


def _too_long(errors: dict[str, list[str]], field: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors.setdefault(field, []).append(
            _("This text is too long (%(length)d characters; at most %(max)d are allowed).")
            % {"length": len(value), "max": limit}
        )


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _group_fields(
    *, group: Group | None, name: str, description: str, visibility: str, acting_user: Any,
    organisation: Organisation | None, ortsgemeinde: Ortsgemeinde | None,
) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    name = " ".join(_plain_text(name).split())
    description = _plain_text(description)
    if not name:
        errors.setdefault("name", []).append(_("Please give the group a name."))
    _too_long(errors, "name", name, NAME_MAX_LENGTH)
    _too_long(errors, "description", description, DESCRIPTION_MAX_LENGTH)
    if visibility not in Visibility.values:
        errors.setdefault("visibility", []).append(_("Choose whether the group is public or closed."))
    others = Group.objects.exclude(pk=group.pk) if group is not None else Group.objects.all()
    slug = group.slug if group is not None else slug_for_name(name)
    if name and "name" not in errors:
        if others.filter(name__iexact=name).exists():
            errors.setdefault("name", []).append(_("A group with this name already exists."))
        elif group is None and (not slug or slug in RESERVED_SLUGS or others.filter(slug=slug).exists()):
            errors.setdefault("name", []).append(
                _("A group with a very similar name already exists. Please choose another name.")
            )
    current_org = group.organisation_id if group is not None else None
    if organisation is not None and organisation.pk != current_org and not (
        organisation.is_approved and user_can_publish_for(acting_user, organisation)
    ):
        errors.setdefault("organisation", []).append(
            _("You can only name an organisation you may speak for.")
        )
    _raise(errors)
    return {"name": name, "slug": slug, "description": description, "visibility": visibility,
            "organisation": organisation, "ortsgemeinde": ortsgemeinde}


# --- groups ---------------------------------------------------------------------------------------


@transaction.atomic
def group_create(
    *, acting_user: Any, name: str, description: str = "", visibility: str = Visibility.PUBLIC,
    organisation: Organisation | None = None, ortsgemeinde: Ortsgemeinde | None = None,
) -> Group:
    """Any resident can start a group; they become its first admin."""
    _require_active(acting_user)
    fields = _group_fields(group=None, name=name, description=description, visibility=visibility,
                           acting_user=acting_user, organisation=organisation, ortsgemeinde=ortsgemeinde)
    _moderate(user=acting_user, action="group", texts=(fields["name"], fields["description"]))
    try:
        with transaction.atomic():
            group = Group.objects.create(created_by=acting_user, **fields)
    except IntegrityError:
        # Someone took the name in the moment since we checked.
        raise ValidationError({"name": [_("A group with this name already exists.")]}) from None
    Membership.objects.create(group=group, user=acting_user, role=MemberRole.ADMIN)
    return group


@transaction.atomic
def group_update(
    *, group: Group, acting_user: Any, name: str, description: str, visibility: str,
    organisation: Organisation | None, ortsgemeinde: Ortsgemeinde | None,
) -> Group:
    """Name, description, visibility, organisation and Ortsgemeinde; the address (slug) stays."""
    _require_admin(acting_user, group)
    fields = _group_fields(group=group, name=name, description=description, visibility=visibility,
                           acting_user=acting_user, organisation=organisation, ortsgemeinde=ortsgemeinde)
    _moderate(user=acting_user, action=None, texts=(fields["name"], fields["description"]))
    for key, value in fields.items():
        setattr(group, key, value)
    group.save()
    return group


@transaction.atomic
def group_delete(*, group: Group, acting_user: Any) -> None:
    """Gone with its posts, comments, members and requests (its admins or the town's moderators)."""
    _require_admin(acting_user, group)
    storage = Post._meta.get_field("image").storage
    delete_files_after_commit(storage, list(group.posts.exclude(image="").values_list("image", flat=True)))
    group.delete()


# --- membership --------------------------------------------------------------------------------


@transaction.atomic
def group_join(*, group: Group, acting_user: Any) -> Membership:
    """Join a public group at once (joining twice changes nothing)."""
    _require_active(acting_user)
    if group.is_closed:
        raise ValidationError(_("This group is closed. Ask the group admins to let you in."), code="closed")
    membership, _created = Membership.objects.get_or_create(group=group, user=acting_user)
    return membership


@transaction.atomic
def join_request_create(*, group: Group, acting_user: Any, message: str = "") -> JoinRequest:
    """Ask to join a closed group; its admins are told."""
    _require_active(acting_user)
    if not group.is_closed:
        raise ValidationError(_("This group is public. You can join it right away."), code="public")
    if Membership.objects.filter(group=group, user=acting_user).exists():
        raise ValidationError(_("You are already a member of this group."), code="member")
    message = _plain_text(message)
    errors: dict[str, list[str]] = {}
    _too_long(errors, "message", message, REQUEST_MESSAGE_MAX_LENGTH)
    _raise(errors)
    if message:
        _moderate(user=acting_user, action=None, texts=(message,))
    _lock_group(group)
    if JoinRequest.objects.filter(group=group, user=acting_user, status=RequestStatus.PENDING).exists():
        raise ValidationError(_("You have already asked to join. The group admins will decide soon."),
                              code="pending")
    join_request = JoinRequest.objects.create(group=group, user=acting_user, message=message)
    _notify(
        user_ids=list(selectors.admin_user_ids_query(group)),
        event="groups.join_request",
        title=_("%(name)s asks to join %(group)s") % {"name": selectors.display_name(acting_user),
                                                      "group": group.name},
        body=_excerpt(message),
        url=_path("groups:request-list", slug=group.slug),
        dedupe_key=f"groups.join_request:{join_request.pk}",
    )
    return join_request


@transaction.atomic
def join_request_decide(*, join_request: JoinRequest, acting_user: Any, approve: bool) -> JoinRequest:
    """Approve (the person becomes a member) or decline; the person who asked is told either way."""
    group = join_request.group
    _require_admin(acting_user, group)
    _lock_group(group)
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.status != RequestStatus.PENDING:
        raise ValidationError(_("This request has already been decided."), code="decided")
    join_request.status = RequestStatus.APPROVED if approve else RequestStatus.DECLINED
    join_request.decided_by = acting_user
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_by", "decided_at"])
    if approve:
        Membership.objects.get_or_create(group=group, user_id=join_request.user_id)
        title = _("Welcome to %(group)s: your request was approved.") % {"group": group.name}
    else:
        title = _("Your request to join %(group)s was declined.") % {"group": group.name}
    _notify(
        user_ids=[join_request.user_id], event="groups.join_decision", title=title, body="",
        url=group.get_absolute_url(), dedupe_key=f"groups.join_decision:{join_request.pk}",
    )
    return join_request


@transaction.atomic
def membership_leave(*, group: Group, acting_user: Any) -> None:
    _require_active(acting_user)
    _lock_group(group)
    membership = Membership.objects.filter(group=group, user=acting_user).select_related("group").first()
    if membership is None:
        raise ValidationError(_("You are not a member of this group."), code="not_member")
    _protect_last_admin(membership)
    membership.delete()


@transaction.atomic
def membership_remove(*, membership: Membership, acting_user: Any) -> None:
    """A group admin removes someone from the group."""
    group = membership.group
    _require_admin(acting_user, group)
    _lock_group(group)
    _protect_last_admin(membership)
    membership.delete()


@transaction.atomic
def membership_set_role(*, membership: Membership, role: str, acting_user: Any) -> Membership:
    """Make a member admin, or an admin a plain member again (never the last admin)."""
    group = membership.group
    _require_admin(acting_user, group)
    if role not in MemberRole.values:
        raise ValidationError({"role": [_("Choose member or admin.")]})
    _lock_group(group)
    membership.refresh_from_db()
    if role == MemberRole.MEMBER:
        _protect_last_admin(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_set_notify(*, group: Group, acting_user: Any, notify: bool) -> Membership:
    _require_active(acting_user)
    membership = Membership.objects.filter(group=group, user=acting_user).first()
    if membership is None:
        raise ValidationError(_("Join the group to get notifications about its posts."), code="not_member")
    membership.notify_posts = notify
    membership.save(update_fields=["notify_posts"])
    return membership


# --- posts and comments ---------------------------------------------------------------------


def _require_reader(user: Any, group: Group) -> selectors.GroupAccess:
    access = selectors.group_access(user=user, group=group)
    if not access.can_read:
        # A closed group's content doesn't exist for outsiders.
        from django.http import Http404

        raise Http404
    return access


def _check_text(errors: dict[str, list[str]], field: str, text: str, limit: int, empty_message: str) -> None:
    if not text:
        errors.setdefault(field, []).append(empty_message)
    _too_long(errors, field, text, limit)


def _photo(image: Any, alt: str, errors: dict[str, list[str]]) -> Any:
    if image is None:
        return None
    if not alt:
        errors.setdefault("image_alt", []).append(
            _("Please describe the photo for people who can't see it.")
        )
    _too_long(errors, "image_alt", alt, ALT_MAX_LENGTH)
    try:
        return image_reencode(image, max_side=PHOTO_MAX_SIDE)
    except ValidationError as error:
        errors.setdefault("image", []).extend(error.messages)
        return None


@transaction.atomic
def post_create(*, group: Group, acting_user: Any, text: str, image: Any = None, image_alt: str = "") -> Post:
    """A member writes in the group's feed; members who want it are notified."""
    _require_active(acting_user)
    access = _require_reader(acting_user, group)
    if not access.can_post:
        raise PermissionDenied(_("Join the group to write in it."))
    text, image_alt = _plain_text(text), _plain_text(image_alt)
    errors: dict[str, list[str]] = {}
    _check_text(errors, "text", text, POST_MAX_LENGTH, _("Please write something."))
    clean_image = _photo(image, image_alt, errors)
    _raise(errors)
    _moderate(user=acting_user, action="post", texts=(text, image_alt))
    post = Post.objects.create(group=group, author=acting_user, text=text,
                               image=clean_image or "", image_alt=image_alt if clean_image else "")
    post_notify_members(post=post)
    return post


def post_notify_members(*, post: Post) -> None:
    """Tell the members who opted in (not the author) about a new post: one query, sent once per post."""
    if post.is_hidden:
        return
    group = post.group
    recipients = list(
        Membership.objects.filter(group=group, notify_posts=True, user__is_active=True)
        .exclude(user_id=post.author_id)
        .values_list("user_id", flat=True)
    )
    _notify(
        user_ids=recipients,
        event="groups.post",
        title=_("New post in %(group)s") % {"group": group.name},
        body=_excerpt(post.text),
        url=post.get_absolute_url(),
        dedupe_key=f"groups.post:{post.pk}",
        topic=f"groups.{group.pk}",
    )


def user_can_edit(user: Any, content: Post | Comment) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and content.author_id == user.pk)


@transaction.atomic
def post_update(*, post: Post, acting_user: Any, text: str, image_alt: str | None = None) -> Post:
    """Only the author edits a post (the photo's description too)."""
    _require_active(acting_user)
    if not user_can_edit(acting_user, post):
        raise PermissionDenied(_("You can only change what you wrote yourself."))
    text = _plain_text(text)
    alt = _plain_text(image_alt) if image_alt is not None else post.image_alt
    errors: dict[str, list[str]] = {}
    _check_text(errors, "text", text, POST_MAX_LENGTH, _("Please write something."))
    if post.image:
        if not alt:
            errors.setdefault("image_alt", []).append(_("Please describe the photo for people who can't see it."))
        _too_long(errors, "image_alt", alt, ALT_MAX_LENGTH)
    _raise(errors)
    _moderate(user=acting_user, action=None, texts=(text, alt if post.image else ""))
    post.text = text
    if post.image:
        post.image_alt = alt
    post.save(update_fields=["text", "image_alt", "updated_at"])
    return post


@transaction.atomic
def post_delete(*, post: Post, acting_user: Any) -> None:
    """The author, or an admin of the group (also the town's moderators)."""
    _require_active(acting_user)
    if not (user_can_edit(acting_user, post) or selectors.group_access(user=acting_user, group=post.group).is_admin):
        raise PermissionDenied(_("You can only delete what you wrote yourself."))
    delete_files_after_commit(post.image.storage, [post.image.name])
    post.delete()


@transaction.atomic
def comment_create(*, post: Post, acting_user: Any, text: str) -> Comment:
    """Members comment on posts; the post's author is told."""
    _require_active(acting_user)
    access = _require_reader(acting_user, post.group)
    if not access.can_post:
        raise PermissionDenied(_("Join the group to comment."))
    text = _plain_text(text)
    errors: dict[str, list[str]] = {}
    _check_text(errors, "text", text, COMMENT_MAX_LENGTH, _("Please write a comment."))
    _raise(errors)
    _moderate(user=acting_user, action="comment", texts=(text,))
    comment = Comment.objects.create(post=post, author=acting_user, text=text)
    if post.author_id != acting_user.pk:
        _notify(
            user_ids=[post.author_id],
            event="groups.comment",
            title=_("%(name)s commented on your post in %(group)s")
            % {"name": selectors.display_name(acting_user), "group": post.group.name},
            body=_excerpt(text),
            url=post.get_absolute_url(),
            dedupe_key=f"groups.comment:{comment.pk}",
            topic="board.replies",
        )
    return comment


@transaction.atomic
def comment_update(*, comment: Comment, acting_user: Any, text: str) -> Comment:
    _require_active(acting_user)
    if not user_can_edit(acting_user, comment):
        raise PermissionDenied(_("You can only change what you wrote yourself."))
    text = _plain_text(text)
    errors: dict[str, list[str]] = {}
    _check_text(errors, "text", text, COMMENT_MAX_LENGTH, _("Please write a comment."))
    _raise(errors)
    _moderate(user=acting_user, action=None, texts=(text,))
    comment.text = text
    comment.save(update_fields=["text", "updated_at"])
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, acting_user: Any) -> None:
    _require_active(acting_user)
    group = comment.post.group
    if not (user_can_edit(acting_user, comment) or selectors.group_access(user=acting_user, group=group).is_admin):
        raise PermissionDenied(_("You can only delete what you wrote yourself."))
    comment.delete()


# --- for the town's moderators (called by the moderation module through ModeratedContent) -----------


@transaction.atomic
def content_set_hidden(*, model: type[Post] | type[Comment], pk: int, hidden: bool) -> None:
    model.objects.filter(pk=pk).update(is_hidden=hidden)


@transaction.atomic
def content_delete(*, model: type[Post] | type[Comment], pk: int) -> None:
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        return
    if isinstance(obj, Post):
        delete_files_after_commit(obj.image.storage, [obj.image.name])
    obj.delete()


def _path(name: str, **kwargs: Any) -> str:
    from django.urls import reverse

    return reverse(name, kwargs=kwargs)


# What the moderation module calls for reported group content (ModeratedContent in apps.py).
def moderation_post_set_hidden(pk: int, hidden: bool) -> None:
    content_set_hidden(model=Post, pk=pk, hidden=hidden)


def moderation_post_delete(pk: int) -> None:
    content_delete(model=Post, pk=pk)


def moderation_comment_set_hidden(pk: int, hidden: bool) -> None:
    content_set_hidden(model=Comment, pk=pk, hidden=hidden)


def moderation_comment_delete(pk: int) -> None:
    content_delete(model=Comment, pk=pk)
