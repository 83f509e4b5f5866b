"""Forms of the Mitbringdienst. They only parse input; the rules live in services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from town.models import Ortsgemeinde
from town.widgets import QuickSelect

_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def euros_to_cents(value: Decimal | None) -> int | None:
    return None if value is None else int((value * 100).quantize(Decimal(1)))


class EuroField(forms.DecimalField):
    """An amount in euros as people type it: "6,50", "6.50", "1.250,00" or "6,50 €" are all understood."""

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            value = value.replace("€", "").replace("\u00a0", "").replace(" ", "").strip()
            if "," in value:
                # German notation: "." groups thousands, "," separates the cents.
                value = value.replace(".", "").replace(",", ".")
        return super().to_python(value)


def _amount_field(label: str) -> forms.DecimalField:
    return EuroField(
        label=label, required=False, max_digits=7, decimal_places=2,
        help_text=_("In euros, optional. Only a note for the two of you: no money is paid through this website."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


def _shop_choices(shops: list[Any]) -> list[tuple[str, str]]:
    choices = [("", _("Another shop (type its name below)"))]
    for shop in shops:
        label = f"{shop.name} ({shop.ortsgemeinde_name})" if shop.ortsgemeinde_name else shop.name
        choices.append((str(shop.id), label))
    return choices


class _ShopFieldsMixin:
    def _setup_shops(self, shops: list[Any]) -> None:
        if shops:
            self.fields["business"].choices = _shop_choices(shops)
        else:
            # No directory in this town (or switched off): only the free-text shop.
            del self.fields["business"]

    def clean_business(self) -> int | None:
        value = self.cleaned_data.get("business")
        return int(value) if value else None


class ErrandRequestForm(_ShopFieldsMixin, forms.Form):
    items = forms.CharField(
        label=_("What do you need?"), max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One thing per line, e.g. “1 loaf of rye bread”."),
    )
    business = forms.ChoiceField(label=_("Shop from the business directory"), required=False)
    shop_name = forms.CharField(
        label=_("Shop"), max_length=200, required=False,
        help_text=_("Where can the things be bought? E.g. “Bakery Müller in Kausen” or “any pharmacy”."),
    )
    window_start = forms.DateTimeField(label=_("From"), widget=_DATETIME)
    window_end = forms.DateTimeField(label=_("Until"), widget=_DATETIME, help_text=_("At most 7 days ahead."))
    ortsgemeinde = forms.ModelChoiceField(
        label=_("Bring the things to"), queryset=Ortsgemeinde.objects.none(), required=False,
        empty_label=_("– choose your Ortsgemeinde –"),
    )
    note = forms.CharField(
        label=_("Note"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Visible to every neighbour. Don't write your address or phone number here: "
                    "share them in a message once someone has accepted."),
    )
    estimated_amount = _amount_field(_("Estimated amount"))

    def __init__(self, *args: Any, shops: list[Any], ortsgemeinden: list[Ortsgemeinde], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._setup_shops(shops)
        field = self.fields["ortsgemeinde"]
        if ortsgemeinden:
            field.queryset = Ortsgemeinde.objects.filter(pk__in=[o.pk for o in ortsgemeinden]).order_by("name")
            field.required = True
        else:
            del self.fields["ortsgemeinde"]


class TripForm(_ShopFieldsMixin, forms.Form):
    destination = forms.CharField(label=_("Where are you going?"), max_length=120,
                                  help_text=_("A town or a place, e.g. “Betzdorf”."))
    business = forms.ChoiceField(label=_("Shop from the business directory"), required=False)
    shop_name = forms.CharField(label=_("Shop(s)"), max_length=200, required=False,
                                help_text=_("Optional, e.g. “supermarket and pharmacy”."))
    departure_at = forms.DateTimeField(label=_("Departure"), widget=_DATETIME)
    ortsgemeinden = forms.ModelMultipleChoiceField(
        label=_("Ortsgemeinden you can bring things to"), queryset=Ortsgemeinde.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: every Ortsgemeinde."),
    )
    capacity = forms.IntegerField(label=_("How many households can join?"), min_value=1, max_value=10, initial=3)
    note = forms.CharField(label=_("Note"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, shops: list[Any], ortsgemeinden: list[Ortsgemeinde], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._setup_shops(shops)
        if ortsgemeinden:
            self.fields["ortsgemeinden"].queryset = Ortsgemeinde.objects.order_by("name")
        else:
            del self.fields["ortsgemeinden"]


class TripJoinForm(forms.Form):
    items = ErrandRequestForm.base_fields["items"]
    note = forms.CharField(label=_("Note"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    estimated_amount = _amount_field(_("Estimated amount"))


class AcceptForm(forms.Form):
    # A deliberate tick: an accidental or empty POST never commits anybody to a trip to the shop.
    confirm = forms.BooleanField(
        label=_("I am going anyway and will bring these things within the time window."), required=True,
        error_messages={"required": _("Please confirm that you will bring the things.")},
    )


class BoughtForm(forms.Form):
    spent_amount = _amount_field(_("Amount spent"))


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Message"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this request?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4}),
    )


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(required=True, widget=forms.HiddenInput)


class ErrandFilterForm(forms.Form):
    ortsgemeinde = forms.ChoiceField(label=_("Ortsgemeinde"), required=False, widget=QuickSelect)
    shop = forms.ChoiceField(label=_("Shop"), required=False, widget=QuickSelect)

    def __init__(self, *args: Any, ortsgemeinden: list[Ortsgemeinde], shops: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ortsgemeinde"].choices = [("", _("All, my Ortsgemeinde first"))] + [
            (o.slug, o.name) for o in ortsgemeinden
        ]
        self.fields["shop"].choices = [("", _("All shops"))] + [(name, name) for name in shops]
