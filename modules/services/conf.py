"""The town's settings of the services module (stored per town, read with core.modules.module_settings).

Kept apart from forms.py because apps.py imports it before the models load.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

# §973 BGB: six months after the find was reported, the finder (here the town) owns what nobody claimed.
FOUND_ITEM_DAYS_DEFAULT = 183


class ServicesSettingsForm(forms.Form):
    found_item_days = forms.IntegerField(
        label=_("Days a found item stays listed"), min_value=7, max_value=3650, initial=FOUND_ITEM_DAYS_DEFAULT,
        help_text=_("Counted from the day it was found. The legal period is usually six months (183 days)."),
    )
