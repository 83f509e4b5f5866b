"""Forms of the town's places: the two uploads, and AddressField, the typed-address input any module may use."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from town.places import BOUNDARY_MAX_BYTES, STREETS_MAX_BYTES, names_list
from town.places_selectors import AddressMatch, address_matches


class AddressField(forms.CharField):
    """A typed address ("Hauptstraße 5, Elkenroth"), cleaned to an :class:`AddressMatch`.

    Every form that lets a resident pick a place on a map offers this field too: it is the way
    for anyone who can't or won't use the map. ``ortsgemeinde_id`` limits it to one village.
    """

    default_error_messages = {
        "unknown": _("We don't know this street. Please check the spelling, for example “Hauptstraße 5, Elkenroth”."),
        "ambiguous": _("There is a street of this name in %(places)s. Please add the place, for example "
                       "“%(example)s”."),
    }

    def __init__(self, *, ortsgemeinde_id: int | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("label", _("Address"))
        kwargs.setdefault("help_text",
                          _("Street and house number, and the place if you like: “Hauptstraße 5, Elkenroth”."))
        super().__init__(**kwargs)
        self.ortsgemeinde_id = ortsgemeinde_id
        self.widget.attrs.setdefault("autocomplete", "street-address")

    def clean(self, value: Any) -> AddressMatch | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        matches = address_matches(text, ortsgemeinde_id=self.ortsgemeinde_id)
        if not matches:
            raise ValidationError(self.error_messages["unknown"], code="unknown")
        if len(matches) > 1:
            places = [m.ortsgemeinde.name for m in matches]
            first = matches[0]
            raise ValidationError(self.error_messages["ambiguous"], code="ambiguous", params={
                "places": names_list(places),
                "example": f"{first.street.name} {first.number}, {first.ortsgemeinde.name}".replace(" ,", ","),
            })
        return matches[0]


def _read(upload: Any, limit: int) -> bytes:
    if upload.size > limit:
        raise ValidationError(gettext("The file is larger than %(size)s MB.") % {"size": limit // (1024 * 1024)})
    return upload.read()  # type: ignore[no-any-return]


class BoundaryUploadForm(forms.Form):
    file = forms.FileField(
        label=_("GeoJSON file with the boundaries"),
        help_text=_("A FeatureCollection with one area (Polygon or MultiPolygon) per Ortsgemeinde, in WGS 84."),
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,application/geo+json,application/json"}),
    )
    name_property = forms.CharField(
        label=_("Property with the name (optional)"), required=False, max_length=60,
        help_text=_("Leave empty to use “name” or “GEN”."),
    )

    def clean_file(self) -> bytes:
        return _read(self.cleaned_data["file"], BOUNDARY_MAX_BYTES)


class StreetUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file with the streets"),
        help_text=_("One street per line; a header row “Straße;PLZ” is optional. The file replaces the current list."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv,text/plain"}),
    )

    def clean_file(self) -> bytes:
        return _read(self.cleaned_data["file"], STREETS_MAX_BYTES)


class PlaceCheckForm(forms.Form):
    address = AddressField(required=False)
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
