"""More interface languages: each is offered only once its catalogues are translated far enough; Arabic is
laid out right to left."""

from __future__ import annotations

import pytest

from core.languages import translated_share

pytestmark = pytest.mark.django_db


def test_german_is_the_complete_reference_and_arabic_has_only_a_start():
    assert translated_share("de") == 1.0
    assert 0 < translated_share("ar") < 0.05
    assert translated_share("tr") == 0.0


def test_an_untranslated_language_is_neither_offered_nor_taken_from_the_browser(client_a):
    page = client_a.get("/", HTTP_ACCEPT_LANGUAGE="tr-TR,tr;q=0.9,en;q=0.8").content.decode()

    # The browser's next preference that is translated: English.
    assert '<html lang="en" dir="ltr">' in page
    assert 'value="tr"' not in page and 'value="ar"' not in page and 'value="de"' in page


def test_a_language_chosen_before_it_was_translated_falls_back(client_a):
    client_a.cookies["django_language"] = "uk"

    page = client_a.get("/", HTTP_ACCEPT_LANGUAGE="").content.decode()

    assert '<html lang="de" dir="ltr">' in page


def test_arabic_once_translated_enough_is_offered_and_right_to_left(client_a, settings):
    settings.UI_LANGUAGE_MIN_TRANSLATED = 0.001  # what a finished Arabic catalogue would reach

    page = client_a.get("/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()

    assert '<html lang="ar" dir="rtl">' in page and "انتقل إلى المحتوى" in page
    assert '<option value="ar" lang="ar" selected>العربيّة</option>' in page
    assert 'value="tr"' not in page  # still untranslated
