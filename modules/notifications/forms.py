"""Forms of the notifications module: a resident's settings and the town admin's urgent notice."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from modules.notifications.models import EmailFrequency
from modules.notifications.topics import TOPICS


class NotificationSettingsForm(forms.Form):
    email_frequency = forms.ChoiceField(label=_("E-mails about notifications"), choices=EmailFrequency.choices,
                                        widget=forms.RadioSelect)
    quiet_hours = forms.BooleanField(label=_("Quiet hours: no e-mails or push notifications at night"),
                                     required=False)
    quiet_start = forms.TimeField(label=_("Quiet from"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    quiet_end = forms.TimeField(label=_("Quiet until"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, topic in TOPICS.items():
            self.fields[f"topic_{key}"] = forms.BooleanField(label=topic.label, help_text=topic.description,
                                                             required=False)
            self.fields[f"topic_{key}_email"] = forms.BooleanField(label=_("by e-mail"), required=False)
            self.fields[f"topic_{key}_push"] = forms.BooleanField(label=_("as push notification"), required=False)

    def topic_rows(self) -> list[dict[str, Any]]:
        return [
            {"key": key, "topic": topic, "enabled": self[f"topic_{key}"], "email": self[f"topic_{key}_email"],
             "push": self[f"topic_{key}_push"]}
            for key, topic in TOPICS.items()
        ]

    def topic_choices(self) -> dict[str, tuple[bool, bool, bool]]:
        data = self.cleaned_data
        return {
            key: (data[f"topic_{key}"], data[f"topic_{key}_email"], data[f"topic_{key}_push"]) for key in TOPICS
        }


class UrgentNoticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120,
                            help_text=_("Short and clear, e.g. 'Boil drinking water in Xanten-Au'."))
    body = forms.CharField(label=_("Text"), max_length=1000, widget=forms.Textarea(attrs={"rows": 5}),
                           help_text=_("What happened, what residents should do, until when."))
    url = forms.URLField(label=_("Link for more information"), required=False, assume_scheme="https")
    ortsgemeinden = forms.ModelMultipleChoiceField(
        label=_("Only for these Ortsgemeinden"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("Choose none to reach the whole town."),
    )
    confirm = forms.BooleanField(
        label=_("I want to send this to every resident right away, also at night."), required=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from town.models import Ortsgemeinde

        self.fields["ortsgemeinden"].queryset = Ortsgemeinde.objects.order_by("name")
