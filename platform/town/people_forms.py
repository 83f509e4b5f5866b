"""Back-office forms for people, invitations and organisations."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from town.forms import CleanImageField
from town.models import InvitationRole, MembershipRole, Organisation, OrganisationKind


class PeopleSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name or e-mail"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("All roles")), *Role.choices, ("editor", _("Editors of organisations"))],
    )


class RoleChangeForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=InvitationRole.choices)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        help_text=_("Only for editors: the organisation they will write for."),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("role") == InvitationRole.EDITOR and not data.get("organisation"):
            self.add_error("organisation", _("Choose the organisation the editor will write for."))
        return data


class MemberAddForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("People without an account in the town get an invitation by e-mail."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices, initial=MembershipRole.EDITOR)

    def __init__(self, *args, can_appoint_managers: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not can_appoint_managers:
            self.fields["role"].choices = [(MembershipRole.EDITOR.value, MembershipRole.EDITOR.label)]


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    # Re-encoded like every other upload: no EXIF (GPS), no original file name, PNG/JPEG/GIF/WebP only.
    logo = CleanImageField(label=_("logo"), required=False, max_side=1024)

    class Meta:
        model = Organisation
        fields = ["name", "slug", "kind", "description", "logo", "website", "email", "phone", "ortsgemeinde"]
        help_texts = {"slug": _("Lower-case letters, digits and hyphens; used in the address of the profile page.")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = OrganisationKind.choices
        self.fields["ortsgemeinde"].empty_label = _("Whole town")

    def clean_slug(self) -> str:
        return self.cleaned_data["slug"].lower()

