"""The report API: residents report and follow their reports; bad input is a 400 that stores nothing."""

from __future__ import annotations

from django_tenants.utils import schema_context

from modules.moderation.models import Report
from modules.moderation.services import case_decide
from tests.accounts.factories import UserFactory
from tests.helpers import TownClient, host_of, logged_in_client

URL = "/api/v1/moderation/reports/create/"


def test_a_resident_reports_a_profile_and_sees_the_outcome(town_a, resident, reporter, moderator):
    client = logged_in_client(town_a, reporter)
    response = client.post(URL, {"kind": "moderation.profile", "object_id": resident.pk, "category": "insult",
                                 "text": "Beleidigt Nachbarn."}, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "moderation.profile" and body["object_id"] == resident.pk and body["outcome"] is None
    case_decide(case_id=Report.objects.get().case_id, action="dismiss", acting_user=moderator)
    mine = client.get("/api/v1/moderation/reports/").json()
    assert [row["outcome"] for row in mine["results"]] == ["dismiss"]


def test_bad_input_unknown_content_and_anonymous(town_a, resident, reporter):
    client = logged_in_client(town_a, reporter)
    for data in ({"kind": "moderation.profile", "object_id": resident.pk, "category": "insult", "text": ""},
                 {"kind": "moderation.profile", "object_id": resident.pk, "category": "frei", "text": "x"},
                 {"kind": "moderation.profile", "object_id": 2**70, "category": "spam", "text": "x"}):
        assert client.post(URL, data, content_type="application/json").status_code == 400
    missing = {"kind": "moderation.profile", "object_id": 987654321, "category": "spam", "text": "x"}
    assert client.post(URL, missing, content_type="application/json").status_code == 404
    unknown = {"kind": "gibt.es.nicht", "object_id": 1, "category": "spam", "text": "x"}
    assert client.post(URL, unknown, content_type="application/json").status_code == 404
    twice = {"kind": "moderation.profile", "object_id": resident.pk, "category": "spam", "text": "Spam"}
    assert client.post(URL, twice, content_type="application/json").status_code == 201
    assert client.post(URL, twice, content_type="application/json").status_code == 400
    anonymous = TownClient(host_of(town_a)).post(URL, twice, content_type="application/json")
    assert anonymous.status_code in (401, 403)
    assert Report.objects.count() == 1


def test_town_b_cannot_report_a_profile_of_town_a(town_a, town_b):
    with schema_context(town_a.schema_name):
        only_in_a = UserFactory(email="nur-in-a@example.org")
    with schema_context(town_b.schema_name):
        reporter_b = UserFactory(email="melder-b@example.org")
        from accounts.models import User

        assert not User.objects.filter(pk=only_in_a.pk).exists()  # given: B has nobody with that id
    response = logged_in_client(town_b, reporter_b).post(
        URL, {"kind": "moderation.profile", "object_id": only_in_a.pk, "category": "spam", "text": "x"},
        content_type="application/json")
    assert response.status_code == 404
