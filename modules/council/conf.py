"""The town's settings for Digitaler Rat & Gremien (module_settings("council")); import-safe before the models load."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CouncilSettingsForm(forms.Form):
    council_name = forms.CharField(
        label=_("Name of the council"), max_length=100, initial="Digitaler Rat",
        help_text=_("How residents know the standing council, e.g. “Digitaler Rat” or “Jugendrat”."),
    )
    council_intro = forms.CharField(
        label=_("What the council does"), required=False, max_length=2000, initial="",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few sentences for the council's page: who sits in it and what it recommends."),
    )
    oparl_url = forms.URLField(
        label=_("OParl address of your council information system"), required=False, max_length=500,
        initial="", assume_scheme="https",
        help_text=_("Your RIS provider names it (e.g. https://ris.example.de/oparl/v1.1/). Meetings, agendas "
                    "and papers of the Gemeinderäte are then read from there every hour. Empty: none."),
    )

    def clean_oparl_url(self) -> str:
        value: str = (self.cleaned_data.get("oparl_url") or "").strip()
        if value and not value.startswith(("https://", "http://")):
            raise forms.ValidationError(_("Please enter a web address beginning with https://."))
        return value
