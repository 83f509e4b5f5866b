"""Printed invitations: a poster, flyer or letter whose QR code leads to the registration with the
right village chosen; the town sees how many people each one brought."""

from __future__ import annotations

from urllib.parse import urlparse

import pypdfium2
import pytest
import zxingcpp
from django_tenants.utils import schema_context

from tests.accounts.factories import PASSWORD, UserFactory
from tests.helpers import TownClient, host_of, logged_in_client
from tests.town.factories import MembershipFactory, OrganisationFactory, OrtsgemeindeFactory
from town.models import ResidentProfile, SignupCode

pytestmark = pytest.mark.django_db


def _pages(pdf: bytes) -> list[tuple[str, list[str]]]:
    """Each page's text and the QR codes a phone camera would read from it (rendered at 150 dpi)."""
    document = pypdfium2.PdfDocument(pdf)
    pages = []
    for page in document:
        text = page.get_textpage().get_text_range()
        image = page.render(scale=150 / 72).to_pil()
        pages.append((text, [code.text for code in zxingcpp.read_barcodes(image)]))
    return pages


@pytest.fixture
def elkenroth(town_a):
    with schema_context(town_a.schema_name):
        return OrtsgemeindeFactory(name="Elkenroth", slug="elkenroth")


def test_a_village_poster_names_town_and_village_and_its_qr_code_opens_the_registration(
        town_a, admin_client_a, elkenroth):
    response = admin_client_a.get(f"/backoffice/einladungen/ort/{elkenroth.pk}/aushang.pdf")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    [(text, codes)] = _pages(response.content)
    assert "Elkenroth" in text and town_a.name in text
    with schema_context(town_a.schema_name):
        code = SignupCode.objects.get(ortsgemeinde=elkenroth)
    assert codes == [f"http://{host_of(town_a)}/r/{code.code}/"]
    # The address is printed too, for those who type rather than scan.
    assert f"{host_of(town_a)}/r/{code.code}" in text.replace("\r\n", "").replace("\n", "")


@pytest.mark.parametrize("kind", ["flyer", "brief"])
def test_flyer_and_letter_fit_one_page_and_carry_the_same_code_as_the_poster(town_a, admin_client_a, kind):
    poster = _pages(admin_client_a.get("/backoffice/einladungen/gemeinde/aushang.pdf").content)
    other = _pages(admin_client_a.get(f"/backoffice/einladungen/gemeinde/{kind}.pdf").content)
    assert len(other) == 1
    assert other[0][1] == poster[0][1] != []


def test_someone_who_scans_the_code_registers_for_the_preselected_village_and_is_counted(
        town_a, admin_client_a, elkenroth):
    admin_client_a.get(f"/backoffice/einladungen/ort/{elkenroth.pk}/flyer.pdf")
    with schema_context(town_a.schema_name):
        code = SignupCode.objects.get(ortsgemeinde=elkenroth).code
    visitor = TownClient(host_of(town_a))

    landing = visitor.get(f"/r/{code}/")
    signup = visitor.get(landing["Location"])
    assert urlparse(landing["Location"]).path == "/accounts/signup/"
    assert signup.context["form"]["ortsgemeinde"].value() == elkenroth.pk
    visitor.post("/accounts/signup/", {
        "name": "Nina Neu", "email": "nina@example.org", "ortsgemeinde": elkenroth.pk,
        "password1": PASSWORD, "password2": PASSWORD, "privacy_consent": "on",
    })

    with schema_context(town_a.schema_name):
        profile = ResidentProfile.objects.select_related("ortsgemeinde", "signup_code").get(
            user__email="nina@example.org")
    assert profile.ortsgemeinde == elkenroth and profile.signup_code.code == code
    page = admin_client_a.get("/backoffice/einladungen/")
    row = next(source for source in page.context["sources"] if source.label == "Elkenroth")
    assert row.registrations == 1


def test_a_verein_editor_prints_their_own_verein_and_nothing_else(town_a, elkenroth):
    with schema_context(town_a.schema_name):
        membership = MembershipFactory(organisation=OrganisationFactory(name="TuS Elkenroth", ortsgemeinde=elkenroth))
        other = OrganisationFactory(name="Schützenverein")
    editor = logged_in_client(town_a, membership.user)

    page = editor.get("/backoffice/einladungen/")
    own = editor.get(f"/backoffice/einladungen/verein/{membership.organisation.pk}/flyer.pdf")

    assert [source.label for source in page.context["sources"]] == ["TuS Elkenroth"]
    assert "TuS Elkenroth" in _pages(own.content)[0][0]
    assert editor.get(f"/backoffice/einladungen/verein/{other.pk}/flyer.pdf").status_code == 403
    assert editor.get(f"/backoffice/einladungen/ort/{elkenroth.pk}/aushang.pdf").status_code == 403
    assert editor.get("/backoffice/einladungen/gemeinde/aushang.pdf").status_code == 403


def test_residents_cannot_print(town_a):
    with schema_context(town_a.schema_name):
        resident = UserFactory()
    assert logged_in_client(town_a, resident).get("/backoffice/einladungen/").status_code == 403


def test_a_code_of_one_town_is_unknown_in_another(town_a, town_b, admin_client_a, elkenroth):
    admin_client_a.get(f"/backoffice/einladungen/ort/{elkenroth.pk}/aushang.pdf")
    with schema_context(town_a.schema_name):
        code = SignupCode.objects.get(ortsgemeinde=elkenroth).code

    assert TownClient(host_of(town_b)).get(f"/r/{code}/").status_code == 404
    assert TownClient(host_of(town_a)).get("/r/unbekannt/").status_code == 404


def test_an_unknown_document_kind_is_not_found(admin_client_a):
    assert admin_client_a.get("/backoffice/einladungen/gemeinde/plakat.pdf").status_code == 404
