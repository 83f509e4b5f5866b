"""Forms of the events pages. They check what a form can see; the services check the rest."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.calendar import TOWN_TZ
from core.forms import RichTextarea
from core.images import image_check
from modules.events import recurrence
from modules.events.models import Category, Event, Venue
from town.models import Ortsgemeinde
from town.people_selectors import organisations_publishable_by
from town.widgets import QuickSelect

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]


class EventFilterForm(forms.Form):
    """Filters above the event list. Bad values are ignored, never an error page."""

    WHEN_CHOICES = (("", _("Coming up")), ("today", _("Today")), ("weekend", _("This weekend")),
                    ("month", _("Next 30 days")))
    when = forms.ChoiceField(label=_("When"), required=False, widget=QuickSelect, choices=WHEN_CHOICES)
    ortsgemeinde = forms.ChoiceField(label=_("Ortsgemeinde"), required=False, widget=QuickSelect)
    category = forms.ChoiceField(label=_("Category"), required=False, widget=QuickSelect)
    organisation = forms.ChoiceField(label=_("Organiser"), required=False, widget=QuickSelect)

    def __init__(self, *args: Any, categories: list[Any], ortsgemeinden: list[Any], organisations: list[Any],
                 **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["ortsgemeinde"].choices = [("", _("All Ortsgemeinden"))] + [(o.slug, o.name) for o in ortsgemeinden]
        self.fields["category"].choices = [("", _("All categories"))] + [(c.slug, c.name) for c in categories]
        self.fields["organisation"].choices = [("", _("All organisers"))] + [
            (o.slug, o.name) for o in organisations]


class EventForm(forms.Form):
    """Publishing an event: date and time as editors think of them; the service stores moments and a rule."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=RichTextarea(attrs={"rows": 8}),
        help_text=_("The buttons above the text make words bold, headings, lists and links. "
                    "Without them, a blank line starts a new paragraph."))
    organisation = forms.ModelChoiceField(label=_("Organiser"), queryset=None, required=False)
    start_date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    start_time = forms.TimeField(label=_("Starts at"), required=False, widget=TIME_WIDGET,
                                 help_text=_("Leave empty for an all-day event."))
    end_date = forms.DateField(label=_("Last day"), required=False, widget=DATE_WIDGET,
                               help_text=_("Only for events over several days."))
    end_time = forms.TimeField(label=_("Ends at"), required=False, widget=TIME_WIDGET)
    repeat = forms.ChoiceField(label=_("Repeats"), required=False, choices=(
        ("", _("Does not repeat")), ("weekly", _("Every week")), ("biweekly", _("Every two weeks")),
        ("monthly_weekday", _("Every month on the same weekday (e.g. first Saturday)")),
        ("monthly_day", _("Every month on the same date"))))
    repeat_until = forms.DateField(label=_("Repeats until"), required=False, widget=DATE_WIDGET,
                                   help_text=_("Leave empty if the series has no end."))
    venue = forms.ModelChoiceField(label=_("Venue"), queryset=Venue.objects.order_by("name"), required=False,
                                   empty_label=_("Other place (enter the address below)"))
    address = forms.CharField(label=_("Address"), max_length=250, required=False)
    ortsgemeinde = forms.ModelChoiceField(label=_("Ortsgemeinde"), queryset=None, required=False,
                                          empty_label=_("The whole town"))
    category = forms.ModelChoiceField(label=_("Category"), queryset=None, required=False,
                                      empty_label=_("No category"))
    image = forms.ImageField(label=_("Image"), required=False)
    image_alt = forms.CharField(label=_("Image description"), max_length=250, required=False,
                                help_text=_("Required with an image: what the picture shows, for people who cannot "
                                            "see it."))
    is_free = forms.BooleanField(label=_("Free of charge"), required=False, initial=True)
    price = forms.CharField(label=_("Price"), max_length=120, required=False,
                            help_text=_("For example: 5 €, children free"))
    step_free = forms.BooleanField(label=_("Step-free access"), required=False)
    hearing_loop = forms.BooleanField(label=_("Hearing loop"), required=False)
    accessibility = forms.CharField(label=_("More about accessibility"), max_length=300, required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=120, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    link = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    registration_enabled = forms.BooleanField(label=_("People register for this event"), required=False)
    capacity = forms.IntegerField(label=_("Places"), required=False, min_value=1,
                                  help_text=_("Leave empty for no limit. In a series each date has this many places."))
    registration_closes_at = forms.DateTimeField(label=_("Registration closes"), required=False,
                                                 widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS,
                                                 help_text=_("Leave empty: registration is open until the start."))
    max_places_per_registration = forms.IntegerField(label=_("Places per registration"), min_value=1, max_value=20,
                                                     initial=4, help_text=_("For example 4 for a family."))
    questions = forms.CharField(label=_("Questions to people registering"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}),
                                help_text=_("One question per line, e.g. “Do you need a vegetarian meal?”"))

    def __init__(self, *args: Any, user: Any, suggestion: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        organisation = self.fields["organisation"]
        self.fields["ortsgemeinde"].queryset = Ortsgemeinde.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["category"].queryset = Category.objects.all()  # type: ignore[attr-defined]
        if suggestion:
            from town.models import Organisation

            organisation.queryset = Organisation.objects.filter(is_approved=True).order_by("name")  # type: ignore[attr-defined]
            organisation.empty_label = _("Not an organisation")  # type: ignore[attr-defined]
            for name in ("registration_enabled", "capacity", "registration_closes_at",
                         "max_places_per_registration", "questions"):
                del self.fields[name]
            return
        organisation.queryset = organisations_publishable_by(user)  # type: ignore[attr-defined]
        if getattr(user, "is_town_admin", False):
            organisation.empty_label = _("The town itself")  # type: ignore[attr-defined]
        else:
            organisation.required = True
            organisation.empty_label = None  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, event: Event) -> dict[str, Any]:
        start = event.starts_at.astimezone(TOWN_TZ)
        end = event.ends_at.astimezone(TOWN_TZ)
        data: dict[str, Any] = {field: getattr(event, field) for field in (
            "title", "description", "organisation", "venue", "address", "ortsgemeinde", "category", "image_alt",
            "is_free", "price", "step_free", "hearing_loop", "accessibility", "contact_name", "contact_email",
            "contact_phone", "link", "registration_enabled", "capacity", "registration_closes_at",
            "max_places_per_registration", "questions")}
        data.update(start_date=start.date(), start_time=None if event.all_day else start.time(),
                    end_date=end.date() if end.date() != start.date() else None,
                    end_time=None if event.all_day else end.time())
        if event.registration_closes_at:
            data["registration_closes_at"] = event.registration_closes_at.astimezone(TOWN_TZ)
        return data

    def clean_image(self) -> Any:
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "content_type"):
            image_check(image)
        return image

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first = data.get("start_date")
        if first is None:
            return data
        last = data.get("end_date") or first
        start_time, end_time = data.get("start_time"), data.get("end_time")
        if start_time is None:
            data["all_day"] = True
            data["starts_at"] = datetime.datetime.combine(first, datetime.time.min, tzinfo=TOWN_TZ)
            data["ends_at"] = datetime.datetime.combine(last, datetime.time.min, tzinfo=TOWN_TZ)
        else:
            data["all_day"] = False
            data["starts_at"] = datetime.datetime.combine(first, start_time, tzinfo=TOWN_TZ)
            if end_time is None:
                end_time = (datetime.datetime.combine(first, start_time) + datetime.timedelta(hours=2)).time()
                if end_time < start_time and last == first:
                    end_time = datetime.time(23, 59)
            data["ends_at"] = datetime.datetime.combine(last, end_time, tzinfo=TOWN_TZ)
        if data["ends_at"] < data["starts_at"]:
            self.add_error("end_date" if last < first else "end_time", _("The event cannot end before it starts."))
        try:
            data["rrule"] = recurrence.rule_build(data.get("repeat") or "", data["starts_at"], data.get("repeat_until"))
        except forms.ValidationError as error:
            self.add_error("repeat", error.messages[0] if hasattr(error, "messages") else str(error))
        if data.get("repeat_until") and data["repeat_until"] < first:
            self.add_error("repeat_until", _("The series cannot end before its first date."))
        return data

    def service_data(self) -> dict[str, Any]:
        """The cleaned values as the services take them."""
        data = dict(self.cleaned_data)
        for name in ("start_date", "start_time", "end_date", "end_time", "repeat", "repeat_until"):
            data.pop(name, None)
        if not data.get("image"):
            data.pop("image", None)
        return data


class RegistrationForm(forms.Form):
    places = forms.IntegerField(label=_("How many places?"), min_value=1, initial=1)

    def __init__(self, *args: Any, event: Event, dates: Sequence[tuple[datetime.date, str]] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        if event.rrule:
            # A series: each date has its own places and waiting list.
            self.fields["day"] = forms.TypedChoiceField(
                label=_("Which date?"), choices=[(day.isoformat(), label) for day, label in dates],
                coerce=datetime.date.fromisoformat, error_messages={
                    "invalid_choice": _("Registration for this date is not possible (any more).")})
            self.order_fields(["day", "places"])
        self.fields["places"].max_value = event.max_places_per_registration  # type: ignore[attr-defined]
        self.fields["places"].widget.attrs["max"] = event.max_places_per_registration
        self.fields["places"].help_text = _("Up to %(max)d, e.g. for your family.") % {
            "max": event.max_places_per_registration}
        self.questions = event.question_list
        for number, question in enumerate(self.questions):
            self.fields[f"question_{number}"] = forms.CharField(label=question, required=False, max_length=500)

    def answers(self) -> dict[str, str]:
        return {question: self.cleaned_data.get(f"question_{n}", "") for n, question in enumerate(self.questions)}


class CancelDateForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DATE_WIDGET)


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=150)
    text = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000)


class VenueForm(forms.ModelForm):
    class Meta:
        model = Venue
        fields = ["name", "street", "postal_code", "locality", "ortsgemeinde", "latitude", "longitude", "step_free"]
        help_texts = {"latitude": _("For the map, e.g. 50.7354"), "longitude": _("For the map, e.g. 7.8786")}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["ortsgemeinde"].queryset = Ortsgemeinde.objects.order_by("name")  # type: ignore[attr-defined]
