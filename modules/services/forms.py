"""Forms of the services module: the town's settings, the back office, the Fundbüro's search and claim."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from modules.services.models import FoundCategory, FoundItem, LifeSituation, Office, Service
from town.models import Ortsgemeinde, Weekday


class OfficeForm(forms.ModelForm):
    booking_url = forms.URLField(label=_("online appointment booking"), required=False, assume_scheme="https")
    class Meta:
        model = Office
        fields = ["name", "description", "street", "postal_code", "locality", "room", "ortsgemeinde",
                  "latitude", "longitude", "phone", "email", "booking_url", "position"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ortsgemeinde"].queryset = Ortsgemeinde.objects.all()
        self.fields["ortsgemeinde"].help_text = _("Where the office is. Leave empty for the main town hall: "
                                                  "its hours then show in the contact card of every page.")


class OfficeHourForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=Weekday.choices, coerce=int)
    starts_at = forms.TimeField(label=_("Opens"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends_at = forms.TimeField(label=_("Closes"), widget=forms.TimeInput(attrs={"type": "time"}))


class OfficeDayForm(forms.Form):
    start_date = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("Until (leave empty for one day)"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))
    closed = forms.BooleanField(label=_("Closed all day"), required=False, initial=True)
    opens = forms.TimeField(label=_("Special hours: opens"), required=False,
                            widget=forms.TimeInput(attrs={"type": "time"}))
    closes = forms.TimeField(label=_("Special hours: closes"), required=False,
                             widget=forms.TimeInput(attrs={"type": "time"}))
    note = forms.CharField(label=_("Note"), max_length=200, required=False,
                           help_text=_("For example “Rosenmontag” or “Betriebsausflug”."))


class OfficeContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    responsibility = forms.CharField(label=_("Responsible for"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)


class ServiceEditForm(forms.ModelForm):
    online_url = forms.URLField(label=_("online service"), required=False, assume_scheme="https",
                                help_text=_("The service in the Land's portal or another online service."))
    booking_url = forms.URLField(label=_("appointment booking"), required=False, assume_scheme="https",
                                 help_text=_("Leave empty to use the office's booking link."))
    class Meta:
        model = Service
        fields = ["title", "summary", "life_situation", "office", "description", "documents", "fees",
                  "appointment_required", "online_url", "booking_url", "is_published"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5}), "documents": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = Office.objects.all()
        self.fields["life_situation"].queryset = LifeSituation.objects.all()


class ServiceFormUpload(forms.Form):
    title = forms.CharField(label=_("Title of the form"), max_length=150)
    file = forms.FileField(label=_("PDF file"), widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}))


class FoundItemForm(forms.ModelForm):
    photo = forms.ImageField(label=_("Photo (optional)"), required=False)
    photo_alt = forms.CharField(label=_("Photo description"), max_length=250, required=False)

    class Meta:
        model = FoundItem
        fields = ["title", "category", "description", "place_found", "found_on", "office"]
        widgets = {"found_on": forms.DateInput(attrs={"type": "date"}),
                   "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = Office.objects.all()


class FoundSearchForm(forms.Form):
    q = forms.CharField(label=_("What did you lose?"), max_length=100, required=False,
                        widget=forms.TextInput(attrs={"type": "search"}))
    category = forms.ChoiceField(label=_("Category"), required=False,
                                 choices=[("", _("All categories")), *FoundCategory.choices])


class ClaimForm(forms.Form):
    message = forms.CharField(
        label=_("Your message to the Fundbüro"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Describe the item (colour, contents, marks) so the office can tell it is yours. "
                    "The office sees your name and e-mail address and answers by e-mail."),
    )


class ServiceSearchForm(forms.Form):
    q = forms.CharField(label=_("Search services"), max_length=100, required=False,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. Personalausweis")}))
    lebenslage = forms.SlugField(required=False)
