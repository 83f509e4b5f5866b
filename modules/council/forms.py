from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from modules.council.models import (
    FOLLOW_UP_STATUSES,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    MemberGroup,
    VoteChoice,
)

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Name shown"), max_length=150)
    email = forms.EmailField(label=_("E-mail address of their account (optional)"), required=False,
                             help_text=_("With an account the member can see internal documents and vote."))
    group = forms.ChoiceField(label=_("Represents"), choices=MemberGroup.choices)
    seat = forms.CharField(label=_("Seat"), max_length=150, required=False,
                           help_text=_("E.g. “for the youth of Elkenroth”."))
    is_chair = forms.BooleanField(label=_("Chairs the council"), required=False)
    term_start = forms.DateField(label=_("Term begins"), widget=_DATE)
    term_end = forms.DateField(label=_("Term ends"), widget=_DATE, required=False)


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    starts_at = forms.DateTimeField(label=_("Begins"), widget=_DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=_DATETIME, required=False)
    location = forms.CharField(label=_("Place"), max_length=200, required=False)
    is_public = forms.BooleanField(label=_("Public meeting"), required=False, initial=True,
                                   help_text=_("Residents see public meetings on the council's page and in the "
                                               "town calendar."))
    is_cancelled = forms.BooleanField(label=_("Cancelled"), required=False)
    minutes = forms.CharField(label=_("Minutes"), max_length=TEXT_MAX_LENGTH, required=False,
                              widget=forms.Textarea(attrs={"rows": 8}))
    minutes_public = forms.BooleanField(label=_("Minutes are public"), required=False, initial=True)


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Item"), max_length=TITLE_MAX_LENGTH, required=False,
                            help_text=_("Empty with a proposal: the proposal's title."))
    text = forms.CharField(label=_("Description"), max_length=TEXT_MAX_LENGTH, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
    proposal = forms.TypedChoiceField(label=_("Proposal of residents"), required=False, coerce=int,
                                      empty_value=None)
    is_public = forms.BooleanField(label=_("Public item"), required=False, initial=True)

    def __init__(self, *args: Any, proposals: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["proposal"].choices = [("", _("No proposal"))] + [
            (p.pk, f"{p.title} ({p.status_label})") for p in proposals]
        if not proposals:
            self.fields["proposal"].widget = forms.HiddenInput()


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    text = forms.CharField(label=_("Text"), max_length=TEXT_MAX_LENGTH, required=False,
                           widget=forms.Textarea(attrs={"rows": 6}))
    link = forms.URLField(label=_("Link (optional)"), required=False, max_length=500, assume_scheme="https")
    is_public = forms.BooleanField(label=_("Public"), required=False, initial=True,
                                   help_text=_("Otherwise only the council's members see it."))


class RecommendationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    text = forms.CharField(label=_("Recommendation to the Gemeinderat"), max_length=TEXT_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 6}))
    agenda_item = forms.TypedChoiceField(label=_("Agenda item"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, items: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].choices = [("", _("None"))] + [(i.pk, i.title) for i in items]


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(label=_("What happened"), widget=forms.RadioSelect,
                               choices=[(s.value, s.label) for s in FOLLOW_UP_STATUSES])
    follow_up = forms.CharField(label=_("Explanation for residents"), max_length=TEXT_MAX_LENGTH, required=False,
                                widget=forms.Textarea(attrs={"rows": 4}),
                                help_text=_("A decline needs the Gemeinderat's reasons."))


class VoteForm(forms.Form):
    choice = forms.ChoiceField(label=_("Your vote"), widget=forms.RadioSelect, choices=VoteChoice.choices)
