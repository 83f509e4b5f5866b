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
    suggestions_reviewed_by = forms.ChoiceField(
        label=_("Who accepts suggestions"), initial="editors",
        choices=(("editors", _("The town, or the editors of the organisation a suggestion names")),
                 ("town", _("Only the town's administrators"))),
    )


def suggestions_allowed() -> bool:
    """May residents of the current town suggest events?"""
    return bool(module_settings("events")["suggestions"])


def suggestions_reviewed_by_town_only() -> bool:
    """Does only the town (its administrators) accept residents' suggestions, not organisations' editors?"""
    return module_settings("events").get("suggestions_reviewed_by") == "town"
