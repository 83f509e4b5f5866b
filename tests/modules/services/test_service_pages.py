"""Leistungen A–Z: the index, a service's page with what to bring and "open now", and the admin's form."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from modules.services.models import LifeSituation, Service
from tests.accounts.factories import UserFactory
from tests.helpers import logged_in_client, shown, sql_statements
from tests.modules.services.factories import OfficeFactory, ServiceFactory


@pytest.fixture
def buergerbuero(in_town_a):
    return OfficeFactory(name="Bürgerbüro Altdorf", hours=[(1, "08:30", "12:00")])


@pytest.fixture
def ausweis(buergerbuero):
    return ServiceFactory(title="Personalausweis beantragen", office=buergerbuero, fees="37,00 €",
                          documents="Alter Ausweis\n- Biometrisches Passfoto\n", appointment_required=True,
                          summary="Den neuen Ausweis beantragen Sie persönlich.")


def test_a_to_z_groups_services_by_letter_and_hides_unpublished_ones(ausweis, client_a):
    ServiceFactory(title="Ummeldung")
    ServiceFactory(title="Öffentliche Urkunde")  # sorted under O
    ServiceFactory(title="Entwurf", is_published=False)
    page = client_a.get("/services/").content.decode()
    assert 'id="letter-P"' in page and 'id="letter-U"' in page and 'id="letter-O"' in page
    assert "Personalausweis beantragen" in page
    assert "Entwurf" not in page


def test_a_to_z_filters_by_life_situation_and_search(ausweis, client_a):
    moving = LifeSituation.objects.get_or_create(slug="umzug", defaults={"name": "Umzug"})[0]
    ServiceFactory(title="Wohnsitz anmelden", life_situation=moving)
    page = client_a.get("/services/?lebenslage=umzug").content.decode()
    assert "Wohnsitz anmelden" in page and "Personalausweis beantragen" not in page
    page = client_a.get("/services/?q=Ausweis").content.decode()
    assert "Personalausweis beantragen" in page and "Wohnsitz anmelden" not in page
    assert client_a.get("/services/?lebenslage=gibt-es-nicht").status_code == 200


def test_service_page_says_what_to_bring_the_fee_and_whether_the_office_is_open_now(ausweis, client_a, clock):
    clock("2026-12-08 10:00")  # Tuesday, the Bürgerbüro is open 08:30–12:00
    page = client_a.get(ausweis.get_absolute_url()).content.decode()
    assert "<li>Alter Ausweis</li>" in page and "<li>Biometrisches Passfoto</li>" in page
    assert "37,00 €" in page
    assert shown("Open now, until %(time)s", time="12:00") in page
    clock("2026-12-09 10:00")  # Wednesday: closed
    page = client_a.get(ausweis.get_absolute_url()).content.decode()
    assert shown("Closed now") in page and shown("Closed today") in page


def test_an_unpublished_service_page_is_not_found(buergerbuero, client_a):
    draft = ServiceFactory(title="Geheim", is_published=False)
    assert client_a.get(draft.get_absolute_url()).status_code == 404


def _queries(client, url: str) -> int:
    client.get(url)  # the town's profile, modules and menus are cached after the first request
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    # django-tenants' `SET search_path` comes only when the schema changed since the last request.
    return len(sql_statements(captured))


def test_a_to_z_and_service_page_cost_the_same_queries_for_5_and_30_services(buergerbuero, client_a, pages_rendered):
    for number in range(5):
        ServiceFactory(title=f"Aleistung {number}", office=buergerbuero, documents="Ausweis")
    small = (_queries(client_a, "/services/"), _queries(client_a, "/services/aleistung-0/"))
    for number in range(5, 30):
        ServiceFactory(title=f"Aleistung {number}", office=OfficeFactory(hours=[(0, "08:00", "09:00")]))
    assert (_queries(client_a, "/services/"), _queries(client_a, "/services/aleistung-0/")) == small


def test_an_admin_adds_a_service_and_residents_see_it(buergerbuero, admin_client_a, client_a):
    response = admin_client_a.post("/services/manage/services/new/", {
        "title": "Reisepass beantragen", "office": buergerbuero.pk, "documents": "Alter Reisepass",
        "fees": "70,00 €", "is_published": "on", "online_url": "", "booking_url": "",
    })
    assert response.status_code == 302
    assert "Reisepass beantragen" in client_a.get("/services/reisepass-beantragen/").content.decode()


def test_a_service_without_title_or_with_a_bad_link_is_refused_and_not_stored(admin_client_a, in_town_a):
    response = admin_client_a.post("/services/manage/services/new/", {"title": " ", "online_url": "kein link"})
    assert response.status_code == 400
    assert not Service.objects.exists()


def test_a_service_title_never_takes_a_reserved_path(in_town_a):
    assert ServiceFactory(title="Fundbuero").slug == "fundbuero-2"


def test_residents_cannot_open_the_back_office(ausweis, town_a):
    resident = logged_in_client(town_a, UserFactory(email="bernd@example.org"))
    assert resident.get("/services/manage/").status_code == 403
    assert resident.post(f"/services/manage/services/{ausweis.slug}/delete/").status_code == 403
    assert Service.objects.filter(pk=ausweis.pk).exists()
