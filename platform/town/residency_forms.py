"""Forms of residency confirmation (the resident's and the town hall's)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from town.models import Ortsgemeinde, ResidencyMethod


class ResidencyPolicyForm(forms.Form):
    method = forms.ChoiceField(label=_("How residents confirm where they live"), choices=ResidencyMethod.choices,
                               widget=forms.RadioSelect)
    required_for_posting = forms.BooleanField(
        label=_("Only confirmed residents may write posts, comments and proposals"), required=False)
    required_for_voting = forms.BooleanField(
        label=_("Only confirmed residents may vote in polls and support proposals"), required=False)
    required_for_rides = forms.BooleanField(
        label=_("Only confirmed residents may offer, ask for and book rides"), required=False)


class ResidencyRequestForm(forms.Form):
    address = forms.CharField(label=_("Street and house number"), max_length=200,
                              widget=forms.TextInput(attrs={"autocomplete": "street-address"}))
    postal_code = forms.CharField(label=_("Postal code"), max_length=5,
                                  widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}))


class ResidencyPostcodeForm(forms.Form):
    postal_code = forms.CharField(label=_("Postal code"), max_length=5,
                                  widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}))


class ResidencyCodeForm(forms.Form):
    code = forms.CharField(label=_("Code from the letter"), max_length=20,
                           help_text=_("12 letters and digits, for example ABCD-EFGH-2345."),
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code",
                                                         "autocapitalize": "characters"}))


class ResidencyDecisionForm(forms.Form):
    reason = forms.CharField(label=_("Reason, if you can't confirm"), max_length=300, required=False)


class LetterRunForm(forms.Form):
    count = forms.IntegerField(label=_("Number of letters"), min_value=1, max_value=2000, initial=50)
    ortsgemeinde = forms.ModelChoiceField(label=_("For residents of"), queryset=Ortsgemeinde.objects.none(),
                                          required=False, empty_label=_("the whole town"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["ortsgemeinde"].queryset = Ortsgemeinde.objects.order_by("name")  # type: ignore[attr-defined]
