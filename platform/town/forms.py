"""Back-office forms of the town admin. They validate and show messages; services.py saves."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from core.images import image_reencode
from town.models import OfficeHour, Ortsgemeinde, TownProfile, hex_colour
from town.services import brand_colours_problems, ortsgemeinde_slug_suggest, postal_codes_normalise


class ImageInput(forms.ClearableFileInput):
    """A file input that shows the current picture as a thumbnail next to a "remove" checkbox."""

    template_name = "town/backoffice/widgets/image_input.html"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__({"accept": "image/png,image/jpeg,image/gif,image/webp", **(attrs or {})})


class CleanImageField(forms.FileField):
    """An image upload that comes out re-encoded (no metadata) and within size and dimension limits.

    Other apps may use it for their own pictures: ``CleanImageField(max_side=1600)``.
    """

    widget = ImageInput

    def __init__(self, *args: Any, max_side: int = 2400, **kwargs: Any) -> None:
        self.max_side = max_side
        kwargs.setdefault(
            "help_text",
            _("PNG, JPEG, GIF or WebP, at most %(mb)s MB. Location and camera data are removed.")
            % {"mb": formats.number_format(settings.MAX_IMAGE_UPLOAD_BYTES / 1024 / 1024, 0)},
        )
        super().__init__(*args, **kwargs)

    def to_python(self, data: Any) -> Any:
        upload = super().to_python(data)
        if upload is None:
            return None
        return image_reencode(upload, max_side=self.max_side)


class ColourInput(forms.TextInput):
    input_type = "color"


class BrandingForm(forms.ModelForm):
    logo = CleanImageField(label=_("Logo or coat of arms"), required=False, max_side=1024)
    header_image = CleanImageField(label=_("Header image"), required=False, max_side=2400)

    class Meta:
        model = TownProfile
        fields = ["name", "tagline", "logo", "header_image", "header_image_alt", "primary_colour", "accent_colour"]
        widgets = {"primary_colour": ColourInput(), "accent_colour": ColourInput()}
        help_texts = {
            "name": _("Shown in the header, the browser tab, the app icon and every e-mail."),
            "header_image_alt": _("What the header image shows, read out to people who cannot see it."),
            "primary_colour": _("Background of the header and colour of links; needs 4.5:1 contrast on white."),
            "accent_colour": _("Background of badges and highlights; text on it needs 4.5:1 contrast."),
        }

    def _colour(self, field: str) -> str:
        # The model's validator runs only after clean(), whose contrast check needs a valid #RRGGBB.
        value = (self.cleaned_data.get(field) or "").lower()
        hex_colour(value)
        return value

    def clean_primary_colour(self) -> str:
        return self._colour("primary_colour")

    def clean_accent_colour(self) -> str:
        return self._colour("accent_colour")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        primary, accent = data.get("primary_colour"), data.get("accent_colour")
        if primary and accent:
            for field, messages in brand_colours_problems(primary=primary, accent=accent).items():
                for message in messages:
                    self.add_error(field, message)
        has_header = data.get("header_image") or (data.get("header_image") is None and self.instance.header_image)
        if has_header and not (data.get("header_image_alt") or "").strip():
            self.add_error("header_image_alt", _("Describe the header image for people who cannot see it."))
        return data


class ContactPersonForm(forms.ModelForm):
    contact_photo = CleanImageField(label=_("Photo of the contact person"), required=False, max_side=600)

    class Meta:
        model = TownProfile
        fields = ["contact_name", "contact_role", "contact_email", "contact_phone", "contact_photo", "contact_hours"]
        help_texts = {
            "contact_name": _("The person residents can turn to. Shown at the bottom of every page."),
            "contact_role": _("For example: Digital guide of the Verbandsgemeinde"),
            "contact_hours": _("For example: Tue and Thu 9–12, Town hall room 104"),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        details = ("contact_email", "contact_phone", "contact_hours")
        if not (data.get("contact_name") or "").strip() and any(data.get(f) for f in details):
            self.add_error("contact_name", _("Name the person these contact details belong to."))
        return data


_PLAIN_TEXT_HELP = _("Plain text. Blank lines start a new paragraph; web and e-mail addresses become links.")


class LegalTextsForm(forms.ModelForm):
    class Meta:
        model = TownProfile
        fields = ["impressum", "privacy_policy", "accessibility_statement"]
        widgets = {
            "impressum": forms.Textarea(attrs={"rows": 14}),
            "privacy_policy": forms.Textarea(attrs={"rows": 20}),
            "accessibility_statement": forms.Textarea(attrs={"rows": 14}),
        }
        help_texts = {"impressum": _PLAIN_TEXT_HELP, "privacy_policy": _PLAIN_TEXT_HELP,
                      "accessibility_statement": _PLAIN_TEXT_HELP}

    def clean(self) -> dict[str, Any]:
        from town.legal_templates import has_gaps

        data = super().clean()
        for name in self.Meta.fields:
            if has_gaps(data.get(name) or ""):
                self.add_error(name, _("The text still has gaps from the template, marked with [bitte ergänzen …]. "
                                       "Fill them in or delete them, then save."))
        return data


class SecurityForm(forms.ModelForm):
    class Meta:
        model = TownProfile
        fields = ["mfa_for_editors"]


class OrtsgemeindeForm(forms.ModelForm):
    logo = CleanImageField(label=_("Logo or coat of arms"), required=False, max_side=512)

    class Meta:
        model = Ortsgemeinde
        fields = ["name", "slug", "postal_codes", "inhabitants", "logo"]
        help_texts = {
            "slug": _("Lower-case letters, digits and hyphens. Leave empty to derive it from the name."),
            "postal_codes": _("Five-digit postal codes, separated by commas, for example 57518, 57520."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["name"].widget.attrs["data-slug-source"] = "id_slug"

    def clean_name(self) -> str:
        return (self.cleaned_data.get("name") or "").strip()

    def clean_postal_codes(self) -> str:
        return postal_codes_normalise(self.cleaned_data.get("postal_codes") or "")

    def clean_slug(self) -> str:
        slug = (self.cleaned_data.get("slug") or "").strip().lower()
        if not slug and self.cleaned_data.get("name"):
            slug = ortsgemeinde_slug_suggest(self.cleaned_data["name"], exclude_pk=self.instance.pk)
        return slug


class OfficeHourForm(forms.ModelForm):
    class Meta:
        model = OfficeHour
        fields = ["weekday", "starts_at", "ends_at", "title", "place", "ortsgemeinde"]
        widgets = {
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ortsgemeinde"].empty_label = _("Whole town")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The end must be later than the start."))
        return cleaned


class ModuleToggleForm(forms.Form):
    action = forms.ChoiceField(choices=[("enable", "enable"), ("disable", "disable")])


class CustomDomainForm(forms.Form):
    """A town's own address to add; tenants.validators.custom_domain_normalise says what it may be."""

    # Longer than a name may be (253): a pasted "https://…/" is trimmed before the length is judged.
    domain = forms.CharField(
        label=_("Your own address"), max_length=300,
        help_text=_("For example digital.vg-musterhausen.de. Your town's website stays where it is; "
                    "choose a name below it that is not used yet."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "inputmode": "url"}),
    )
