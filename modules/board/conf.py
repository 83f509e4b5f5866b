"""The town's settings for the Pinnwand (stored per town, validated by BoardSettingsForm)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.modules import module_settings

DEFAULT_EXPIRY_DAYS = 30
MAX_EXPIRY_DAYS = 365


class BoardSettingsForm(forms.Form):
    expiry_days = forms.IntegerField(
        label=_("Posts disappear after this many days"), min_value=1, max_value=MAX_EXPIRY_DAYS,
        initial=DEFAULT_EXPIRY_DAYS,
        help_text=_("A short lifetime keeps the board current; authors can post again."),
    )


def expiry_days() -> int:
    """The current town's lifetime of a post in days (the default where the town set nothing)."""
    return int(module_settings("board")["expiry_days"])
