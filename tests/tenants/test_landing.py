"""The public site's start page tells a town hall what it gets and where to sign up."""

from __future__ import annotations

import html
import re


def test_landing_page_shows_the_call_to_action(public_client):
    response = public_client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Warum eine Ansprechperson vor Ort so wichtig ist" in page
    assert page.count('href="/registrieren/"') >= 2
    assert "<h1" in page and page.index("<h1") < page.index("<h2")


def _headings(page: str, level: int) -> list[str]:
    return [html.unescape(text).strip() for text in re.findall(rf"<h{level}[^>]*>(.*?)</h{level}>", page, re.S)]


def test_landing_page_lists_every_installed_module_under_its_pillar(public_client):
    # Read from the registry, not a hand-kept list: a new module must appear without touching this test.
    from core.modules import all_modules, pillar_label

    page = public_client.get("/").content.decode()

    module_names = _headings(page, 4)
    pillar_names = _headings(page, 3)
    specs = [module.spec for module in all_modules().values()]
    assert sorted(module_names) == sorted(str(spec.name) for spec in specs)
    assert set(pillar_names) == {pillar_label(spec.pillar) for spec in specs}
    for spec in specs:
        # each module sits in its own pillar's section, with its description
        section = page[page.index(f">{html.escape(pillar_label(spec.pillar))}</h3>"):]
        section = section[: section.index("</section>")]
        assert f">{html.escape(str(spec.name))}</h4>" in section
        assert html.escape(str(spec.description)) in section


def _installed_text() -> str:
    """Keys, names and descriptions of every installed module, in English and German: what may be promised."""
    from django.utils import translation

    from core.modules import all_modules

    parts = []
    for language in ("en", "de"):
        with translation.override(language):
            parts += [f"{m.spec.key} {m.spec.name} {m.spec.description}" for m in all_modules().values()]
    return " ".join(parts).lower()


def test_landing_page_promises_nothing_that_does_not_exist(public_client):
    from core.modules import PILLAR_LABELS, all_modules, pillar_label

    page = public_client.get("/").content.decode()

    pillars_with_modules = {module.spec.pillar for module in all_modules().values()}
    empty = [pillar_label(p) for p in PILLAR_LABELS if p not in pillars_with_modules]
    # an empty pillar is named only as planned, never as a section of its own
    for label in empty:
        assert label not in _headings(page, 3)
        assert label in page[page.index("In Vorbereitung, noch nicht verfügbar"):]
    installed = _installed_text()
    for promise in ("Mitfahr", "Bürgerbus", "Mängelmelder", "Umfrage", "Schlagloch", "Straßenlaterne", "OParl"):
        if promise.lower() not in installed:
            assert promise not in page


def test_landing_page_speaks_english_to_an_english_browser(public_client):
    page = public_client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "What Dorfkern offers today" in page
    assert "Community board" in page


def test_legal_pages_answer(public_client):
    assert public_client.get("/nutzungsbedingungen/").status_code == 200
    assert public_client.get("/av-vertrag/").status_code == 200


def test_readme_names_unbuilt_features_only_as_planned():
    from django.conf import settings

    from core.modules import all_modules

    readme = (settings.BASE_DIR / "README.md").read_text()
    intro = readme[: readme.index("\n## ")]
    installed = _installed_text()
    planned = intro[intro.index("Planned, not built yet"):]
    for promise in ("ride sharing", "Bürgerbus", "Mängelmelder", "issue reports", "surveys", "OParl"):
        if promise.lower() not in installed:
            assert promise not in intro.replace(planned, ""), f"README promises {promise!r} before saying it is planned"
    for module in all_modules().values():
        assert module.spec.key in readme
