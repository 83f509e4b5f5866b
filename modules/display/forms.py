"""Forms of the Schaukasten: the town's settings and registering a screen in the back office."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class DisplaySettingsForm(forms.Form):
    """Per-town settings (module_settings("display")); import-safe before the models load."""

    refresh_seconds = forms.IntegerField(
        label=_("Fetch new content every (seconds)"), min_value=30, max_value=900, initial=60,
        help_text=_("How often a screen asks for news, dates and warnings. Warnings appear at the latest then."),
    )
    rotate_seconds = forms.IntegerField(
        label=_("Show each news item for (seconds)"), min_value=5, max_value=120, initial=15,
    )
    news_count = forms.IntegerField(
        label=_("Number of news items that take turns"), min_value=1, max_value=20, initial=6,
    )


class ScreenForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the screen"), max_length=100,
        error_messages={"required": _("Please give the screen a name.")},
        help_text=_("Where it hangs, e.g. “Rathaus, Schaufenster” or “DGH Elkenroth”."),
    )
    ortsgemeinde = forms.ModelChoiceField(
        label=_("Ortsgemeinde"), queryset=None, required=False, empty_label=_("The whole town"),
        help_text=_("A screen in a village shows that village's news and dates and the town-wide ones."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from town.models import Ortsgemeinde

        super().__init__(*args, **kwargs)
        self.fields["ortsgemeinde"].queryset = Ortsgemeinde.objects.order_by("name")  # type: ignore[attr-defined]

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Please give the screen a name."))
        return name
