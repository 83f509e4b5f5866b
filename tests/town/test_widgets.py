"""QuickSelect writes exactly the HTML of Django's Select (filter forms on every list page use it)."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.utils.translation import gettext_lazy as _

from town.widgets import QuickSelect

CHOICES: list[tuple[Any, Any]] = [("", _("All Ortsgemeinden")), ("all", "Alle"), ("a&b", "Au <Sieg>"), (3, "Drei"),
                                  (None, "Nichts")]


def _form(widget: type[forms.Select], data: dict[str, Any] | None, **field: Any) -> forms.Form:
    form_class = type("F", (forms.Form,), {"place": forms.ChoiceField(choices=CHOICES, required=False,
                                                                     widget=widget(attrs={"class": "x"}), **field)})
    form = form_class(data)
    if data is not None:
        form.is_valid()
    return form


@pytest.mark.parametrize("data", [None, {}, {"place": "a&b"}, {"place": "3"}, {"place": "unknown"}, {"place": ""}])
def test_a_quick_select_shows_the_same_html_as_djangos_select(data):
    assert str(_form(QuickSelect, data)["place"]) == str(_form(forms.Select, data)["place"])


def test_a_quick_select_with_option_groups_falls_back_to_djangos_template():
    grouped = [("Nord", [("1", "Eins"), ("2", "Zwei")]), ("3", "Drei")]
    quick = QuickSelect(choices=grouped).render("n", "2", {"required": True, "disabled": False})
    plain = forms.Select(choices=grouped).render("n", "2", {"required": True, "disabled": False})
    assert quick == plain
