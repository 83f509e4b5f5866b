"""The adoption cockpit: the town admin sees how many residents each village has on the platform,
week by week, and which Vereine publish, as counts only."""

from __future__ import annotations

import csv

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from tests.accounts.factories import UserFactory
from tests.helpers import logged_in_client
from tests.town.factories import MembershipFactory, OrganisationFactory, OrtsgemeindeFactory, ResidentProfileFactory
from town.outreach_services import signup_code_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def villages(town_a):
    with schema_context(town_a.schema_name):
        elkenroth = OrtsgemeindeFactory(name="Elkenroth", slug="elkenroth", inhabitants=200)
        kausen = OrtsgemeindeFactory(name="Kausen", slug="kausen")
        for _ in range(3):
            ResidentProfileFactory(ortsgemeinde=elkenroth, user=UserFactory(new_account=True))
        ResidentProfileFactory(ortsgemeinde=kausen)
        ResidentProfileFactory(ortsgemeinde=elkenroth, user=UserFactory(is_active=False))  # left: not counted
        ResidentProfileFactory(ortsgemeinde=None)
        MembershipFactory(organisation=OrganisationFactory(name="TuS"))
        OrganisationFactory(name="Chor")  # nobody publishes for it yet
    return elkenroth, kausen


def test_the_admin_sees_residents_per_village_against_its_inhabitants(town_a, admin_client_a, villages):
    page = admin_client_a.get("/backoffice/ueberblick/")

    html = page.content.decode()
    figures = page.context["figures"]
    elkenroth, kausen = (v for v in figures.villages if v.name in ("Elkenroth", "Kausen"))
    assert (elkenroth.residents, elkenroth.percent) == (3, 1.5)
    assert (kausen.residents, kausen.percent) == (1, None)
    assert figures.without_village >= 1
    assert "3 von 200 (1,5 %)" in html
    assert (figures.organisations_with_editors, figures.organisations) >= (1, 2)
    assert figures.weeks[-1].registrations >= 3  # the three new ones joined this week


def test_the_same_figures_download_as_a_spreadsheet(admin_client_a, villages):
    response = admin_client_a.get("/backoffice/ueberblick.csv")

    text = response.content.decode("utf-8")
    assert response["Content-Type"].startswith("text/csv") and text.startswith("\ufeff")
    assert "Elkenroth;200;3;1,5" in text


def test_the_cockpit_costs_the_same_queries_for_few_and_many_residents(town_a, admin_client_a, villages):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            admin_client_a.get("/backoffice/ueberblick/")
        return len(captured)

    queries()  # the first page of a session also loads the session and the town's settings
    few = queries()
    with schema_context(town_a.schema_name):
        for _ in range(15):
            ResidentProfileFactory(ortsgemeinde=villages[1])
        OrtsgemeindeFactory()
    queries()  # new rows invalidated cached town data (places, profile): load them once more
    assert queries() == few


def test_editors_and_residents_cannot_see_it(town_a, villages):
    with schema_context(town_a.schema_name):
        editor = MembershipFactory().user
    assert logged_in_client(town_a, editor).get("/backoffice/ueberblick/").status_code == 403
    assert logged_in_client(town_a, editor).get("/backoffice/ueberblick.csv").status_code == 403


def test_names_typed_by_people_open_as_text_in_the_spreadsheet(town_a, admin_client_a, villages):
    with schema_context(town_a.schema_name):
        OrtsgemeindeFactory(name="=HYPERLINK(\"http://evil.example\")", slug="evil-village")
        signup_code_for(organisation=OrganisationFactory(name="=HYPERLINK(\"http://evil.example\";\"TuS\")",
                                                         is_approved=True))

    text = admin_client_a.get("/backoffice/ueberblick.csv").content.decode("utf-8")

    cells = [cell for row in csv.reader(text.splitlines(), delimiter=";") for cell in row]
    assert not [cell for cell in cells if cell.startswith("=")]
    assert sum(cell.startswith("'=HYPERLINK") for cell in cells) == 2
