"""Forms of the Mängelmelder: reporting, the back office's changes, the outside body's answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from modules.reports.models import Category, Department, Status
from town.models import Ortsgemeinde
from town.places_forms import AddressField


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to three photos in one input; each is checked and re-encoded by the service."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:  # type: ignore[override]
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(PhotosField, self).clean(item, initial) for item in files]


class ReportForm(forms.Form):
    category = forms.ModelChoiceField(queryset=Category.objects.none(), label=_("What is the problem?"),
                                      empty_label=_("Please choose"))
    description = forms.CharField(label=_("Description"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text=_("What is broken, and where exactly? For example “Lamp at the bus stop "
                                              "is out”."))
    latitude = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    longitude = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)
    address = AddressField(required=False, label=_("Or type the address"))
    ortsgemeinde = forms.ModelChoiceField(queryset=Ortsgemeinde.objects.none(), required=False,
                                          label=_("Ortsgemeinde"), empty_label=_("Find it from the map pin"))
    photos = PhotosField(label=_("Photos (up to 3)"), required=False,
                         widget=MultipleFileInput(attrs={"accept": "image/*"}))
    contact_name = forms.CharField(label=_("Your name (only for the town hall)"), max_length=150, required=False)
    contact_email = forms.EmailField(label=_("Your e-mail address (only for the town hall)"), required=False)
    contact_phone = forms.CharField(label=_("Phone (only for the town hall)"), max_length=40, required=False)

    def __init__(self, *args: Any, signed_in: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.order_by("position", "name")  # type: ignore[attr-defined]
        self.fields["ortsgemeinde"].queryset = Ortsgemeinde.objects.order_by("name")  # type: ignore[attr-defined]
        if not signed_in:
            self.fields["contact_email"].required = True
            self.fields["contact_email"].label = _("Your e-mail address (for the confirmation, never public)")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_pin = data.get("latitude") is not None and data.get("longitude") is not None
        if not has_pin and not data.get("address") and not data.get("photos") and not self.errors:
            raise forms.ValidationError(_("Please put the pin on the map or type the address."))
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    public_answer = forms.CharField(label=_("Answer for the public"), required=False, max_length=4000,
                                    widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Internal note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class QueueFilterForm(forms.Form):
    department = forms.ChoiceField(label=_("Department"), required=False,
                                   choices=[("", _("All departments")), *Department.choices])
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Open")), *Status.choices])
    category = forms.ModelChoiceField(label=_("Category"), required=False, queryset=Category.objects.none(),
                                      empty_label=_("All categories"))
    assigned = forms.ChoiceField(label=_("Assigned to"), required=False, choices=[
        ("", _("Anyone or nobody")), ("me", _("Me")), ("nobody", _("Nobody yet"))])
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)
    held = forms.BooleanField(label=_("Only those waiting for review"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.order_by("position", "name")  # type: ignore[attr-defined]


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["description", "department", "duplicate_distance_m", "target_days", "forward_body",
                  "forward_email", "colour"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("forward_body")) != bool(data.get("forward_email")):
            raise forms.ValidationError(_("To forward, enter both the name of the body and its e-mail address."))
        return data


class ForwardAnswerForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[
        (Status.IN_PROGRESS, Status.IN_PROGRESS.label), (Status.DONE, Status.DONE.label),
        (Status.NOT_RESPONSIBLE, Status.NOT_RESPONSIBLE.label)])
    public_answer = forms.CharField(label=_("Answer for the resident"), max_length=4000,
                                    widget=forms.Textarea(attrs={"rows": 4}))


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("Who uses the key?"), max_length=120)
