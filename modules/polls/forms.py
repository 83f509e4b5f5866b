"""Forms of Umfragen: the voting form built from a poll's questions, and the town's poll form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from modules.polls.models import (
    RATING_MAX,
    RATING_MIN,
    TEXT_ANSWER_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Audience,
    Poll,
    Question,
    QuestionKind,
    ResultsVisibility,
)
from modules.polls.services import QuestionInput
from town.models import Ortsgemeinde

QUESTION_SLOTS = 5
_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class VoteForm(forms.Form):
    """One field per question, named q_<id>: radio buttons, checkboxes or a text box."""

    def __init__(self, *args: Any, questions: list[Question], ask_receipt: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            name = f"q_{question.pk}"
            required = question.required
            if question.kind == QuestionKind.SINGLE:
                self.fields[name] = forms.ChoiceField(
                    label=question.text, required=required, widget=forms.RadioSelect,
                    choices=[(str(o.pk), o.text) for o in question.options.all()])
            elif question.kind == QuestionKind.MULTIPLE:
                self.fields[name] = forms.MultipleChoiceField(
                    label=question.text, required=required, widget=forms.CheckboxSelectMultiple,
                    choices=[(str(o.pk), o.text) for o in question.options.all()],
                    help_text=_("You may choose several."))
            elif question.kind == QuestionKind.RATING:
                self.fields[name] = forms.ChoiceField(
                    label=question.text, required=required, widget=forms.RadioSelect,
                    choices=[(str(n), _RATING_LABELS[n]) for n in range(RATING_MIN, RATING_MAX + 1)])
            else:
                self.fields[name] = forms.CharField(
                    label=question.text, required=required, max_length=TEXT_ANSWER_MAX_LENGTH,
                    widget=forms.Textarea(attrs={"rows": 4}))
            self.fields[name].error_messages["required"] = _("Please answer this question.")
        if ask_receipt:
            self.fields["receipt"] = forms.CharField(
                label=_("Your code from your first vote"), required=True, max_length=40,
                help_text=_(
                    "You were shown this code when you voted. Only with it can your vote be found and changed."
                ),
            )

    def answers(self) -> dict[int, Any]:
        return {question.pk: self.cleaned_data.get(f"q_{question.pk}") for question in self.questions}


_RATING_LABELS = {
    1: _("1 – very poor"), 2: _("2 – poor"), 3: _("3 – fair"), 4: _("4 – good"), 5: _("5 – very good"),
}


class PollForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    description = forms.CharField(label=_("Description"), required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    audience = forms.ChoiceField(label=_("Who may vote"), choices=Audience.choices, widget=forms.RadioSelect,
                                 initial=Audience.TOWN)
    ortsgemeinde = forms.ModelChoiceField(label=_("Ortsgemeinde"), queryset=Ortsgemeinde.objects.none(),
                                          required=False,
                                          help_text=_("Only for polls of the residents of one Ortsgemeinde."))
    opens_at = forms.DateTimeField(label=_("Opens at"), widget=_DATETIME)
    closes_at = forms.DateTimeField(label=_("Closes at"), widget=_DATETIME)
    results_visibility = forms.ChoiceField(label=_("Show the results"), choices=ResultsVisibility.choices,
                                           widget=forms.RadioSelect, initial=ResultsVisibility.AFTER_CLOSE)
    allow_change = forms.BooleanField(label=_("Voters may change their vote until the poll closes"), required=False)

    def __init__(self, *args: Any, poll: Poll | None = None, questions_locked: bool = False, **kwargs: Any) -> None:
        if poll is not None and "initial" not in kwargs:
            kwargs["initial"] = _initial(poll)
        super().__init__(*args, **kwargs)
        self.fields["ortsgemeinde"].queryset = Ortsgemeinde.objects.order_by("name")  # type: ignore[attr-defined]
        self.questions_locked = questions_locked
        if questions_locked:
            return
        for number in range(1, QUESTION_SLOTS + 1):
            self.fields[f"question_{number}"] = forms.CharField(
                label=_("Question %(number)d") % {"number": number}, required=False, max_length=300)
            self.fields[f"kind_{number}"] = forms.ChoiceField(
                label=_("Kind of answer for question %(number)d") % {"number": number},
                choices=QuestionKind.choices, initial=QuestionKind.SINGLE, required=False)
            self.fields[f"options_{number}"] = forms.CharField(
                label=_("Options for question %(number)d (one per line)") % {"number": number}, required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("Only for single and multiple choice."))

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        place = data.get("ortsgemeinde")
        result: dict[str, Any] = {
            "title": data["title"], "description": data.get("description", ""), "audience": data["audience"],
            "ortsgemeinde_id": place.pk if place else None, "opens_at": data.get("opens_at"),
            "closes_at": data.get("closes_at"), "results_visibility": data["results_visibility"],
            "allow_change": bool(data.get("allow_change")),
        }
        if not self.questions_locked:
            result["questions"] = [
                QuestionInput(text=data.get(f"question_{n}", ""), kind=data.get(f"kind_{n}", ""),
                              options=(data.get(f"options_{n}") or "").splitlines())
                for n in range(1, QUESTION_SLOTS + 1) if (data.get(f"question_{n}") or "").strip()
            ]
        return result


def _initial(poll: Poll) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "title": poll.title, "description": poll.description, "audience": poll.audience,
        "ortsgemeinde": poll.ortsgemeinde_id, "opens_at": poll.opens_at, "closes_at": poll.closes_at,
        "results_visibility": poll.results_visibility, "allow_change": poll.allow_change,
    }
    for number, question in enumerate(poll.questions.prefetch_related("options"), 1):
        initial[f"question_{number}"] = question.text
        initial[f"kind_{number}"] = question.kind
        initial[f"options_{number}"] = "\n".join(option.text for option in question.options.all())
    return initial
