"""Back-office forms for people, invitations and organisations."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from town.forms import CleanImageField
from town.models import InvitationRole, MembershipRole, Organisation, OrganisationKind, Ortsgemeinde


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
    role = forms.ChoiceField(label=_("Role"), choices=InvitationRole.choices, initial=InvitationRole.EDITOR)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=_("– a new organisation (enter its name below) –"),
        help_text=_("Only for editors: the organisation they will write for."),
    )
    new_organisation_name = forms.CharField(
        label=_("Or a new organisation: its name"), required=False, max_length=150,
        help_text=_("For example “Musikverein Kausen”. It is created with the invitation."),
    )
    new_organisation_kind = forms.ChoiceField(
        label=_("Kind of the new organisation"), choices=OrganisationKind.choices, initial=OrganisationKind.VEREIN,
        required=False,
    )
    ortsgemeinde = forms.ModelChoiceField(
        label=_("Ortsgemeinde"),
        queryset=Ortsgemeinde.objects.order_by("name"),
        required=False,
        help_text=_("Only for editors of an Ortsgemeinde: the village they will publish official news for."),
    )

    def clean(self) -> dict:
        data = super().clean()
        role = data.get("role")
        new_name = (data.get("new_organisation_name") or "").strip()
        if role == InvitationRole.EDITOR:
            if data.get("organisation") and new_name:
                self.add_error("new_organisation_name", _("Choose an organisation or enter a new one, not both."))
            elif not data.get("organisation") and not new_name:
                self.add_error("organisation", _("Choose the organisation the editor will write for."))
            elif new_name and Organisation.objects.filter(name__iexact=new_name).exists():
                self.add_error("new_organisation_name",
                               _("An organisation with this name already exists: choose it from the list."))
        if role == InvitationRole.VILLAGE and not data.get("ortsgemeinde"):
            self.add_error("ortsgemeinde", _("Choose the Ortsgemeinde the person will speak for."))
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
        help_texts = {"slug": _("Lower-case letters, digits and hyphens; used in the address of the profile page. "
                                "Leave empty: it is made from the name.")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["kind"].choices = OrganisationKind.choices
        self.fields["ortsgemeinde"].empty_label = _("Whole town")

    def clean_slug(self) -> str:
        return (self.cleaned_data.get("slug") or "").lower()

