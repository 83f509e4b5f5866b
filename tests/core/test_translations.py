"""German first, English too: the German catalogue is complete, compiled and served by default.

All user-facing text has English msgids; platform/core/locale/de holds the German, except
for modules that carry their own catalogue in modules/<key>/locale/de (as pretix plugins do),
which makemessages fills with that module's text. When one of these tests fails after you
added or changed text, run (from the repo root)

    python manage.py makemessages -l de -i "tests/*" -i "bench/*" --extension html,txt,py
    # translate the new entries in platform/core/locale/de/LC_MESSAGES/django.po
    # and in modules/<key>/locale/de/LC_MESSAGES/django.po
    python manage.py compilemessages -l de -i .venv

and commit both django.po and django.mo (a fresh machine may have no msgfmt).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

REPO = Path(settings.BASE_DIR)
LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
PO_PATH = LOCALE_DIR / "de" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

# %(name)s / %(count)d (Python and blocktranslate), bare %s / %d, and str.format's {name} (format_html).
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdfir]|%[sdfir]|\{\w*\}")
# Markup a msgid may carry (links, hidden labels); "<your token>" in a message is text, not a tag.
_TAG = re.compile(r"</?(?:a|abbr|b|br|code|em|i|p|span|strong)\b[^>]*>")


MODULE_PO_PATHS = sorted((REPO / "modules").glob("*/locale/de/LC_MESSAGES/django.po"))


def _catalogue() -> polib.POFile:
    return polib.pofile(str(PO_PATH))


def _entries(po_path: Path | None = None) -> list[polib.POEntry]:
    """The live entries of one catalogue, or of all of them (core and every module's) together."""
    paths = [po_path] if po_path else [PO_PATH, *MODULE_PO_PATHS]
    return [entry for path in paths for entry in polib.pofile(str(path)) if not entry.obsolete]


def _describe(entries: list[polib.POEntry]) -> str:
    return "\n".join(f"  {e.msgid!r} ({', '.join(f'{p}:{n}' for p, n in e.occurrences[:2])})" for e in entries)


def _forms(entry: polib.POEntry) -> list[tuple[str, str]]:
    """(source, translation) pairs; German and English share the rule n != 1, so form 0 ↔ msgid, 1 ↔ plural."""
    if entry.msgid_plural:
        return [(entry.msgid, entry.msgstr_plural.get(0, "")), (entry.msgid_plural, entry.msgstr_plural.get(1, ""))]
    return [(entry.msgid, entry.msgstr)]


def test_the_german_catalogue_exists_with_german_plural_rules():
    catalogue = _catalogue()

    assert catalogue.metadata["Language"] == "de"
    assert catalogue.metadata["Plural-Forms"].startswith("nplurals=2; plural=(n != 1)")
    assert len(_entries(PO_PATH)) > 500


def test_every_entry_is_translated_and_none_is_fuzzy():
    entries = _entries()

    untranslated = [e for e in entries if not all(target.strip() for _source, target in _forms(e))]
    fuzzy = [e for e in entries if "fuzzy" in e.flags]

    assert not untranslated, "untranslated:\n" + _describe(untranslated)
    assert not fuzzy, "fuzzy (check the German, then remove the flag):\n" + _describe(fuzzy)


def test_translations_keep_every_placeholder_and_html_tag():
    broken = []
    for entry in _entries():
        for source, target in _forms(entry):
            if sorted(_PLACEHOLDER.findall(source)) != sorted(_PLACEHOLDER.findall(target)):
                broken.append(f"placeholders differ: {source!r} -> {target!r}")
            if sorted(_TAG.findall(source)) != sorted(_TAG.findall(target)):
                broken.append(f"HTML differs: {source!r} -> {target!r}")

    assert not broken, "\n".join(broken)


@pytest.mark.parametrize("po_path", [PO_PATH, *MODULE_PO_PATHS], ids=lambda p: str(p.relative_to(REPO)))
def test_the_compiled_catalogue_matches_the_po_file(po_path):
    # Compare contents, not timestamps: git checkouts don't keep mtimes.
    compiled = {(e.msgctxt, e.msgid): e for e in polib.mofile(str(po_path.with_suffix(".mo")))}
    stale = []
    for entry in _entries(po_path):
        found = compiled.get((entry.msgctxt, entry.msgid))
        if found is None or _forms(found) != _forms(entry):
            stale.append(entry)

    assert not stale, "django.mo is out of date; run compilemessages:\n" + _describe(stale)


@pytest.mark.parametrize("po_path", MODULE_PO_PATHS, ids=lambda p: str(p.relative_to(REPO)))
def test_a_module_catalogue_speaks_german_with_german_plural_rules(po_path):
    catalogue = polib.pofile(str(po_path))

    assert catalogue.metadata["Language"] == "de"
    assert catalogue.metadata["Plural-Forms"].startswith("nplurals=2; plural=(n != 1)")


# Where user-facing text lives; the extraction below reads a copy of these.
SOURCE_ROOTS = ("platform", "tenants", "modules", "billing")


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (xgettext)")
def test_every_string_in_the_code_is_in_the_catalogue(tmp_path, monkeypatch):
    # given: a fresh extraction from a scratch copy of the source. Not from the repo itself: makemessages
    # writes into every folder named "locale" it walks past, so running it here would rewrite django.po.
    tree = tmp_path / "src"
    for root in SOURCE_ROOTS:
        if (REPO / root).is_dir():
            shutil.copytree(REPO / root, tree / root, ignore=shutil.ignore_patterns("locale", "__pycache__", "static"))
    monkeypatch.chdir(tree)
    with override_settings(LOCALE_PATHS=[str(tmp_path / "locale")]):
        call_command("makemessages", locale=["de"], extensions=["html", "txt", "py"], verbosity=0)
    extracted = polib.pofile(str(tmp_path / "locale" / "de" / "LC_MESSAGES" / "django.po"))
    known = {(e.msgctxt, e.msgid) for e in _entries()}

    # then
    missing = [e for e in extracted if (e.msgctxt, e.msgid) not in known]
    assert len(extracted) > 500
    assert not missing, "new text without German translation (see this file's docstring):\n" + _describe(missing)


def test_allauth_texts_we_translate_ourselves_still_exist_in_allauth():
    # core/allauth_messages.py re-translates allauth's informal ("du") German; a renamed msgid upstream
    # would silently bring the "du" back, so each one must still be in allauth's own catalogue.
    import ast

    import allauth

    source = Path(settings.BASE_DIR) / "platform" / "core" / "allauth_messages.py"
    ours = [
        tuple(arg.value for arg in call.args if isinstance(arg.value, str))[:2]
        for call in ast.walk(ast.parse(source.read_text()))
        if isinstance(call, ast.Call) and getattr(call.func, "id", "") in ("gettext_noop", "ngettext_lazy")
    ]
    theirs = {
        (e.msgid, e.msgid_plural) if e.msgid_plural else (e.msgid,)
        for e in polib.pofile(str(Path(allauth.__file__).parent / "locale" / "de" / "LC_MESSAGES" / "django.po"))
    }

    assert len(ours) > 30
    assert [msgid for msgid in ours if msgid not in theirs] == []


def test_allauth_pages_address_residents_as_sie(client_a):
    page = client_a.get("/accounts/login/").content.decode()

    assert "Sie haben noch kein Konto?" in page
    assert not re.search(r"\b(du|Du|dein|Dein|hast)\b", page)


def test_the_town_speaks_german_by_default(client_a):
    page = client_a.get("/").content.decode()

    assert '<html lang="de" dir="ltr">' in page
    assert "Zum Inhalt springen" in page
    assert "Skip to content" not in page


def test_a_browser_asking_for_english_gets_english(client_a):
    page = client_a.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()

    assert '<html lang="en" dir="ltr">' in page
    assert "Skip to content" in page
    assert "Zum Inhalt springen" not in page


def test_a_language_we_do_not_offer_falls_back_to_german(client_a):
    page = client_a.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").content.decode()

    assert '<html lang="de" dir="ltr">' in page


def test_the_footer_language_switch_changes_and_keeps_the_language(client_a):
    # given: the footer form posts to Django's set_language view
    page = client_a.get("/").content.decode()
    assert 'action="/i18n/setlang/"' in page

    # when
    response = client_a.post("/i18n/setlang/", {"language": "en", "next": "/"})

    # then: back on the page, now in English, and it stays English even if the browser prefers German
    assert response.status_code == 302 and response["Location"] == "/"
    english = client_a.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<html lang="en" dir="ltr">' in english and "Skip to content" in english

    client_a.post("/i18n/setlang/", {"language": "de", "next": "/"})
    german = client_a.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="de" dir="ltr">' in german and "Zum Inhalt springen" in german


def test_the_public_site_speaks_german_by_default_and_english_on_request(public_client):
    german = public_client.get("/").content.decode()
    english = public_client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Registrieren Sie Ihre Kommune" in german
    assert "Register your municipality" in english


def test_form_refusals_are_german(client_a):
    # A refusal reads in the resident's language: the signup form without consent to the privacy policy.
    page = client_a.post(
        "/accounts/signup/",
        {
            "name": "Erna Example",
            "email": "erna@example.org",
            "password1": "Ein-langes-Passwort-7",
            "password2": "Ein-langes-Passwort-7",
        },
    ).content.decode()

    assert "Bitte stimmen Sie der Datenschutzerklärung zu, um sich zu registrieren." in page
    assert "Please agree to the privacy policy" not in page


def test_decimal_numbers_in_messages_use_a_comma():
    from django.utils.translation import override

    from town.services import brand_colours_problems

    with override("de"):
        problems = brand_colours_problems(primary="#ffff00", accent="#1d4ed8")

    message = problems["primary_colour"][0]
    assert "4,5:1" in message and "4.5:1" not in message
    assert message.startswith("Die Hauptfarbe erreicht")


def test_a_text_reads_the_same_in_every_catalogue():
    # Django merges the catalogues, so one German wins for a msgid that two catalogues translate
    # differently; which one depends on the order of the apps. They must agree.
    german: dict[tuple[str | None, str], set[str]] = {}
    for entry in _entries():
        for source, target in _forms(entry):
            german.setdefault((entry.msgctxt, source), set()).add(target)

    assert {key: targets for key, targets in german.items() if len(targets) > 1} == {}
