"""Forms of the alerts module: the town's settings and the back office's Bekanntmachung form."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

_ARS = re.compile(r"^\d{12}$")


class AlertsSettingsForm(forms.Form):
    """Per-town settings (module_settings("alerts")); import-safe before the models load."""

    ars = forms.CharField(
        label=_("Amtlicher Regionalschlüssel (ARS)"), required=False, max_length=20, initial="",
        help_text=_("12 digits, e.g. 071320000000 for the district of Altenkirchen. Official warnings are "
                    "published per district, so only the first five digits count. Empty: no official warnings."),
    )
    legal_publication = forms.CharField(
        label=_("Place of legal publication"), required=False, max_length=300, initial="",
        help_text=_("If your main statute names another place where notices are legally published "
                    "(e.g. the gazette), name it here: every notice page then says so."),
    )

    def clean_ars(self) -> str:
        value = re.sub(r"\s", "", self.cleaned_data.get("ars") or "")
        if not value:
            return ""
        if not _ARS.match(value):
            raise forms.ValidationError(_("The ARS has exactly 12 digits, e.g. 071320000000."))
        # NINA's dashboard answers per district: the last seven digits are zeros.
        return value[:5] + "0000000"


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"))
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))
    valid_from = forms.DateField(label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(label=_("Valid until (last day)"), widget=forms.DateInput(attrs={"type": "date"}))
    ortsgemeinde = forms.ModelChoiceField(label=_("Ortsgemeinde"), queryset=None, required=False,
                                          empty_label=_("The whole town"))
    place = forms.CharField(label=_("Place or street"), max_length=200, required=False,
                            help_text=_("E.g. “Hauptstraße between Kirche and Bürgerhaus”."))
    latitude = forms.DecimalField(label=_("Latitude (for the map)"), required=False, max_digits=9, decimal_places=6)
    longitude = forms.DecimalField(label=_("Longitude (for the map)"), required=False, max_digits=9, decimal_places=6)
    is_urgent = forms.BooleanField(
        label=_("Urgent: send to all residents at once"), required=False,
        help_text=_("Only for what residents must know now, e.g. boil your drinking water."),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        from modules.alerts.models import NoticeKind
        from town.models import Ortsgemeinde
        from town.people_services import village_ids_of

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = NoticeKind.choices
        villages = Ortsgemeinde.objects.order_by("name")
        if user is not None and not getattr(user, "is_town_admin", False):
            # An Ortsbürgermeister publishes for their own village only, never for the whole town.
            villages = villages.filter(pk__in=village_ids_of(user))
            self.fields["ortsgemeinde"].required = True
            self.fields["ortsgemeinde"].empty_label = None  # type: ignore[attr-defined]
        self.fields["ortsgemeinde"].queryset = villages  # type: ignore[attr-defined]
