"""The town's settings for the Mitteilungsblatt (module_settings("bulletin")); import-safe before the models load."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

WEEKLY = "weekly"
MONTHLY = "monthly"


class BulletinSettingsForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("How often an issue appears"), initial=WEEKLY,
        choices=((WEEKLY, _("Every week")), (MONTHLY, _("Every month"))),
        help_text=_("A new issue collects what was published since the last one: a week or a month."),
    )
    page_limit = forms.IntegerField(
        label=_("Most pages an issue may have"), initial=12, min_value=1, max_value=200,
        help_text=_("What your printer prints for the agreed price. A longer issue is not published; "
                    "shorten or leave out items."),
    )
    days_ahead = forms.IntegerField(
        label=_("Dates of the next days"), initial=14, min_value=0, max_value=60,
        help_text=_("Events, meetings and notices of this many days after the issue appear in it."),
    )
