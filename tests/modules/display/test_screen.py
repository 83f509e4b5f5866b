"""Schaukasten: the admin registers a screen, the screen shows news, today's dates and warnings behind its key,
a signed-off key stops it, and a refresh costs the same few queries whatever the town publishes."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from modules.alerts.selectors import forget_banner
from modules.display.models import Screen
from modules.display.services import screen_register, screen_revoke
from tests.accounts.factories import UserFactory, town_admin
from tests.helpers import TownClient, host_of, logged_in_client
from tests.modules.alerts.factories import NoticeFactory, OfficialWarningFactory
from tests.modules.events.factories import EventFactory, in_days
from tests.modules.news.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _screen(**fields):
    return screen_register(name=fields.pop("name", "Rathaus"), ortsgemeinde=fields.pop("ortsgemeinde", None),
                           acting_user=town_admin())


def _state(client, key: str):
    response = client.get(f"/display/bildschirm/{key}/stand.json")
    return response.status_code, json.loads(response.content)


def test_the_admin_registers_a_screen_and_its_address_shows_the_town_on_it(in_town_a, town_a, admin_client_a):
    forget_banner()
    ArticleFactory(title="Neuer Spielplatz eröffnet", teaser="Am Samstag weiht der Bürgermeister ihn ein.")
    EventFactory(title="Seniorennachmittag", starts_at=in_days(0, 23), ends_at=in_days(0, 23).replace(minute=30))
    OfficialWarningFactory(headline="Unwetter mit Orkanböen", severity="Extreme", provider="DWD")
    NoticeFactory(title="Vollsperrung Hauptstraße", is_urgent=True)

    response = admin_client_a.post("/display/manage/", {"name": "Rathaus, Schaufenster", "ortsgemeinde": ""})

    assert response.status_code == 200
    address = response.context["address"]
    key = address.rsplit("/bildschirm/", 1)[1].strip("/")
    assert not Screen.objects.filter(key_digest=key).exists()  # only its digest is stored
    screen_page = TownClient(host_of(town_a)).get(f"/display/bildschirm/{key}/")  # no sign-in
    html = screen_page.content.decode()
    assert screen_page.status_code == 200 and screen_page["Cache-Control"] == "no-store"
    assert '<html lang="de"' in html
    for shown in ("Neuer Spielplatz eröffnet", "Seniorennachmittag", "Unwetter mit Orkanböen",
                  "Vollsperrung Hauptstraße", "Stand:"):
        assert shown in html
    status, state = _state(TownClient(host_of(town_a)), key)
    assert status == 200
    assert [w["title"] for w in state["banner"]] == ["Unwetter mit Orkanböen"]
    assert state["banner"][0]["label"] == "Extreme Gefahr"
    assert state["warnings"][0]["title"] == "Vollsperrung Hauptstraße"
    assert {"time": "23:00", "title": "Seniorennachmittag"}.items() <= next(
        e for e in state["today"] if e["title"] == "Seniorennachmittag").items()
    assert state["news"][0]["label"] == "Aus dem Rathaus"
    assert len(state["stand"]) == 5 and state["stand"][2] == ":"
    assert Screen.objects.get().last_seen_at is not None
    forget_banner()


def test_warnings_come_first_by_severity_and_a_village_screen_shows_its_own_news(in_town_a, client_a):
    from town.models import Ortsgemeinde

    forget_banner()
    here = Ortsgemeinde.objects.create(name="Elkenroth", slug="elkenroth")
    there = Ortsgemeinde.objects.create(name="Nauroth", slug="nauroth")
    ArticleFactory(title="Kirmes in Elkenroth", ortsgemeinden=[here])
    ArticleFactory(title="Kirmes in Nauroth", ortsgemeinden=[there])
    ArticleFactory(title="Wahl in der ganzen Gemeinde")
    OfficialWarningFactory(headline="Hinweis", severity="Minor")
    OfficialWarningFactory(headline="Großbrand", severity="Severe")
    _screen_row, key = _screen(ortsgemeinde=here)

    status, state = _state(client_a, key)

    assert status == 200 and state["place"] == "Elkenroth"
    assert {n["title"] for n in state["news"]} == {"Kirmes in Elkenroth", "Wahl in der ganzen Gemeinde"}
    assert [w["title"] for w in state["banner"]] == ["Großbrand", "Hinweis"]
    forget_banner()


def test_a_signed_off_key_stops_the_screen_and_an_unknown_one_gets_nothing(in_town_a, client_a):
    screen, key = _screen()
    screen_revoke(screen=screen, acting_user=town_admin())

    page = client_a.get(f"/display/bildschirm/{key}/")
    status, state = _state(client_a, key)

    assert page.status_code == 410 and "Dieser Bildschirm ist abgemeldet" in page.content.decode()
    assert status == 410 and state["status"] == "signed_off"
    assert "Dieser Bildschirm ist abgemeldet" in state["message"]
    assert client_a.get("/display/bildschirm/gibt-es-nicht/stand.json").status_code == 404
    assert client_a.get("/display/bildschirm/gibt-es-nicht/").status_code == 404


def test_the_admin_signs_a_screen_off_in_the_back_office(in_town_a, admin_client_a):
    screen, key = _screen(name="DGH Elkenroth")

    response = admin_client_a.post(f"/display/manage/{screen.pk}/abmelden/", follow=True)

    assert "„DGH Elkenroth“ ist abgemeldet" in response.content.decode()
    assert Screen.objects.get().revoked_at is not None
    again = admin_client_a.post(f"/display/manage/{screen.pk}/abmelden/")
    assert again.status_code == 400 and "schon abgemeldet" in again.content.decode()


def test_a_key_of_town_a_opens_nothing_in_town_b(in_town_a, town_b):
    _screen_row, key = _screen()

    assert TownClient(host_of(town_b)).get(f"/display/bildschirm/{key}/").status_code == 404
    assert TownClient(host_of(town_b)).get(f"/display/bildschirm/{key}/stand.json").status_code == 404


def test_a_screen_without_a_name_is_refused_and_residents_may_not_register_screens(in_town_a, town_a,
                                                                                     admin_client_a):
    response = admin_client_a.post("/display/manage/", {"name": "   ", "ortsgemeinde": ""})
    resident = logged_in_client(town_a, UserFactory())

    assert response.status_code == 200 and "Bitte geben Sie dem Bildschirm einen Namen." in response.content.decode()
    assert resident.post("/display/manage/", {"name": "Mein Bildschirm"}).status_code == 403
    assert not Screen.objects.exists()


def _refresh_queries(client, key: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/display/bildschirm/{key}/stand.json").status_code == 200
    return len(queries)


def test_a_refresh_costs_a_fixed_number_of_queries(in_town_a, client_a):
    forget_banner()
    ArticleFactory()
    EventFactory(starts_at=in_days(0, 22), ends_at=in_days(0, 23))
    NoticeFactory()
    OfficialWarningFactory()
    _row, first_key = _screen(name="Erster")
    client_a.get(f"/display/bildschirm/{first_key}/stand.json")  # the platform's own caches filled
    _row, few_key = _screen(name="Zweiter")
    few = _refresh_queries(client_a, few_key)  # its first request also notes "last seen"

    for index in range(20):
        ArticleFactory(title=f"Nachricht {index}")
        EventFactory(title=f"Termin {index}", starts_at=in_days(0, 22), ends_at=in_days(0, 23))
        NoticeFactory()
        OfficialWarningFactory()
    forget_banner()
    client_a.get(f"/display/bildschirm/{first_key}/stand.json")  # the banner's cache refilled
    _row, many_key = _screen(name="Dritter")
    many = _refresh_queries(client_a, many_key)

    assert few == many, f"{few} queries with few items, {many} with many"
    print(f"\nSchaukasten: {many} queries per refresh")
    forget_banner()


def test_the_screen_page_stays_small(in_town_a, client_a):
    from django.contrib.staticfiles import finders

    forget_banner()
    ArticleFactory.create_batch(6, teaser="Ein kurzer Text über das, was im Ort passiert. " * 3)
    _row, key = _screen()

    html = client_a.get(f"/display/bildschirm/{key}/").content
    assets = sum(len(open(finders.find(path), "rb").read()) for path in ("display/screen.css", "display/screen.js"))

    weight = len(html) + assets
    print(f"\nSchaukasten page weight: {len(html)} B HTML + {assets} B CSS/JS = {weight} B")
    assert weight < 40_000  # a screen on a village hall's slow line loads in a moment


def test_the_screen_speaks_german_whatever_its_browser_says(in_town_a, client_a):
    _row, key = _screen()

    html = client_a.get(f"/display/bildschirm/{key}/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()

    assert '<html lang="de"' in html and "Aktuelles" in html and "Heute" in html and "Current news" not in html
