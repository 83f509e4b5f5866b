from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from modules.conversations.services import TEXT_MAX_LENGTH, display_name


def _text_field() -> forms.CharField:
    # No max_length on the field: the service gives the one clear message for too long a text.
    return forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX_LENGTH}),
        strip=True,
        error_messages={"required": _("Please write a message.")},
    )


class MessageForm(forms.Form):
    text = _text_field()


class StartForm(forms.Form):
    """Write to people: those from the link (?to=) plus anyone you already have a conversation with."""

    recipients = forms.TypedMultipleChoiceField(
        label=_("To"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Please choose at least one person."),
            "invalid_choice": _("Some of these people are not residents of this town."),
        },
    )
    text = _text_field()

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipients"].choices = [(person.pk, display_name(person)) for person in people]


class BlockForm(forms.Form):
    user = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
