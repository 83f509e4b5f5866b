"""The town's settings for events (stored per town, validated by EventsSettingsForm)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.modules import module_settings


class EventsSettingsForm(forms.Form):
    suggestions = forms.BooleanField(
        label=_("Residents may suggest events"), required=False, initial=True,
        help_text=_("Suggestions appear only after an editor or the town has accepted them."),
    )


def suggestions_allowed() -> bool:
    """May residents of the current town suggest events?"""
    return bool(module_settings("events")["suggestions"])
