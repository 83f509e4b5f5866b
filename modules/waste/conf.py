"""The town's settings of the Abfallkalender (stored per town, validated by WasteSettingsForm)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.modules import module_settings

# The Länder as the holidays library names them (ISO 3166-2:DE without the "DE-").
LAENDER = [
    ("BW", "Baden-Württemberg"), ("BY", "Bayern"), ("BE", "Berlin"), ("BB", "Brandenburg"), ("HB", "Bremen"),
    ("HH", "Hamburg"), ("HE", "Hessen"), ("MV", "Mecklenburg-Vorpommern"), ("NI", "Niedersachsen"),
    ("NW", "Nordrhein-Westfalen"), ("RP", "Rheinland-Pfalz"), ("SL", "Saarland"), ("SN", "Sachsen"),
    ("ST", "Sachsen-Anhalt"), ("SH", "Schleswig-Holstein"), ("TH", "Thüringen"),
]


class WasteSettingsForm(forms.Form):
    land = forms.ChoiceField(
        label=_("Federal state (for public holidays)"), choices=LAENDER, initial="RP",
        help_text=_("Pickups that fall on a public holiday of this state move to a later day."),
    )


def land_get() -> str:
    """The current town's Land, e.g. "RP"."""
    return str(module_settings("waste")["land"] or "RP")
