"""Which interface languages a visitor may choose: German and English always, others once translated.

``settings.LANGUAGES`` lists every language the platform could speak (so Django can switch to it);
``settings.UI_LANGUAGES_ALWAYS`` the complete ones; every other is offered in the language switcher,
and taken from a browser's preferences, only when its compiled catalogues (the ``.mo`` files of the
platform and of every app) translate at least ``settings.UI_LANGUAGE_MIN_TRANSLATED`` of what the German
catalogue translates. A half-translated language would show a page in three languages at once.
The shares are computed once per process from the files on disk (they change only with a deployment).
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

REFERENCE_LANGUAGE = "de"  # the catalogue that is complete by rule (German first)


def _catalogue_dirs() -> list[Path]:
    dirs = [Path(path) for path in settings.LOCALE_PATHS]
    base = Path(settings.BASE_DIR)
    for app in apps.get_app_configs():
        app_path = Path(app.path)
        # Only the project's own catalogues: Django's and libraries' translate their strings, not ours.
        if (app_path.is_relative_to(base) and "site-packages" not in app_path.parts
                and (app_path / "locale").is_dir()):
            dirs.append(app_path / "locale")
    return dirs


def _translated_ids(language: str) -> set[str]:
    found: set[str] = set()
    for folder in _catalogue_dirs():
        mo = folder / language / "LC_MESSAGES" / "django.mo"
        if not mo.is_file():
            continue
        with mo.open("rb") as handle:
            catalogue: dict[Any, str] = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
        found.update(key if isinstance(key, str) else key[0] for key, value in catalogue.items() if key and value)
    return found


@cache
def translated_share(language: str) -> float:
    """The part (0..1) of the German catalogue's strings that `language`'s catalogues translate."""
    reference = _translated_ids(REFERENCE_LANGUAGE)
    if not reference:
        return 0.0
    return len(reference & _translated_ids(language)) / len(reference)


def is_selectable(language: str) -> bool:
    if language in settings.UI_LANGUAGES_ALWAYS:
        return True
    known = {code for code, _name in settings.LANGUAGES}
    return language in known and translated_share(language) >= settings.UI_LANGUAGE_MIN_TRANSLATED


def selectable_languages() -> list[tuple[str, str]]:
    """(code, name in that language) of every language the switcher offers, in settings order."""
    return [(code, translation.get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES
            if is_selectable(code)]


def _language_for(request: HttpRequest) -> str:
    chosen = translation.get_language_from_request(request)
    if is_selectable(chosen):
        return chosen
    # Not (yet) translated: the visitor's next preference that is, else the town's language.
    for accepted, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        try:
            code = translation.get_supported_language_variant(accepted)
        except LookupError:
            continue
        if is_selectable(code):
            return code
    return str(settings.LANGUAGE_CODE)


class SelectableLocaleMiddleware:
    """Django's LocaleMiddleware, limited to the selectable languages (put it right after it)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = translation.get_language()
        if not is_selectable(language):
            language = _language_for(request)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
