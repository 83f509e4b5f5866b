"""Which content can be reported, and what moderators may do with each kind.

The one seam: every lookup goes through :func:`kind_get` / :func:`kinds_all`, which ask
``modules.moderation.capabilities.moderated_content_kinds()`` at call time. A test registers a fake kind with
``monkeypatch.setattr("modules.moderation.capabilities.moderated_content_kinds", lambda: {...})``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import modules.moderation.capabilities as capabilities
from modules.moderation.capabilities import ContentSummary, ModeratedContent

PROFILE_KIND = "moderation.profile"
# Action values (models.Action); plain strings so apps.py can import this module before the models load.
CONTENT_ACTIONS = ("hide", "delete", "warn", "suspend")
# A profile can't be hidden or deleted by a moderator (that would be closing the account): warn or suspend.
PROFILE_ACTIONS = ("warn", "suspend")


def kinds_all() -> dict[str, ModeratedContent]:
    return capabilities.moderated_content_kinds()


def kind_get(kind: str) -> ModeratedContent | None:
    return kinds_all().get(kind)


def actions_for(kind: str) -> tuple[str, ...]:
    """The first-round actions a moderator may take on this kind (dismiss is always possible)."""
    return PROFILE_ACTIONS if kind == PROFILE_KIND else CONTENT_ACTIONS


def _profile_get(user_id: int) -> ContentSummary | None:
    from accounts.models import User

    user = User.objects.filter(pk=user_id, is_active=True).only("pk", "name", "email").first()
    if user is None:
        return None
    return ContentSummary(author_id=user.pk, excerpt=user.name or _("(no name)"), url="", is_hidden=False)


def _profile_set_hidden(user_id: int, hidden: bool) -> None:
    raise ValidationError(_("A profile can't be hidden. Warn or suspend the person instead."), code="profile")


def _profile_delete(user_id: int) -> None:
    raise ValidationError(_("A profile can't be deleted by moderators. Warn or suspend the person instead."),
                          code="profile")


PROFILE = ModeratedContent(
    kind=PROFILE_KIND,
    label=gettext_lazy("Resident's profile"),
    get=_profile_get,
    set_hidden=_profile_set_hidden,
    delete=_profile_delete,
)
