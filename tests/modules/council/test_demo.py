"""The demo's council: members, a past meeting with a followed-up recommendation, the next meeting, and a small
RIS mirror, shown without any OParl server; loaded once."""

from __future__ import annotations

import pytest

from modules.council import demo
from modules.council.models import Meeting

pytestmark = pytest.mark.django_db


def test_the_demo_fills_the_council_pages_without_an_oparl_server(in_town_a, client_a):
    assert demo.load() > 0
    assert demo.load() == 0  # idempotent

    page = client_a.get("/council/").content.decode()
    assert "4. Sitzung des Digitalen Rats" in page and "Spielplätze gemeinsam prüfen lassen" in page
    assert "Sitzung Ortsgemeinderat Steinebach/Sieg" in page
    past = Meeting.objects.get(title="3. Sitzung des Digitalen Rats")
    assert "Haushalt des Rats" not in client_a.get(past.get_absolute_url()).content.decode()  # internal item
    assert "Haushaltssatzung und Haushaltsplan 2027" in client_a.get("/council/ris/vorlagen/").content.decode()
