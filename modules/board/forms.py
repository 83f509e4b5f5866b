"""Forms of the Pinnwand. The services check everything again; these explain mistakes early."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from modules.board.models import ALT_MAX_LENGTH, COMMENT_MAX_LENGTH, MAX_PHOTOS, TEXT_MAX_LENGTH, Post, Topic
from modules.board.services import TARGET_ORTSGEMEINDE, TARGET_TOWN
from town.models import Ortsgemeinde
from town.widgets import QuickSelect

_IMAGE_TYPES = "image/jpeg,image/png,image/webp,image/gif"


class PostForm(forms.Form):
    """Writing or editing a post: text, topic, who sees it, and up to four photos, each with its description."""

    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.none(), empty_label=_("Choose a topic"))
    text = forms.CharField(
        label=_("Your post"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Plain text, at most %(max)d characters. Links are shown as text.") % {"max": TEXT_MAX_LENGTH},
    )
    target = forms.ChoiceField(label=_("Who should see it?"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, user: Any, home: Ortsgemeinde | None, post: Post | None = None,
                 **kwargs: Any) -> None:
        if post is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "topic": post.topic_id, "text": post.text,
                "target": TARGET_ORTSGEMEINDE if post.ortsgemeinde_id else TARGET_TOWN,
            }
        super().__init__(*args, **kwargs)
        self.post = post
        self.fields["topic"].queryset = Topic.objects.order_by("position", "name")
        choices = [(TARGET_TOWN, _("The whole town"))]
        if home is not None:
            choices.insert(0, (TARGET_ORTSGEMEINDE, _("Residents of %(place)s") % {"place": home.name}))
        self.fields["target"].choices = choices
        self.fields["target"].initial = self.initial.get("target", choices[0][0])
        if home is None:
            self.fields["target"].help_text = _(
                "Choose your Ortsgemeinde in your profile to post for your neighbours only."
            )
        existing = list(post.photos.all()) if post is not None else []
        if existing:
            self.fields["remove_photos"] = forms.TypedMultipleChoiceField(
                label=_("Remove photos"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple,
                choices=[(photo.pk, photo.alt) for photo in existing],
            )
        # One file field and one description per photo: works without JavaScript, and each photo gets its alt text.
        self.photo_numbers = list(range(1, MAX_PHOTOS - len(existing) + 1))
        for number in self.photo_numbers:
            self.fields[f"photo_{number}"] = forms.FileField(
                label=_("Photo %(number)d") % {"number": number}, required=False,
                widget=forms.ClearableFileInput(attrs={"accept": _IMAGE_TYPES}),
                help_text=_("JPEG, PNG, WebP or GIF. Location and camera data are removed."),
            )
            self.fields[f"alt_{number}"] = forms.CharField(
                label=_("What photo %(number)d shows") % {"number": number}, required=False,
                max_length=ALT_MAX_LENGTH, help_text=_("Required with a photo, for people who can't see it."),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for number in self.photo_numbers:
            if data.get(f"photo_{number}") and not (data.get(f"alt_{number}") or "").strip():
                self.add_error(f"alt_{number}", _("Please describe what the photo shows, for people who can't see it."))
        return data

    def photos(self) -> list[tuple[Any, str]]:
        data = self.cleaned_data
        return [(data.get(f"photo_{number}"), data.get(f"alt_{number}") or "") for number in self.photo_numbers]

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {"topic": data["topic"], "text": data["text"], "target": data["target"], "photos": self.photos()}
        if "remove_photos" in self.fields:
            values["remove_photo_ids"] = data.get("remove_photos") or []
        return values


class PostFilterForm(forms.Form):
    """Filters above the list. Unknown values are ignored, never an error page."""

    topic = forms.ChoiceField(label=_("Topic"), required=False, widget=QuickSelect)
    ortsgemeinde = forms.ChoiceField(label=_("For"), required=False, widget=QuickSelect)

    def __init__(self, *args: Any, topics: list[Topic], ortsgemeinden: list[Ortsgemeinde], **kwargs: Any) -> None:
        from modules.board.selectors import TOWN_WIDE

        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("All topics"))] + [(t.slug, t.name) for t in topics]
        self.fields["ortsgemeinde"].choices = (
            [("", _("Everything I can see")), (TOWN_WIDE, _("The whole town only"))]
            + [(o.slug, o.name) for o in ortsgemeinden]
        )


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Your comment"), max_length=COMMENT_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 3}))
