from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from modules.groups.models import (
    ALT_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    NAME_MAX_LENGTH,
    POST_MAX_LENGTH,
    REQUEST_MESSAGE_MAX_LENGTH,
    MemberRole,
    Visibility,
)
from town.models import Organisation, Ortsgemeinde


def _described(field: forms.Field, field_id: str) -> None:
    if field.help_text:
        field.widget.attrs.setdefault("aria-describedby", f"id_{field_id}_helptext")


class GroupFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
    # Choices from the town's list the page already has (no query of the form's own); cleaned to the village.
    ortsgemeinde = forms.ChoiceField(label=_("Ortsgemeinde"), required=False)

    def __init__(self, *args: Any, ortsgemeinden: list[Ortsgemeinde], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._places = {place.slug: place for place in ortsgemeinden}
        self.fields["ortsgemeinde"].choices = [("", _("All Ortsgemeinden"))] + [
            (place.slug, place.name) for place in ortsgemeinden
        ]

    def clean_ortsgemeinde(self) -> Ortsgemeinde | None:
        return self._places.get(self.cleaned_data.get("ortsgemeinde") or "")


class GroupForm(forms.Form):
    # The services check the lengths again, with a message that says by how much.
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX_LENGTH * 2)
    description = forms.CharField(
        label=_("What the group is about"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        max_length=DESCRIPTION_MAX_LENGTH * 2,
    )
    visibility = forms.ChoiceField(label=_("Who can read the group?"), choices=Visibility.choices,
                                   widget=forms.RadioSelect, initial=Visibility.PUBLIC)
    organisation = forms.ModelChoiceField(
        label=_("Run by an organisation"), required=False, queryset=Organisation.objects.none(),
        empty_label=_("No organisation"),
        help_text=_("The managers of the organisation become admins of the group."),
    )
    ortsgemeinde = forms.ModelChoiceField(
        label=_("Ortsgemeinde"), required=False, queryset=Ortsgemeinde.objects.all(),
        empty_label=_("The whole town"),
    )

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations
        _described(self.fields["organisation"], "organisation")


class PostForm(forms.Form):
    text = forms.CharField(label=_("Your post"), widget=forms.Textarea(attrs={"rows": 4}),
                           max_length=POST_MAX_LENGTH * 2, required=False)
    image = forms.ImageField(label=_("Photo (optional)"), required=False)
    image_alt = forms.CharField(
        label=_("Photo description"), required=False, max_length=ALT_MAX_LENGTH * 2,
        help_text=_("Required with a photo: what can be seen on it, for people who can't see it."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _described(self.fields["image_alt"], "image_alt")


class PostEditForm(forms.Form):
    text = forms.CharField(label=_("Your post"), widget=forms.Textarea(attrs={"rows": 6}),
                           max_length=POST_MAX_LENGTH * 2, required=False)
    image_alt = forms.CharField(label=_("Photo description"), required=False, max_length=ALT_MAX_LENGTH * 2)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=COMMENT_MAX_LENGTH * 2, required=False)


class ConfirmForm(forms.Form):
    """An empty POST is refused (400): every action says what it is meant to do."""

    confirm = forms.BooleanField(required=True, widget=forms.HiddenInput)


class JoinRequestForm(ConfirmForm):
    message = forms.CharField(
        label=_("Message to the group admins (optional)"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}), max_length=REQUEST_MESSAGE_MAX_LENGTH * 2,
    )


class NotifyForm(forms.Form):
    notify = forms.ChoiceField(choices=[("on", _("On")), ("off", _("Off"))])


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=MemberRole.choices)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("decline", _("Decline"))])
