"""The town's settings for Vorschläge: how much support a proposal needs before the town must answer."""

from __future__ import annotations

import math
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.modules import module_settings

DEFAULT_BASE = 10


class ProposalsSettingsForm(forms.Form):
    threshold_base = forms.IntegerField(
        label=_("Supporters needed (base number)"), min_value=1, max_value=100000, initial=DEFAULT_BASE,
        error_messages={"min_value": _("A proposal needs at least 1 supporter: 0 is not possible.")},
        help_text=_("Every proposal needs at least this many supporters before the town answers."),
    )
    threshold_per_thousand = forms.IntegerField(
        label=_("Additional supporters per 1,000 residents"), min_value=0, max_value=1000, initial=0,
        help_text=_("For larger Ortsgemeinden: this many more per 1,000 residents (0: the same for every place)."),
    )
    populations = forms.CharField(
        label=_("Residents per Ortsgemeinde"), required=False, initial="", widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One line per place, e.g. “Elkenroth: 1600”. Proposals for the whole town use the sum."),
    )

    def clean_populations(self) -> str:
        value: str = self.cleaned_data.get("populations") or ""
        for line in value.splitlines():
            if line.strip() and not _LINE.match(line.strip()):
                raise ValidationError(_("Please write each line as “Name: number of residents”."))
        return value


_LINE = re.compile(r"^(?P<name>[^:]+):\s*(?P<count>\d{1,7})$")


def _populations(text: str) -> dict[str, int]:
    found = {}
    for line in text.splitlines():
        match = _LINE.match(line.strip())
        if match:
            found[match["name"].strip().casefold()] = int(match["count"])
    return found


def threshold_for(ortsgemeinde_name: str | None) -> int:
    """Supporters a new proposal for this place (None: the whole town) needs; never less than 1."""
    config: dict[str, Any] = module_settings("proposals")
    base = int(config["threshold_base"])
    per_thousand = int(config["threshold_per_thousand"])
    populations = _populations(config.get("populations") or "")
    residents = (populations.get(ortsgemeinde_name.casefold(), 0) if ortsgemeinde_name
                 else sum(populations.values()))
    return max(1, base + math.ceil(per_thousand * residents / 1000))
