"""Forms of the Digitallotsen module: they parse; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from modules.lotsen.models import HelpTopic
from town.models import Ortsgemeinde


def _villages() -> Any:
    return Ortsgemeinde.objects.order_by("name")


class AppointForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person"))
    ortsgemeinde = forms.ModelChoiceField(label=_("Ortsgemeinde"), queryset=Ortsgemeinde.objects.none(),
                                          required=False, empty_label=_("The whole town"))
    where_to_find = forms.CharField(label=_("Where and when residents find them"), max_length=200, required=False,
                                    help_text=_("For example “Tuesdays 10–12 in the Dorfgemeinschaftshaus”."))
    phone = forms.CharField(label=_("Phone for residents (optional)"), max_length=30, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ortsgemeinde"].queryset = _villages()  # type: ignore[attr-defined]


class HelpRequestForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=80)
    contact = forms.CharField(label=_("Phone or e-mail"), max_length=120,
                              help_text=_("So a Digitallotse can reach you."))
    topic = forms.ChoiceField(label=_("I need help with"), choices=HelpTopic.choices)
    message = forms.CharField(label=_("What do you need? (optional)"), max_length=1000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    ortsgemeinde = forms.ModelChoiceField(label=_("Where do you live?"), queryset=Ortsgemeinde.objects.none(),
                                          required=False, empty_label=_("Please choose (optional)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ortsgemeinde"].queryset = _villages()  # type: ignore[attr-defined]


class ResidentRegisterForm(forms.Form):
    name = forms.CharField(label=_("Name of the person"), max_length=150)
    email = forms.EmailField(label=_("Their e-mail address (optional)"), required=False,
                             help_text=_("Leave it empty if the person has none: the letter is enough to sign in."))
    ortsgemeinde = forms.ModelChoiceField(label=_("Ortsgemeinde"), queryset=Ortsgemeinde.objects.none(),
                                          required=False, empty_label=_("Not given"))
    consent = forms.BooleanField(label=_("The person agrees to the text above."), required=False)
    consent_note = forms.CharField(label=_("How they agreed (optional)"), max_length=200, required=False,
                                   help_text=_("For example “in person at the Sprechstunde, 3 December”."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ortsgemeinde"].queryset = _villages()  # type: ignore[attr-defined]


class SignInCodeForm(forms.Form):
    code = forms.CharField(label=_("The code from your letter"), max_length=40,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code",
                                                         "autocapitalize": "characters"}))


class PostForForm(forms.Form):
    topic = forms.TypedChoiceField(label=_("Topic"), coerce=int, choices=())
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 5}), max_length=2000)

    def __init__(self, *args: Any, topics: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = topics  # type: ignore[attr-defined]


class EventForForm(forms.Form):
    event = forms.TypedChoiceField(label=_("Event"), coerce=int, choices=())
    places = forms.IntegerField(label=_("Places"), min_value=1, max_value=10, initial=1)

    def __init__(self, *args: Any, events: list[tuple[int, str, Any]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [(pk, f"{start:%d.%m.%Y} – {title}") for pk, title, start in events]  # type: ignore[attr-defined]
