"""Forms of the town-side billing pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class SponsorshipSettingsForm(forms.Form):
    enabled = forms.BooleanField(label=_("Local businesses may sponsor entries in this town"), required=False)
    excluded_terms = forms.CharField(
        label=_("Topics never sponsored here (one per line)"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Political advertising is excluded on every Dorfkern town, whatever you enter here."),
    )
    excluded_modules = forms.MultipleChoiceField(
        label=_("Modules that can't have a module patron"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Official news never has a patron."),
    )

    def __init__(self, *args: Any, modules: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["excluded_modules"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = modules or []


class OfferForm(forms.Form):
    """One product's line on the settings page; prefixed with the product key."""

    offered = forms.BooleanField(label=_("Offered"), required=False)
    monthly_price = forms.DecimalField(label=_("Monthly price in euros (net)"), min_value=Decimal("0"),
                                       max_digits=7, decimal_places=2)
    slots = forms.IntegerField(label=_("Number of slots"), min_value=1, max_value=50)

    def monthly_net_cents(self) -> int:
        return int(self.cleaned_data["monthly_price"] * 100)


class PurchaseForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Business"), coerce=int)
    sponsor_text = forms.CharField(label=_("Short text shown with your entry"), max_length=300, required=False)
    invoice_name = forms.CharField(label=_("Name on the invoice"), max_length=150)
    invoice_email = forms.EmailField(label=_("E-mail for invoices and payment notices"))
    address_line = forms.CharField(label=_("Street and number"), max_length=200)
    postal_code = forms.RegexField(label=_("Postal code"), regex=r"^\d{5}$",
                                   error_messages={"invalid": _("Enter a German postal code (5 digits).")})
    city = forms.CharField(label=_("City"), max_length=100)
    vat_id = forms.RegexField(label=_("VAT id (optional)"), regex=r"^DE\d{9}$", required=False,
                              error_messages={"invalid": _("A German VAT id looks like DE123456789.")})

    def __init__(self, *args: Any, organisations: list[tuple[int, str]], modules: list[tuple[str, str]] | None = None,
                 clubs: list[tuple[int, str]] | None = None, targets: list[tuple[int, str]] | None = None,
                 target_label: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = organisations
        # A featured entry points at a place (a category of the directory): asked here, never assumed,
        # so that what is paid for always shows somewhere.
        if targets is not None:
            self.fields["target"] = forms.TypedChoiceField(
                label=target_label or _("Where your entry appears"), coerce=int,
                choices=[("", "---------"), *targets],
                help_text=_("Your entry is shown at the top of this list, labelled “Sponsored”."),
                error_messages={"required": _("Please choose where your entry appears."),
                                "invalid_choice": _("Please choose a place of this town where your entry can appear.")},
            )
            self.order_fields(["organisation", "target"])
        # A Modulpate picks the module, a Vereinspate the club (only this town's, offered ones). Patrons are
        # named, nothing more: no text of their own.
        if modules is not None or clubs is not None:
            del self.fields["sponsor_text"]
        if modules is not None:
            self.fields["module"] = forms.ChoiceField(
                label=_("Module you sponsor"), choices=[("", "---------"), *modules],
                help_text=_("Every page of this module names you as its patron. Official news can't be sponsored."),
                error_messages={"invalid_choice": _("Please choose a module of this town that can be sponsored.")},
            )
            self.order_fields(["organisation", "module"])
        if clubs is not None:
            self.fields["club"] = forms.TypedChoiceField(
                label=_("Club you sponsor"), coerce=int, choices=[("", "---------"), *clubs],
                help_text=_("The club's page names you as its patron, and the club receives a share of your payment."),
                error_messages={"invalid_choice": _("Please choose a club of this town.")},
            )
            self.order_fields(["organisation", "club"])


class PlanForm(forms.Form):
    """The town subscribes to a platform plan; the town itself is the invoice recipient."""

    plan = forms.ChoiceField(label=_("Plan"), widget=forms.RadioSelect)
    invoice_name = forms.CharField(label=_("Name on the invoice"), max_length=150)
    invoice_email = forms.EmailField(label=_("E-mail for invoices"))
    address_line = forms.CharField(label=_("Street and number"), max_length=200)
    postal_code = forms.RegexField(label=_("Postal code"), regex=r"^\d{5}$",
                                   error_messages={"invalid": _("Enter a German postal code (5 digits).")})
    city = forms.CharField(label=_("City"), max_length=100)

    def __init__(self, *args: Any, plans: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["plan"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = plans
