from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core import opening_hours
from modules.directory.models import Business, BusinessCategory, Weekday
from town.models import Ortsgemeinde
from town.widgets import QuickSelect


class SearchInput(forms.TextInput):
    input_type = "search"


class BusinessFilterForm(forms.Form):
    """Search and filters above the list. Unknown values are ignored, never an error page."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200,
                        widget=SearchInput(attrs={"placeholder": _("e.g. bread, plumber")}))
    category = forms.ChoiceField(label=_("Category"), required=False, widget=QuickSelect)
    ortsgemeinde = forms.ChoiceField(label=_("Ortsgemeinde"), required=False, widget=QuickSelect)
    open_now = forms.BooleanField(label=_("Open now"), required=False)
    delivers = forms.BooleanField(label=_("Delivers"), required=False)

    def __init__(self, *args: Any, categories: list[BusinessCategory], ortsgemeinden: list[Ortsgemeinde],
                 **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories"))] + [(c.slug, c.name) for c in categories]
        self.fields["ortsgemeinde"].choices = [("", _("All Ortsgemeinden"))] + [
            (o.slug, o.name) for o in ortsgemeinden
        ]


class BusinessForm(forms.ModelForm):
    """The entry itself; the services validate again (the API and other callers skip this form)."""

    website = forms.URLField(label=capfirst(Business._meta.get_field("website").verbose_name), required=False,
                             max_length=200, assume_scheme="https")

    class Meta:
        model = Business
        fields = [
            "name", "description", "categories", "street", "postal_code", "locality", "ortsgemeinde",
            "phone", "website", "email", "delivers", "pickup", "delivery_notes", "latitude", "longitude",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "categories": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "description": _("What you offer, in a few sentences. Plain text; blank lines separate paragraphs."),
            "latitude": _("Optional, for the map, e.g. 50.704520. Right-click your shop on a map to copy it."),
            "longitude": _("Optional, for the map, e.g. 7.795100."),
            "delivery_notes": _("e.g. “Delivery on Fridays in all villages, order by phone the day before”."),
        }

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["latitude"].widget.attrs["step"] = "any"
        self.fields["longitude"].widget.attrs["step"] = "any"
        self.fields["ortsgemeinde"].empty_label = _("(none)")


class BusinessManageForm(BusinessForm):
    class Meta(BusinessForm.Meta):
        fields = BusinessForm.Meta.fields + ["is_published"]
        help_texts = {**BusinessForm.Meta.help_texts,
                      "is_published": _("Untick to take the entry offline for a while.")}


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the rejection"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
        help_text=_("Sent to the applicant by e-mail, so they can correct the entry."),
    )


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any):
        super().__init__(format="%H:%M", **kwargs)


class OpeningIntervalForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=[("", "—")] + list(Weekday.choices),
                                     coerce=int, required=False, empty_value=None)
    opens = forms.TimeField(label=_("Opens"), required=False, widget=TimeInput())
    closes = forms.TimeField(label=_("Closes"), required=False, widget=TimeInput())
    closes_next_day = forms.BooleanField(label=_("Closes after midnight"), required=False)

    def clean(self) -> dict:
        data = super().clean()
        filled = [data.get("weekday") is not None, data.get("opens") is not None, data.get("closes") is not None]
        if any(filled) and not all(filled) and not self.errors:
            raise forms.ValidationError(_("Fill in weekday, opening and closing time, or leave the row empty."))
        return data

    def interval(self) -> opening_hours.Interval | None:
        data = self.cleaned_data
        if data.get("weekday") is None or data.get("opens") is None or data.get("closes") is None:
            return None
        return opening_hours.Interval(data["weekday"], data["opens"], data["closes"],
                                      bool(data.get("closes_next_day")))


OpeningIntervalFormSet = forms.formset_factory(OpeningIntervalForm, extra=0, max_num=70, validate_max=True)


class OpeningExceptionForm(forms.Form):
    start_date = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end_date = forms.DateField(label=_("Until"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                               help_text=_("Leave empty for a single day."))
    closed = forms.BooleanField(label=_("Closed all day"), required=False, initial=True)
    opens = forms.TimeField(label=_("Special opening time"), required=False, widget=TimeInput())
    closes = forms.TimeField(label=_("Special closing time"), required=False, widget=TimeInput())
    closes_next_day = forms.BooleanField(label=_("Closes after midnight"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=200,
                           help_text=_("e.g. “Summer holidays” or “Christmas Eve”."))


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("Photo"), help_text=_("JPEG, PNG, GIF or WebP, at most 5 MB."))
    alt = forms.CharField(label=_("Photo description"), max_length=250,
                          help_text=_("What the photo shows, for people who cannot see it."))


class OfferForm(forms.Form):
    title = forms.CharField(label=_("Offer"), max_length=150, required=False)
    description = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    price = forms.CharField(label=_("Price"), required=False, max_length=60,
                            help_text=_("As text, e.g. “2,50 € per loaf”."))
    valid_until = forms.DateField(label=_("Valid until"),
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
