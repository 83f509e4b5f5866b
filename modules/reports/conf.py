"""The town's settings for the Mängelmelder (stored per town, validated by ReportsSettingsForm)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.modules import module_settings


class ReportsSettingsForm(forms.Form):
    allow_anonymous = forms.BooleanField(
        label=_("Visitors without an account may report (after confirming their e-mail address)"),
        required=False, initial=True,
    )
    hold_anonymous = forms.BooleanField(
        label=_("Staff check reports without an account before they are shown"), required=False, initial=False,
    )
    photos_need_release = forms.BooleanField(
        label=_("Photos are shown publicly only after staff release them"), required=False, initial=True,
    )


def reports_settings() -> dict[str, bool]:
    values = module_settings("reports")
    return {key: bool(values.get(key)) for key in ("allow_anonymous", "hold_anonymous", "photos_need_release")}
