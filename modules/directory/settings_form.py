"""The town's settings for the directory (stored per town as the module's JSON config)."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

_PLACEHOLDERS = ("{z}", "{x}", "{y}")


class DirectorySettingsForm(forms.Form):
    """Without a tile server the directory shows no map at all; with one, Leaflet draws it (vendored, no CDN)."""

    tile_url_template = forms.CharField(
        label=_("Map tile server"),
        required=False,
        max_length=300,
        help_text=_(
            "Address of the map tiles with {z}, {x} and {y}, e.g. https://tiles.example.org/{z}/{x}/{y}.png. "
            "Use a server you are allowed to use. Leave empty to show no map."
        ),
    )
    attribution = forms.CharField(
        label=_("Map attribution"),
        required=False,
        max_length=200,
        help_text=_("Credit required by the tile server, e.g. © OpenStreetMap contributors."),
    )

    def clean_tile_url_template(self) -> str:
        value = self.cleaned_data["tile_url_template"].strip()
        if not value:
            return ""
        if not re.match(r"^https://[^\s\"'<>]+$", value):
            raise forms.ValidationError(_("Enter an https:// address without spaces or quotes."))
        if not all(placeholder in value for placeholder in _PLACEHOLDERS):
            raise forms.ValidationError(_("The address must contain {z}, {x} and {y}."))
        return value

    def clean(self) -> dict:
        data = super().clean()
        if data.get("tile_url_template") and not (data.get("attribution") or "").strip():
            self.add_error("attribution", _("Tile servers require a credit; please enter it."))
        return data
