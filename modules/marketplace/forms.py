from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modules.marketplace.models import (
    DESCRIPTION_MAX_LENGTH,
    MAX_PHOTOS,
    MESSAGE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Category,
    Listing,
    ListingKind,
    ListingType,
    PriceMode,
)
from modules.marketplace.money import cents_to_input, euros_to_cents
from modules.marketplace.services import DEFAULT_EXPIRY_DAYS, MAX_EXPIRY_DAYS
from town.models import Ortsgemeinde
from town.people_selectors import organisations_publishable_by
from town.widgets import QuickSelect


class SearchInput(forms.TextInput):
    input_type = "search"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one <input type="file" multiple>; cleaned to a list (maybe empty)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _end_of_day(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59)))


class ListingForm(forms.Form):
    """Posting or editing a listing. The services check everything again; this form explains mistakes early."""

    kind = forms.ChoiceField(label=_("I am"), choices=ListingKind.choices, widget=forms.RadioSelect)
    listing_type = forms.ChoiceField(label=_("Type"), choices=ListingType.choices)
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    description = forms.CharField(
        label=_("Description"), max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain text. Please don't write your phone number or e-mail address here: "
                    "people contact you through the site."),
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    price_mode = forms.ChoiceField(
        label=_("Price"), choices=PriceMode.choices, widget=forms.RadioSelect, initial=PriceMode.NONE,
        help_text=_("“Give away” is always free."),
    )
    price = forms.CharField(label=_("Amount in euros"), required=False, max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    ortsgemeinde = forms.ModelChoiceField(label=_("Ortsgemeinde"), queryset=Ortsgemeinde.objects.none(),
                                          required=False)
    organisation = forms.ModelChoiceField(label=_("Post as"), queryset=None, required=False)
    expires_on = forms.DateField(
        label=_("Visible until"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        help_text=_("At most %(days)d days from today.") % {"days": MAX_EXPIRY_DAYS},
    )
    photos = MultipleFileField(
        label=_("Photos"), required=False,
        help_text=_("Up to %(max)d photos (JPEG, PNG, WebP or GIF).") % {"max": MAX_PHOTOS},
    )
    photo_alt = forms.CharField(
        label=_("What the photos show"), required=False, max_length=200,
        help_text=_("For people who cannot see the photos."),
    )
    remove_photos = forms.TypedMultipleChoiceField(
        label=_("Remove photos"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, user: Any, listing: Listing | None = None, **kwargs: Any) -> None:
        if listing is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "kind": listing.kind, "listing_type": listing.listing_type, "title": listing.title,
                "description": listing.description, "category": listing.category_id,
                "price_mode": listing.price_mode, "price": cents_to_input(listing.price_cents),
                "ortsgemeinde": listing.ortsgemeinde_id, "organisation": listing.organisation_id,
                "expires_on": timezone.localdate(listing.expires_at),
            }
        super().__init__(*args, **kwargs)
        self.listing = listing
        self.fields["category"].queryset = Category.objects.all()
        self.fields["category"].empty_label = _("Choose a category")
        self.fields["ortsgemeinde"].queryset = Ortsgemeinde.objects.order_by("name")
        self.fields["ortsgemeinde"].empty_label = _("Whole town")
        organisations = organisations_publishable_by(user)
        if listing is not None or not organisations.exists():
            # The author of an existing listing stays as it is.
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations
            self.fields["organisation"].empty_label = _("Myself, as a private person")
        if not self.is_bound and listing is None:
            self.initial.setdefault("expires_on", timezone.localdate() + timedelta(days=DEFAULT_EXPIRY_DAYS))
        if listing is not None and listing.pk:
            self.fields["remove_photos"].choices = [(photo.pk, photo.alt) for photo in listing.photos.all()]
        else:
            del self.fields["remove_photos"]

    def clean_price(self) -> int | None:
        text = self.cleaned_data.get("price", "")
        if not text.strip():
            return None
        return euros_to_cents(text)

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if day < today:
            raise ValidationError(_("This date has passed. Choose a day in the future."))
        if day > today + timedelta(days=MAX_EXPIRY_DAYS):
            raise ValidationError(_("A listing can stay online for at most %(days)d days.") % {"days": MAX_EXPIRY_DAYS})
        return day

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {
            "kind": data["kind"], "listing_type": data["listing_type"], "title": data["title"],
            "description": data["description"], "category": data["category"], "price_mode": data["price_mode"],
            "price_cents": data["price"], "ortsgemeinde": data["ortsgemeinde"],
            "expires_at": _end_of_day(data["expires_on"]), "photos": data["photos"], "photo_alt": data["photo_alt"],
        }
        if "organisation" in self.fields:
            values["organisation"] = data["organisation"]
        if "remove_photos" in self.fields:
            values["remove_photo_ids"] = data["remove_photos"]
        return values


class ListingFilterForm(forms.Form):
    """Search and filters above the list. Unknown values are ignored, never an error page."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200,
                        widget=SearchInput(attrs={"placeholder": _("e.g. Kinderwagen")}))
    kind = forms.ChoiceField(label=_("Offer or request"), required=False, widget=QuickSelect)
    listing_type = forms.ChoiceField(label=_("Type"), required=False, widget=QuickSelect)
    category = forms.ChoiceField(label=_("Category"), required=False, widget=QuickSelect)
    ortsgemeinde = forms.ChoiceField(label=_("Ortsgemeinde"), required=False, widget=QuickSelect)
    free = forms.BooleanField(label=_("Only free things"), required=False)

    def __init__(self, *args: Any, categories: list[Category], ortsgemeinden: list[Ortsgemeinde], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Offers and requests"))] + list(ListingKind.choices)
        self.fields["listing_type"].choices = [("", _("All types"))] + list(ListingType.choices)
        self.fields["category"].choices = [("", _("All categories"))] + [(c.slug, c.name) for c in categories]
        self.fields["ortsgemeinde"].choices = [("", _("All Ortsgemeinden"))] + [(o.slug, o.name) for o in ortsgemeinden]


class ContactForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"), max_length=MESSAGE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("We forward your message by e-mail. Your e-mail address stays hidden; "
                    "the answer reaches you the same way."),
    )


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your answer"), max_length=MESSAGE_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 6}))


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=MESSAGE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent to the owner by e-mail."),
    )
