"""Form helpers shared by the platform and its modules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.search import QUERY_MAX_LENGTH


def apply_service_errors(form: Any, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: field errors at their field, the rest at the top.

    Services validate the rules forms can't see (rights, state, limits); the
    view puts their refusal where the person will read it.
    """
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class SiteSearchForm(forms.Form):
    """The site-wide search box (/suche/): one text field, length-limited."""

    q = forms.CharField(
        label=_("Search the whole site"), required=False, max_length=QUERY_MAX_LENGTH,
        error_messages={"max_length": _("Please search with at most %(limit_value)d characters.")},
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. Feuerwehr, Bäcker, Fahrrad")}),
    )


class RichTextarea(forms.Textarea):
    """A textarea for formatted text (news, event descriptions) that core/richtext.js turns into an editor.

    Without JavaScript it stays a plain textarea (plain text or simple HTML both work); with it,
    the stored HTML opens formatted, with a toolbar of labelled buttons. The labels travel as
    data attributes so the script needs no translations of its own. The server still sanitises
    whatever arrives (nh3): the editor only makes writing easier, never safer.
    """

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        labels = {
            "data-richtext": "",
            "data-label-toolbar": _("Text format"),
            "data-label-bold": _("Bold"),
            "data-label-italic": _("Italic"),
            "data-label-heading": _("Heading"),
            "data-label-paragraph": _("Normal text"),
            "data-label-ulist": _("List"),
            "data-label-olist": _("Numbered list"),
            "data-label-link": _("Link"),
            "data-label-link-prompt": _("Address of the link (for example https://www.example.org):"),
        }
        super().__init__({**labels, **(attrs or {})})
