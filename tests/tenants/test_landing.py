"""The public site's start page tells a town hall what it gets and where to sign up."""

from __future__ import annotations


def test_landing_page_shows_the_pillars_and_the_call_to_action(public_client):
    response = public_client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    for pillar in ("Kommunikation", "Einkaufen und Gewerbe vor Ort", "Mobilität", "Rathaus und Beteiligung"):
        assert pillar in page
    assert "Warum eine Ansprechperson vor Ort so wichtig ist" in page
    assert page.count('href="/registrieren/"') >= 2
    assert "<h1" in page and page.index("<h1") < page.index("<h2")


def test_legal_pages_answer(public_client):
    assert public_client.get("/nutzungsbedingungen/").status_code == 200
    assert public_client.get("/av-vertrag/").status_code == 200
