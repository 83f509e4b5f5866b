from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from modules.moderation.models import (
    REPORT_TEXT_MAX_LENGTH,
    STATEMENT_MAX_LENGTH,
    Action,
    CaseStatus,
    Ground,
    ReportCategory,
)
from modules.moderation.services import MAX_SUSPENSION_DAYS, OBJECTION_MAX_LENGTH


class ReportForm(forms.Form):
    category = forms.ChoiceField(label=_("What is wrong with it?"), choices=ReportCategory.choices,
                                 widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("Please explain"), max_length=REPORT_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What exactly is the problem? For illegal content, please say which law it breaks, if you know."),
    )


class StatementFields(forms.Form):
    facts = forms.CharField(
        label=_("Facts and circumstances"), required=False, max_length=STATEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the content says or does, and how the moderators learned of it (e.g. reports)."),
    )
    ground = forms.ChoiceField(label=_("Ground for the decision"), required=False,
                               choices=[("", "–"), *Ground.choices])
    ground_detail = forms.CharField(
        label=_("Provision of the law or term of use"), required=False, max_length=1000,
        help_text=_("E.g. § 185 StGB (insult) or § 4 of the terms of use (no advertising)."),
    )


class DecisionForm(StatementFields):
    action = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    suspension_days = forms.IntegerField(label=_("Suspend for how many days?"), required=False, min_value=1,
                                         max_value=MAX_SUSPENSION_DAYS)

    def __init__(self, *args: Any, actions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(a, Action(a).label) for a in actions]
        if Action.SUSPEND not in actions:
            del self.fields["suspension_days"]


class BulkForm(StatementFields):
    action = forms.ChoiceField(label=_("Action for all selected items"), choices=[
        (Action.HIDE, Action.HIDE.label), (Action.DELETE, Action.DELETE.label),
        (Action.DISMISS, Action.DISMISS.label)])
    cases = forms.TypedMultipleChoiceField(label=_("Selected items"), coerce=int, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, case_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cases"].choices = [(pk, pk) for pk in case_ids]


class QueueFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of content"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[
        ("", _("Open and objections")), *CaseStatus.choices])

    def __init__(self, *args: Any, kinds: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *sorted(kinds.items(), key=lambda item: str(item[1]))]


class ObjectionForm(forms.Form):
    text = forms.CharField(label=_("Why do you think the decision is wrong?"), max_length=OBJECTION_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 5}))


class WordFilterForm(forms.Form):
    terms = forms.CharField(
        label=_("Blocked terms, one per line"), required=False, widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Posts, comments and messages containing one of these words are refused with a message naming "
                    "the word. Upper and lower case don't matter; only whole words count."),
    )
