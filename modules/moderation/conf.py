"""The town's limits for new accounts (stored per town as the module's settings, validated by the form)."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from core.modules import module_settings

DEFAULTS = {
    "new_account_days": 14,
    "posts_per_day": 5,
    "comments_per_day": 20,
    "messages_per_day": 20,
    "groups_per_day": 1,
}


class ModerationSettingsForm(forms.Form):
    """Spam waves come from fresh accounts: they may do only this much per day until they are older."""

    new_account_days = forms.IntegerField(
        label=_("An account counts as new for this many days"), min_value=0, max_value=365, initial=14,
    )
    posts_per_day = forms.IntegerField(label=_("Posts a new account may write per day"),
                                       min_value=1, max_value=500, initial=5)
    comments_per_day = forms.IntegerField(label=_("Comments a new account may write per day"),
                                          min_value=1, max_value=500, initial=20)
    messages_per_day = forms.IntegerField(label=_("Messages a new account may send per day"),
                                          min_value=1, max_value=500, initial=20)
    groups_per_day = forms.IntegerField(label=_("Groups a new account may found per day"),
                                        min_value=1, max_value=50, initial=1)


@dataclass(frozen=True)
class Limits:
    new_account_days: int
    posts_per_day: int
    comments_per_day: int
    messages_per_day: int
    groups_per_day: int

    def per_day(self, action: str) -> int:
        return int(getattr(self, f"{action}s_per_day"))


def limits_get() -> Limits:
    """The current town's limits (defaults where the town set nothing)."""
    values = module_settings("moderation")
    return Limits(**{key: int(values[key]) for key in DEFAULTS})
