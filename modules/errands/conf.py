"""The town's settings for the Mitbringdienst (stored per town, validated by ErrandsSettingsForm)."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from core.modules import module_settings

DEFAULTS = {"new_account_days": 7, "new_account_requests_per_day": 3, "new_account_acceptances_per_day": 5}


class ErrandsSettingsForm(forms.Form):
    """The town's limits for new accounts (spam and scam protection)."""

    new_account_days = forms.IntegerField(
        label=_("An account counts as new for this many days"), min_value=0, max_value=90, initial=7,
    )
    new_account_requests_per_day = forms.IntegerField(
        label=_("Errands a new account may ask for per day"), min_value=1, max_value=50, initial=3,
    )
    new_account_acceptances_per_day = forms.IntegerField(
        label=_("Errands a new account may accept per day"), min_value=1, max_value=50, initial=5,
    )


@dataclass(frozen=True)
class ErrandLimits:
    new_account_days: int
    new_account_requests_per_day: int
    new_account_acceptances_per_day: int


def limits_get() -> ErrandLimits:
    """The current town's limits for new accounts (defaults where the town set nothing)."""
    values = module_settings("errands")
    return ErrandLimits(**{key: int(values[key]) for key in DEFAULTS})
