"""The welcome page a new resident lands on: their village's news, its Vereine, what the town offers,
and what they will be told about."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from tests.accounts.factories import UserFactory
from tests.helpers import logged_in_client
from tests.town.factories import OrganisationFactory, OrtsgemeindeFactory, ResidentProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_resident_of_elkenroth(town_a):
    with schema_context(town_a.schema_name):
        elkenroth = OrtsgemeindeFactory(name="Elkenroth", slug="elkenroth")
        kausen = OrtsgemeindeFactory(name="Kausen", slug="kausen")
        OrganisationFactory(name="TuS Elkenroth", ortsgemeinde=elkenroth)
        OrganisationFactory(name="Schützenverein Kausen", ortsgemeinde=kausen)
        OrganisationFactory(name="Kreismusikschule")  # town-wide
        rita = UserFactory(name="Rita Resident", new_account=True)
        ResidentProfileFactory(user=rita, ortsgemeinde=elkenroth)
    return rita


def test_the_welcome_page_shows_the_village_its_vereine_and_not_the_other_villages(
        town_a, new_resident_of_elkenroth):
    page = logged_in_client(town_a, new_resident_of_elkenroth).get("/konto/willkommen/")

    html = page.content.decode()
    assert "Willkommen in Elkenroth, Rita!" in html
    assert "TuS Elkenroth" in html and "Kreismusikschule" in html
    assert "Schützenverein Kausen" not in html


def test_a_new_resident_is_told_what_they_will_hear_about_from_switched_on_modules_only(
        town_a, new_resident_of_elkenroth):
    from tenants.services import tenant_module_disable, tenant_module_enable

    tenant_module_disable(tenant=town_a, key="marketplace")
    try:
        page = logged_in_client(town_a, new_resident_of_elkenroth).get("/konto/willkommen/")
    finally:
        tenant_module_enable(tenant=town_a, key="marketplace")

    topics = _topics(page)
    assert "Dringende Meldungen" in topics  # urgent notices always
    assert not any("Suche" in topic for topic in topics)  # the marketplace is off
    assert "/notifications/settings/" in page.content.decode()


def _topics(page) -> list:
    from django.utils import translation

    from modules.notifications.topics import TOPICS

    html = page.content.decode()
    with translation.override("de"):
        return [str(topic.label) for topic in TOPICS.values() if f"<li>{topic.label}</li>" in html]


def test_after_two_weeks_the_start_page_no_longer_lists_the_topics(town_a):
    with schema_context(town_a.schema_name):
        settled = UserFactory(age_days=30)
    assert "Worüber wir Sie informieren" not in logged_in_client(town_a, settled).get("/").content.decode()


def test_the_welcome_page_needs_an_account(client_a):
    response = client_a.get("/konto/willkommen/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
