from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import RichTextarea
from core.images import image_check
from modules.news.models import Article, Category
from modules.news.services import organisations_writable_by, user_can_write_for, user_writes_for_villages
from town.models import Ortsgemeinde
from town.widgets import QuickSelect


class SearchInput(forms.TextInput):
    input_type = "search"


class ArticleFilterForm(forms.Form):
    """The search box and filters above the news list. Bad values are ignored, never an error page."""

    q = forms.CharField(
        label=_("Search"), required=False, max_length=200,
        widget=SearchInput(attrs={"placeholder": _("e.g. Feuerwehr")}),
    )
    category = forms.ChoiceField(label=_("Category"), required=False, widget=QuickSelect)
    ortsgemeinde = forms.ChoiceField(label=_("Ortsgemeinde"), required=False, widget=QuickSelect)

    ALL = "all"

    def __init__(
        self, *args: Any, categories: list[Category], ortsgemeinden: list[Ortsgemeinde], has_home: bool = False,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories"))] + [(c.slug, c.name) for c in categories]
        # Residents with a village start filtered to it; everyone else starts with all villages.
        first = [("", _("My Ortsgemeinde")), (self.ALL, _("All Ortsgemeinden"))] if has_home else [
            ("", _("All Ortsgemeinden"))
        ]
        self.fields["ortsgemeinde"].choices = first + [(o.slug, o.name) for o in ortsgemeinden]


class ArticleForm(forms.ModelForm):
    """Writing an article. The organisation list only offers what the editor may publish for."""

    class Meta:
        model = Article
        fields = ["title", "teaser", "body", "body_easy", "category", "organisation", "ortsgemeinden", "image",
                  "image_alt"]
        widgets = {
            "body_easy": forms.Textarea(attrs={"rows": 8, "lang": "de"}),
            "teaser": forms.Textarea(attrs={"rows": 3}),
            "body": RichTextarea(attrs={"rows": 14}),
            "ortsgemeinden": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "teaser": _("One or two sentences shown in lists and feeds."),
            "body": _(
                "The buttons above the text make words bold, headings, lists and links. "
                "Without them, a blank line starts a new paragraph."
            ),
            "body_easy": _("Optional, for official news: the same news in Leichte Sprache (easy-to-read German). "
                           "Short sentences, one per line. Readers can switch between the two texts."),
            "ortsgemeinden": _("Leave all unticked to address the whole town."),
            "image_alt": _("Required with an image: what the picture shows, for people who cannot see it."),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        organisation = self.fields["organisation"]
        organisation.queryset = organisations_writable_by(user).order_by("name")
        if user.is_town_admin:
            organisation.required = False
            organisation.empty_label = _("Official news of the town")
        elif user_writes_for_villages(user):
            # An Ortsbürgermeister writes official news for their own village (or for a Verein they belong to).
            organisation.required = False
            organisation.empty_label = _("Official news of my Ortsgemeinde")
        else:
            organisation.required = True
            organisation.empty_label = None
        self.fields["category"].empty_label = _("No category")
        self.fields["ortsgemeinden"].queryset = Ortsgemeinde.objects.order_by("name")

    def clean_image(self):
        image = self.cleaned_data.get("image")
        # Only a new upload needs checking (False means "remove", an existing file is already clean).
        if image and hasattr(image, "content_type"):
            image_check(image)
        return image

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            not self.user.is_town_admin
            and "organisation" in data
            and data.get("organisation") is None
            and user_writes_for_villages(self.user)
            and not user_can_write_for(self.user, None, list(data.get("ortsgemeinden") or []))
        ):
            self.add_error("ortsgemeinden", _(
                "You publish official news only for your own Ortsgemeinde: tick it, and no other village."
            ))
        image = data.get("image")
        has_image = bool(image) if image is not None else bool(self.instance.image)
        if has_image and not (data.get("image_alt") or "").strip():
            self.add_error("image_alt", _("Describe the image for people who cannot see it."))
        return data


class ArticlePublishForm(forms.Form):
    """Publish now (empty date) or schedule for a date in the future."""

    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
        help_text=_("Leave empty to publish now."),
    )

    def clean_publish_at(self):
        value = self.cleaned_data.get("publish_at")
        if value is not None and value < timezone.now() - timedelta(minutes=1):
            raise forms.ValidationError(_("This time has passed. Leave the field empty to publish now."))
        return value
