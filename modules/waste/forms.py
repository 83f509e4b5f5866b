from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modules.waste.models import PickupArea, WasteType
from town.models import Ortsgemeinde, Street


class AreaForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    ortsgemeinde = forms.ModelChoiceField(label=_("Ortsgemeinde"), queryset=Ortsgemeinde.objects.all())
    streets = forms.ModelMultipleChoiceField(
        label=_("Streets"),
        queryset=Street.objects.select_related("ortsgemeinde").order_by("ortsgemeinde__name", "name"),
        required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty if the whole Ortsgemeinde is one pickup area."),
    )

    def __init__(self, *args, area: PickupArea | None = None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if area is not None:
            del self.fields["ortsgemeinde"]
            self.fields["streets"].queryset = Street.objects.filter(ortsgemeinde_id=area.ortsgemeinde_id)
        self.fields["streets"].label_from_instance = lambda s: f"{s.name} ({s.ortsgemeinde.name})"


class IcsImportForm(forms.Form):
    file = forms.FileField(label=_("File from the disposal company (.ics or .csv)"))
    areas = forms.ModelMultipleChoiceField(
        label=_("Pickup areas this file is for"), queryset=PickupArea.objects.order_by("name"), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For an .ics file. A .csv file names the area in its third column (date;type;area)."),
    )


class RuleForm(forms.Form):
    waste_type = forms.ModelChoiceField(label=_("Waste type"), queryset=WasteType.objects.all())
    areas = forms.ModelMultipleChoiceField(label=_("Pickup areas"), queryset=PickupArea.objects.order_by("name"),
                                           widget=forms.CheckboxSelectMultiple)
    first = forms.DateField(label=_("First collection"), widget=forms.DateInput(attrs={"type": "date"}),
                            help_text=_("The weekday of this date is the collection day."))
    every_weeks = forms.TypedChoiceField(label=_("How often"), coerce=int, choices=[
        (1, _("every week")), (2, _("every 2 weeks")), (3, _("every 3 weeks")), (4, _("every 4 weeks")),
        (6, _("every 6 weeks")), (8, _("every 8 weeks"))], initial=2)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class PickupMoveForm(forms.Form):
    date = forms.DateField(label=_("New date"), widget=forms.DateInput(attrs={"type": "date"}))


class ReminderForm(forms.Form):
    reminder_on = forms.BooleanField(label=_("Remind me the evening before"), required=False)
    reminder_time = forms.TimeField(label=_("At"), initial=datetime.time(19),
                                    widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
