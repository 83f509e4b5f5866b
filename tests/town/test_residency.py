"""Residency verification (issue 17 §8): a town chooses how residents confirm where they live (the town
hall confirms, a postal code, or a one-time code from a letter) and what only confirmed residents may do;
confirmed residents carry a badge."""

from __future__ import annotations

import threading

import pypdfium2
import pytest
import zxingcpp
from django.core import mail
from django.db import connection as django_connection
from django_tenants.utils import schema_context

from accounts.models import User
from tests.accounts.factories import UserFactory
from tests.helpers import logged_in_client
from tests.outbox_helpers import outbox_run_pending
from tests.town.factories import OrtsgemeindeFactory
from town.models import (
    ResidencyLetterCode,
    ResidencyMethod,
    ResidencyPolicy,
    ResidencyStatus,
    ResidencyVerification,
    ResidentProfile,
)
from town.residency_selectors import residency_policy_forget
from town.residency_services import letter_code_display, letter_codes_create

pytestmark = pytest.mark.django_db


def _policy(town, method: str, **required: bool) -> None:
    with schema_context(town.schema_name):
        ResidencyPolicy.objects.all().delete()
        ResidencyPolicy.objects.create(method=method, **required)
        residency_policy_forget()


@pytest.fixture
def kausen(town_a):
    with schema_context(town_a.schema_name):
        return OrtsgemeindeFactory(name="Kausen", slug="kausen", postal_codes="57520")


@pytest.fixture
def erika(town_a, kausen) -> User:
    with schema_context(town_a.schema_name):
        return UserFactory(email="erika@example.org", name="Erika Ebert")


def test_the_town_hall_confirms_a_request_and_the_person_is_told_and_gets_the_badge(
        town_a, admin_client_a, erika):
    _policy(town_a, ResidencyMethod.APPROVAL)
    client = logged_in_client(town_a, erika)

    # a resident asks; nothing is confirmed yet
    page = client.get("/konto/wohnsitz/")
    assert "Ask the town hall" in page.content.decode() or "Rathaus" in page.content.decode()
    response = client.post("/konto/wohnsitz/", {"address": "Hauptstraße 3", "postal_code": "57520"})
    assert response.status_code == 302
    assert "Ihre Anfrage liegt beim Rathaus" in client.get("/konto/wohnsitz/").content.decode()

    # the town hall sees it and confirms it
    backoffice = admin_client_a.get("/backoffice/wohnsitz/").content.decode()
    assert "Erika Ebert" in backoffice and "Hauptstraße 3" in backoffice
    with schema_context(town_a.schema_name):
        request_pk = ResidencyVerification.objects.get(user=erika).pk
    admin_client_a.post(f"/backoffice/wohnsitz/{request_pk}/entscheiden/", {"decision": "approve", "reason": ""})

    with schema_context(town_a.schema_name):
        assert ResidencyVerification.objects.get(user=erika).status == ResidencyStatus.VERIFIED
        outbox_run_pending()
    [message] = [m for m in mail.outbox if m.to == ["erika@example.org"]]
    assert "bestätigt" in message.subject
    assert "Wohnsitz bestätigt" in client.get("/konto/").content.decode()


def test_a_refusal_needs_a_reason_which_the_person_reads(town_a, admin_client_a, erika):
    _policy(town_a, ResidencyMethod.APPROVAL)
    client = logged_in_client(town_a, erika)
    client.post("/konto/wohnsitz/", {"address": "Hauptstraße 3", "postal_code": "57520"})
    with schema_context(town_a.schema_name):
        request_pk = ResidencyVerification.objects.get(user=erika).pk

    admin_client_a.post(f"/backoffice/wohnsitz/{request_pk}/entscheiden/", {"decision": "reject", "reason": ""})
    with schema_context(town_a.schema_name):
        assert ResidencyVerification.objects.get(user=erika).status == ResidencyStatus.PENDING

    admin_client_a.post(f"/backoffice/wohnsitz/{request_pk}/entscheiden/",
                        {"decision": "reject", "reason": "Die Hausnummer gibt es nicht."})
    assert "Die Hausnummer gibt es nicht." in client.get("/konto/wohnsitz/").content.decode()


def test_a_postal_code_of_the_town_confirms_and_chooses_the_village_a_foreign_one_changes_nothing(
        town_a, erika, kausen):
    _policy(town_a, ResidencyMethod.POSTCODE)
    client = logged_in_client(town_a, erika)

    response = client.post("/konto/wohnsitz/", {"postal_code": "10115"})
    assert response.status_code == 400
    assert "Diese Postleitzahl gehört nicht zu unserer Gemeinde" in response.content.decode()
    with schema_context(town_a.schema_name):
        assert not ResidencyVerification.objects.filter(user=erika).exists()

    client.post("/konto/wohnsitz/", {"postal_code": "57520"})
    with schema_context(town_a.schema_name):
        assert ResidencyVerification.objects.get(user=erika).status == ResidencyStatus.VERIFIED
        assert ResidentProfile.objects.get(user=erika).ortsgemeinde == kausen


def test_letters_carry_one_code_each_whose_qr_code_fills_it_in_and_a_code_works_once(
        town_a, admin_client_a, erika, kausen):
    _policy(town_a, ResidencyMethod.LETTER)

    response = admin_client_a.post("/backoffice/wohnsitz/briefe/", {"count": "2", "ortsgemeinde": kausen.pk})
    pdf = admin_client_a.get(response["Location"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    document = pypdfium2.PdfDocument(pdf.content)
    with schema_context(town_a.schema_name):
        codes = sorted(ResidencyLetterCode.objects.values_list("code", flat=True))
    assert len(document) == 2 and len(codes) == 2
    first_page = document[0]
    assert letter_code_display(codes[0]) in first_page.get_textpage().get_text_range()
    [scanned] = zxingcpp.read_barcodes(first_page.render(scale=150 / 72).to_pil())
    assert scanned.text.endswith(f"/konto/wohnsitz/?code={codes[0]}")

    client = logged_in_client(town_a, erika)
    assert codes[0] in client.get(f"/konto/wohnsitz/?code={codes[0]}").content.decode()  # filled in
    client.post("/konto/wohnsitz/", {"code": letter_code_display(codes[0]).lower()})
    with schema_context(town_a.schema_name):
        assert ResidencyVerification.objects.get(user=erika).status == ResidencyStatus.VERIFIED
        assert ResidentProfile.objects.get(user=erika).ortsgemeinde == kausen
        other = UserFactory(email="otto@example.org")
    response = logged_in_client(town_a, other).post("/konto/wohnsitz/", {"code": codes[0]})
    assert response.status_code == 400 and "schon benutzt" in response.content.decode()


def test_guessing_letter_codes_stops_after_ten_tries(town_a, erika):
    _policy(town_a, ResidencyMethod.LETTER)
    client = logged_in_client(town_a, erika)
    answers = [client.post("/konto/wohnsitz/", {"code": f"AAAA-BBBB-{n:04d}"}).content.decode() for n in range(11)]
    assert "Zu viele Versuche" in answers[-1] and "Zu viele Versuche" not in answers[-2]


@pytest.mark.django_db(transaction=True)
def test_two_people_with_the_same_code_at_once_only_one_is_confirmed(town_a):
    _policy(town_a, ResidencyMethod.LETTER)
    with schema_context(town_a.schema_name):
        admin = User.objects.filter(role="admin").first()
        letter_codes_create(acting_user=admin, count=1, ortsgemeinde=None)
        code = ResidencyLetterCode.objects.get().code
        people = [UserFactory(email=f"p{n}@example.org") for n in range(4)]
    results: list[int] = []

    def redeem(person: User) -> None:
        try:
            results.append(logged_in_client(town_a, person).post("/konto/wohnsitz/", {"code": code}).status_code)
        finally:
            django_connection.close()

    threads = [threading.Thread(target=redeem, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [302, 400, 400, 400]
    with schema_context(town_a.schema_name):
        assert ResidencyVerification.objects.filter(status=ResidencyStatus.VERIFIED).count() == 1


def test_what_the_town_reserves_is_refused_with_the_reason_and_a_way_to_confirm(town_a, erika):
    _policy(town_a, ResidencyMethod.POSTCODE, required_for_posting=True, required_for_rides=True)
    client = logged_in_client(town_a, erika)

    for path in ("/board/new/", "/rides/offer/"):
        response = client.get(path)
        assert response.status_code == 403, path
        page = response.content.decode()
        assert "bestätigt" in page and 'href="/konto/wohnsitz/"' in page, path

    client.post("/konto/wohnsitz/", {"postal_code": "57520"})
    assert client.get("/board/new/").status_code == 200
    assert client.get("/rides/offer/").status_code == 200


def test_a_switch_without_a_way_to_confirm_is_refused_as_it_would_lock_everyone_out(town_a, admin_client_a):
    response = admin_client_a.post("/backoffice/wohnsitz/", {"method": "none", "required_for_voting": "on"})
    assert response.status_code == 400
    with schema_context(town_a.schema_name):
        assert not ResidencyPolicy.objects.filter(required_for_voting=True).exists()


def test_residents_only_manage_their_own_town_and_cant_decide(town_a, town_b, erika):
    _policy(town_a, ResidencyMethod.APPROVAL)
    logged_in_client(town_a, erika).post("/konto/wohnsitz/", {"address": "Hauptstraße 3", "postal_code": "57520"})
    with schema_context(town_a.schema_name):
        request_pk = ResidencyVerification.objects.get(user=erika).pk
    # A resident can't decide; town B's admin finds nothing of town A's.
    assert logged_in_client(town_a, erika).post(
        f"/backoffice/wohnsitz/{request_pk}/entscheiden/", {"decision": "approve"}).status_code in (302, 403)
    from tests.helpers import admin_of

    admin_b = logged_in_client(town_b, admin_of(town_b))
    assert admin_b.post(f"/backoffice/wohnsitz/{request_pk}/entscheiden/",
                        {"decision": "approve"}).status_code == 404
    assert "Erika" not in admin_b.get("/backoffice/wohnsitz/").content.decode()
    with schema_context(town_a.schema_name):
        assert ResidencyVerification.objects.get(user=erika).status == ResidencyStatus.PENDING


def test_the_town_hall_confirms_someone_it_knows_and_takes_it_back_with_a_reason(town_a, admin_client_a, erika):
    _policy(town_a, ResidencyMethod.APPROVAL, required_for_posting=True)
    resident = logged_in_client(town_a, erika)
    assert resident.get("/board/new/").status_code == 403

    # the town hall knows her: confirmed from her page in the back office
    admin_client_a.post(f"/backoffice/personen/{erika.pk}/", {"action": "residency-confirm"})
    assert resident.get("/board/new/").status_code == 200
    assert "Wohnsitz bestätigt" in admin_client_a.get(f"/backoffice/personen/{erika.pk}/").content.decode()

    # she moved away: taking it back needs a reason, which she reads
    admin_client_a.post(f"/backoffice/personen/{erika.pk}/", {"action": "residency-withdraw", "reason": ""})
    assert resident.get("/board/new/").status_code == 200  # nothing changed without a reason
    admin_client_a.post(f"/backoffice/personen/{erika.pk}/",
                        {"action": "residency-withdraw", "reason": "Umgezogen nach Siegen."})
    assert resident.get("/board/new/").status_code == 403
    assert "Umgezogen nach Siegen." in resident.get("/konto/wohnsitz/").content.decode()
    with schema_context(town_a.schema_name):
        from town.models import AuditEntry

        assert list(AuditEntry.objects.filter(target_id=str(erika.pk), action__startswith="residency.")
                    .order_by("created_at").values_list("action", flat=True)) == [
            "residency.confirm", "residency.withdraw"]
