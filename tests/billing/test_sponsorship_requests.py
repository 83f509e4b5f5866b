"""Issue 11 §5: when a town has sponsorship off, a business "asks the town hall"; the town admin finds every
request in the back office (business, date, message, open or answered) and marks the ones answered."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from billing.models import SponsorshipRequest
from tests.billing.test_views_town import _business_manager

pytestmark = pytest.mark.usefixtures("localstripe")

PAGE = "/backoffice/sponsoring/anfragen/"


def test_the_admin_sees_a_businesss_request_with_its_message_and_marks_it_answered(town_a, admin_client_a,
                                                                                     catalogue):
    cache.clear()
    _user, organisation, client = _business_manager(town_a)
    client.post("/sponsoring/anfragen/", {"organisation": organisation.pk,
                                          "message": "Wir würden gern den Abfallkalender unterstützen."})

    page = admin_client_a.get(PAGE).content.decode()
    assert "Bäckerei Korn" in page and "Abfallkalender unterstützen" in page
    assert "inhaberin@baeckerei.example" in page and "Offen" in page
    assert PAGE in admin_client_a.get("/backoffice/").content.decode()  # in the back-office menu

    request = SponsorshipRequest.objects.get(tenant=town_a)
    assert admin_client_a.post(PAGE, {"request": request.pk, "answered": "1"}).status_code == 302
    request.refresh_from_db()
    assert request.status == "answered" and request.answered_at is not None
    assert "Beantwortet" in admin_client_a.get(PAGE).content.decode()


def test_another_towns_admin_neither_sees_nor_answers_the_request(town_a, town_b, admin_client_b, catalogue):
    cache.clear()
    _user, organisation, client = _business_manager(town_a)
    client.post("/sponsoring/anfragen/", {"organisation": organisation.pk, "message": "Geheim"})
    request = SponsorshipRequest.objects.get(tenant=town_a)

    assert "Bäckerei Korn" not in admin_client_b.get(PAGE).content.decode()
    assert admin_client_b.post(PAGE, {"request": request.pk, "answered": "1"}).status_code == 404
    request.refresh_from_db()
    assert request.status == "open"


def test_only_the_town_admin_opens_the_list(town_a, catalogue):
    _user, _organisation, business = _business_manager(town_a)
    assert business.get(PAGE).status_code == 403
    assert business.post(PAGE, {"request": 1, "answered": "1"}).status_code == 403


def test_who_asked_and_what_they_wrote_are_in_their_export_and_go_with_their_account(town_a, catalogue):
    from django_tenants.utils import tenant_context

    from core.personal_data import personal_data_erase
    from tests.core.personal_data_helpers import section

    cache.clear()
    user, organisation, client = _business_manager(town_a)
    client.post("/sponsoring/anfragen/", {"organisation": organisation.pk, "message": "Ruft mich an: 0170 123"})
    with tenant_context(town_a):
        [asked] = section(user, "billing")["sponsorship_requests"]
        assert (asked["organisation_name"], asked["message"]) == ("Bäckerei Korn", "Ruft mich an: 0170 123")
        personal_data_erase(user)
    request = SponsorshipRequest.objects.get(tenant=town_a)
    assert (request.user_id, request.message, request.organisation_name) == (None, "", "Bäckerei Korn")
