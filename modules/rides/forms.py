"""Forms of Mitfahren. They only parse input; the rules live in services."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from modules.rides.geo import KM_PER_MINUTE
from modules.rides.models import MAX_DETOUR_KM, MAX_SEATS, Stop, StopKind
from town.widgets import QuickSelect

WEEKDAYS = [(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")), (4, _("Friday")),
            (5, _("Saturday")), (6, _("Sunday"))]
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
MAX_DETOUR_MINUTES = int(MAX_DETOUR_KM / KM_PER_MINUTE)


class _StopListIterator(ModelChoiceIterator):
    """The choices from the field's list of stops: a page with four stop selects reads them once, not four times."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for stop in self.field.stops:
            yield self.choice(stop)

    def __len__(self) -> int:
        return len(self.field.stops) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self.field.stops)


class StopChoiceField(forms.ModelChoiceField):
    """A stop from the town's cached list (stop_list): no query to render the select nor to check the answer."""

    iterator = _StopListIterator
    widget = QuickSelect

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stops: list[Stop] = []

    def use_stops(self, stops: list[Stop]) -> None:
        self.stops = stops
        self.queryset = Stop.objects.filter(pk__in=[stop.pk for stop in stops])  # for anything that asks for it
        self.widget.choices = self.choices

    def label_from_instance(self, obj: Stop) -> str:
        if obj.ortsgemeinde and obj.ortsgemeinde.name not in obj.name:
            return f"{obj.name} ({obj.ortsgemeinde.name})"
        return obj.name

    def to_python(self, value: Any) -> Stop | None:
        if value in self.empty_values:
            return None
        if isinstance(value, Stop):
            value = value.pk
        found = next((stop for stop in self.stops if str(stop.pk) == str(value)), None)
        if found is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return found

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)


def _stops() -> list[Stop]:
    from modules.rides.selectors import stop_list

    return stop_list()


class RideForm(forms.Form):
    from_stop = StopChoiceField(label=_("From"), queryset=Stop.objects.none(), required=False,
                                empty_label=_("A point on the map (below)"))
    from_lat = forms.FloatField(label=_("Start: latitude"), required=False, min_value=-90, max_value=90)
    from_lon = forms.FloatField(label=_("Start: longitude"), required=False, min_value=-180, max_value=180)
    to_stop = StopChoiceField(label=_("Where to"), queryset=Stop.objects.none(), required=False,
                              empty_label=_("A point on the map (below)"))
    to_lat = forms.FloatField(label=_("Destination: latitude"), required=False, min_value=-90, max_value=90)
    to_lon = forms.FloatField(label=_("Destination: longitude"), required=False, min_value=-180, max_value=180)
    date = forms.DateField(label=_("On this date"), required=False, widget=_DATE,
                           help_text=_("For a one-off ride. For a regular ride, tick the weekdays instead."))
    weekdays = forms.TypedMultipleChoiceField(label=_("Every week on"), choices=WEEKDAYS, coerce=int, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    time = forms.TimeField(label=_("Departure time"), widget=_TIME)
    return_time = forms.TimeField(label=_("Return time (optional)"), required=False, widget=_TIME)
    flex_minutes = forms.IntegerField(label=_("I can be flexible by (minutes either way)"), initial=30, min_value=0,
                                      max_value=180)
    seats = forms.IntegerField(label=_("Seats"), initial=1, min_value=1, max_value=MAX_SEATS,
                               error_messages={"min_value": _("Please give between 1 and 8 seats."),
                                               "max_value": _("Please give between 1 and 8 seats.")})
    detour = forms.FloatField(label=_("Detour I accept"), initial=5, min_value=0, required=False)
    detour_unit = forms.ChoiceField(label=_("Detour in"), choices=[("km", _("kilometres")), ("min", _("minutes"))],
                                    initial="km")
    instant_booking = forms.BooleanField(label=_("Seats can be booked without asking me first"), required=False)
    luggage = forms.BooleanField(label=_("Room for luggage or shopping"), required=False)
    wheelchair = forms.BooleanField(label=_("A folded wheelchair or walker fits"), required=False)
    child_seat = forms.BooleanField(label=_("Child seat available"), required=False)
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=500, widget=forms.Textarea(
        attrs={"rows": 3}))

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        stops = _stops()
        self.fields["from_stop"].use_stops(stops)
        self.fields["to_stop"].use_stops(stops)
        if kind == "offer":
            del self.fields["flex_minutes"]
            self.fields["seats"].label = _("Free seats")
        else:
            for name in ("detour", "detour_unit", "instant_booking", "return_time"):
                del self.fields[name]
            self.fields["seats"].label = _("Seats I need")
            self.fields["luggage"].label = _("I have luggage or shopping")
            self.fields["wheelchair"].label = _("I bring a folded wheelchair or walker")
            self.fields["child_seat"].label = _("I need a child seat")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.kind == "offer":
            detour = data.get("detour") or 0
            if data.get("detour_unit") == "min":
                if detour > MAX_DETOUR_MINUTES:
                    self.add_error("detour", _("A detour can be at most %(max)d minutes.") % {
                        "max": MAX_DETOUR_MINUTES})
                detour = detour * KM_PER_MINUTE
            elif detour > MAX_DETOUR_KM:
                self.add_error("detour", _("A detour can be at most %(max)d km.") % {"max": MAX_DETOUR_KM})
            data["detour_km"] = detour
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = ["from_stop", "from_lat", "from_lon", "to_stop", "to_lat", "to_lon", "date", "weekdays", "time",
                 "seats", "luggage", "wheelchair", "child_seat", "note"]
        if self.kind == "offer":
            names += ["return_time", "detour_km", "instant_booking"]
        else:
            names += ["flex_minutes"]
        return {name: data.get(name) for name in names} | {"weekdays": data.get("weekdays") or []}


class SearchForm(forms.Form):
    from_stop = StopChoiceField(label=_("From"), queryset=Stop.objects.none())
    to_stop = StopChoiceField(label=_("Where to"), queryset=Stop.objects.none())
    date = forms.DateField(label=_("Date"), widget=_DATE)
    time = forms.TimeField(label=_("Around"), widget=_TIME)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stops = _stops()
        self.fields["from_stop"].use_stops(stops)
        self.fields["to_stop"].use_stops(stops)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("from_stop") and data.get("from_stop") == data.get("to_stop"):
            self.add_error("to_stop", _("Start and destination are the same place."))
        return data


class BookingForm(forms.Form):
    day = forms.TypedChoiceField(label=_("Day"), coerce=datetime.date.fromisoformat)
    seats = forms.IntegerField(label=_("Seats"), initial=1, min_value=1, max_value=MAX_SEATS)

    def __init__(self, *args: Any, days: list[datetime.date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = [(d.isoformat(), d.strftime("%d.%m.%Y")) for d in days]


class MessageForm(forms.Form):
    text = forms.CharField(label=_("Message"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class ThanksForm(forms.Form):
    text = forms.CharField(label=_("A few words of thanks"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class SavedSearchForm(forms.Form):
    from_stop = StopChoiceField(label=_("From (optional)"), queryset=Stop.objects.none(), required=False,
                                empty_label=_("anywhere"))
    to_stop = StopChoiceField(label=_("Where to"), queryset=Stop.objects.none())
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=[("", _("any day"))] + WEEKDAYS, coerce=int,
                                     required=False, empty_value=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stops = _stops()
        self.fields["from_stop"].use_stops(stops)
        self.fields["to_stop"].use_stops(stops)


class BenchRequestForm(forms.Form):
    direction = forms.ModelChoiceField(label=_("Where do you want to go?"), queryset=Stop.objects.none(),
                                       widget=forms.RadioSelect, empty_label=None,
                                       error_messages={"required": _("Please choose where you want to go.")})
    name = forms.CharField(label=_("Your first name or nickname"), max_length=40)
    phone = forms.CharField(label=_("Your phone number (optional, so the driver can call you)"), max_length=30,
                            required=False)

    def __init__(self, *args: Any, bench: Stop, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        directions = bench.directions.all()
        self.fields["direction"].queryset = directions if directions else Stop.objects.exclude(pk=bench.pk)


class PhoneBenchRequestForm(BenchRequestForm):
    """A Digitallotse types in the request of someone who phoned: the bench is chosen too."""

    bench = forms.ModelChoiceField(label=_("Mitfahrbank"), queryset=Stop.objects.filter(is_bench=True))
    field_order = ["bench", "direction", "name", "phone"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        forms.Form.__init__(self, *args, **kwargs)
        self.fields["direction"].queryset = Stop.objects.order_by("name")
        self.fields["direction"].widget = forms.Select(choices=self.fields["direction"].choices)


class StopForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=StopKind.choices)
    latitude = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180)
    ortsgemeinde = forms.ModelChoiceField(label=_("Ortsgemeinde"), queryset=None, required=False)  # type: ignore[arg-type]
    directions = forms.ModelMultipleChoiceField(label=_("Directions from this bench"), queryset=Stop.objects.none(),
                                                required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from town.models import Ortsgemeinde

        super().__init__(*args, **kwargs)
        self.fields["ortsgemeinde"].queryset = Ortsgemeinde.objects.all()
        self.fields["directions"].queryset = Stop.objects.select_related("ortsgemeinde").order_by("name")


class BusLineForm(forms.Form):
    name = forms.CharField(label=_("Line"), max_length=120, help_text=_("For example “Bürgerbus Gebhardshain”."))
    operator = forms.CharField(label=_("Run by"), max_length=120, required=False)
    phone = forms.CharField(label=_("Phone for bookings"), max_length=40, required=False)
    weekdays = forms.TypedMultipleChoiceField(label=_("Runs on"), choices=WEEKDAYS, coerce=int, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    timetable = forms.CharField(
        label=_("Timetable"), widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One row per stop, in the order the bus calls: the stop's name, a |, then the times of "
                    "each journey. Example: “Gebhardshain Marktplatz | 08:00 13:00”."))
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TransitFeedForm(forms.Form):
    url = forms.URLField(label=_("Address of the GTFS feed (zip)"), max_length=500, required=False,
                         assume_scheme="https",
                         help_text=_("The region's timetable as a GTFS file, for example from your Verkehrsverbund. "
                                     "It is fetched again every night."))
    upload = forms.FileField(label=_("Or upload the GTFS file (zip)"), required=False)


class BusLineSettingsForm(forms.Form):
    seats = forms.IntegerField(label=_("Bookable seats per journey"), min_value=0, max_value=60,
                               help_text=_("0: seats are booked only by phone, outside the platform."))
    dispatchers = forms.CharField(
        label=_("Dispatchers (e-mail addresses)"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("People who take phone bookings for this line, one address per line. They need an account."))


class BusBookingForm(forms.Form):
    """A seat on one journey: a resident's own, or a phone booking a dispatcher enters (name, phone)."""

    trip = forms.IntegerField(widget=forms.HiddenInput)
    day = forms.DateField(label=_("Day"), widget=_DATE)
    from_stop = StopChoiceField(label=_("Get on at"), queryset=Stop.objects.none())
    to_stop = StopChoiceField(label=_("Get off at"), queryset=Stop.objects.none())
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=8, initial=1)

    def __init__(self, *args: Any, stops: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen = list(stops.select_related("ortsgemeinde").order_by("name")) if stops is not None else _stops()
        for name in ("from_stop", "to_stop"):
            self.fields[name].use_stops(chosen)  # type: ignore[attr-defined]


class PhoneBookingForm(BusBookingForm):
    trip = forms.TypedChoiceField(label=_("Journey"), coerce=int, choices=())  # type: ignore[assignment]
    day = forms.DateField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("Passenger's name"), max_length=80)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False,
                           help_text=_("For example: walker, comes back with the 12:30 bus."))

    def __init__(self, *args: Any, journeys: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["trip"].choices = [  # type: ignore[attr-defined]
            (j.trip.pk, f"{j.departs:%H:%M} → {j.trip.headsign}") for j in journeys]
