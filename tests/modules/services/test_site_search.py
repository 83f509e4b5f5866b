"""The site-wide search finds services: "Personalausweis" → "Personalausweis beantragen", what to bring, open now."""

from __future__ import annotations

import pytest

from tests.helpers import shown
from tests.modules.services.factories import OfficeFactory, ServiceFactory


@pytest.fixture
def ausweis(in_town_a):
    office = OfficeFactory(name="Bürgerbüro Altdorf", hours=[(1, "08:30", "12:00")])
    return ServiceFactory(title="Personalausweis beantragen", office=office,
                          documents="Alter Ausweis\nBiometrisches Passfoto")


def test_a_visitor_searching_personalausweis_finds_the_service_with_what_to_bring_and_open_now(
        ausweis, client_a, clock):
    clock("2026-12-08 09:00")  # Tuesday morning
    page = client_a.get("/suche/", {"q": "Personalausweis"}).content.decode()
    assert f'href="{ausweis.get_absolute_url()}"' in page
    assert "Biometrisches Passfoto" in page
    assert shown("%(office)s: open now, until %(time)s", office="Bürgerbüro Altdorf", time="12:00") in page


def test_word_forms_and_the_documents_are_searched_but_unpublished_services_are_not(ausweis, client_a):
    ServiceFactory(title="Geheimer Ausweisentwurf", is_published=False)
    page = client_a.get("/suche/", {"q": "Passfoto"}).content.decode()
    assert f'href="{ausweis.get_absolute_url()}"' in page
    assert "Geheimer Ausweisentwurf" not in client_a.get("/suche/", {"q": "Ausweisentwurf"}).content.decode()


def test_search_in_town_b_finds_nothing_of_town_a(ausweis, client_b):
    assert "Personalausweis beantragen" not in client_b.get("/suche/", {"q": "Personalausweis"}).content.decode()
