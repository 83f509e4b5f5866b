"""The moderation module's public face: the ONLY thing other modules import.

Modules with content residents can report declare it on their spec
(``moderated_content=(ModeratedContent(kind="board.post", ...),)``), put
``requires=("moderation",)`` and call these functions::

    from modules.moderation.facade import activity_check, report_url, text_check

    @transaction.atomic
    def post_create(*, text, acting_user):
        text_check(text)                                  # the town's word filter
        activity_check(user=acting_user, action="post")   # suspension, limits for new accounts; records it
        ...create the post...

    <a href="{{ report_url }}">Melden</a>                 # report_url(kind="board.post", object_id=post.pk)

Both checks raise django.core.exceptions.ValidationError with a German message
that the caller shows on its form (core.forms.apply_service_errors).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from modules.moderation import services


def moderation_enabled() -> bool:
    """Is the moderation module on in the current town?"""
    return services.moderation_enabled()


def report_url(*, kind: str, object_id: int) -> str:
    """Path of the report form for that content, e.g. "/moderation/melden/board.post/12/"."""
    return reverse("moderation:report", kwargs={"kind": kind, "object_id": int(object_id)})


def text_check(text: str) -> None:
    """Raise ValidationError naming the blocked term when the town's word filter matches ``text``.

    Case-insensitive, whole words only (umlauts count as letters); a no-op when the module is off.
    """
    services.text_check(text)


def activity_check(*, user: Any, action: str) -> None:
    """Refuse or record one ``action`` ("post", "comment", "message", "group") of ``user``.

    Raises ValidationError while the person is suspended (the message says until when) and, for
    accounts younger than the town's "new account" period, when today's limit for that action is
    reached. Otherwise it records the action, so call it inside your transaction right before
    creating the content: a rolled-back request leaves no count behind. Suspensions apply even when
    the module is off; the limits do not. Moderators and administrators have no limits.
    """
    services.activity_check(user=user, action=action)


def user_is_suspended(user_id: int) -> bool:
    """Is this person suspended right now? (A suspension ends by itself at its end time.)"""
    return services.user_is_suspended(user_id)
