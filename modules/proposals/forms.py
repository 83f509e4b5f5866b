from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from modules.proposals.models import (
    ALT_MAX_LENGTH,
    ANSWER_STATUSES,
    COMMENT_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Category,
)
from town.models import Ortsgemeinde


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    text = forms.CharField(label=_("Your proposal"), max_length=TEXT_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("What should change, where, and why?"))
    ortsgemeinde = forms.ModelChoiceField(label=_("Where"), queryset=Ortsgemeinde.objects.none(), required=False,
                                          empty_label=_("The whole town"))
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none(), required=False,
                                      empty_label=_("No category"))
    image = forms.ImageField(label=_("Photo (optional)"), required=False)
    image_alt = forms.CharField(label=_("What the photo shows"), max_length=ALT_MAX_LENGTH, required=False)

    def __init__(self, *args: Any, home_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ortsgemeinde"].queryset = Ortsgemeinde.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["category"].queryset = Category.objects.order_by("position", "name")  # type: ignore[attr-defined]
        if home_id:
            self.fields["ortsgemeinde"].initial = home_id


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Your comment"), max_length=COMMENT_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(forms.Form):
    status = forms.ChoiceField(label=_("Your decision"), widget=forms.RadioSelect,
                               choices=[(s.value, s.label) for s in ANSWER_STATUSES])
    answer = forms.CharField(label=_("Your answer to the residents"), max_length=TEXT_MAX_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 5}), required=False,
                             help_text=_("Residents read this. A rejection needs its reasons."))


class StepForm(forms.Form):
    title = forms.CharField(label=_("Step"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    is_done = forms.BooleanField(label=_("Already done"), required=False)
