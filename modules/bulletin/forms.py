"""Forms of the Mitteilungsblatt's back office (plain HTML forms; the services validate again)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from modules.bulletin.models import IssueItem
from modules.bulletin.services import ItemChange


class DraftForm(forms.Form):
    period_start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                   help_text=_("Empty: the day after the last issue."))
    period_end = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text=_("Empty: today."))


class ItemsForm(forms.Form):
    """Order, title, short text and "leave out" of every item of a draft, saved at once."""

    def __init__(self, *args: Any, items: list[IssueItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"position_{item.pk}"] = forms.IntegerField(
                label=_("Position"), min_value=0, max_value=9999, initial=item.position,
                widget=forms.NumberInput(attrs={"class": "bulletin-position"}))
            self.fields[f"title_{item.pk}"] = forms.CharField(label=_("Title"), max_length=200, initial=item.title)
            self.fields[f"text_{item.pk}"] = forms.CharField(
                label=_("Short text"), max_length=2000, required=False, initial=item.text,
                widget=forms.Textarea(attrs={"rows": 3}))
            self.fields[f"excluded_{item.pk}"] = forms.BooleanField(label=_("Leave out"), required=False,
                                                                    initial=item.excluded)

    def rows(self) -> list[tuple[IssueItem, list[forms.BoundField]]]:
        return [(item, [self[f"{name}_{item.pk}"] for name in ("position", "title", "text", "excluded")])
                for item in self.items]

    def changes(self) -> list[ItemChange]:
        data = self.cleaned_data
        return [ItemChange(item_id=item.pk, position=data[f"position_{item.pk}"], title=data[f"title_{item.pk}"],
                           text=data[f"text_{item.pk}"], excluded=data[f"excluded_{item.pk}"])
                for item in self.items]


class ItemAddForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Short text"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 4}))
    url = forms.URLField(label=_("Link (optional)"), required=False, max_length=500, assume_scheme="https",
                         help_text=_("The printed QR code leads there."))
    ortsgemeinde = forms.TypedChoiceField(label=_("Section"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, places: dict[int, str], town_heading: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ortsgemeinde"].choices = [("", town_heading), *places.items()]
