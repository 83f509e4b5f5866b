"""Who may see the queue, act, read the log; and town B sees nothing of town A."""

from __future__ import annotations

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from accounts.models import Role
from modules.moderation.models import AuditEntry, Case, CaseStatus, Decision
from modules.moderation.services import Statement, case_decide
from tests.accounts.factories import UserFactory
from tests.helpers import admin_of, logged_in_client
from tests.modules.moderation.factories import ReportFactory
from tests.town.factories import MembershipFactory, OrganisationFactory

STATEMENT = {"facts": "Spam", "ground": "terms", "ground_detail": "§ 4"}


@pytest.fixture
def case(in_town_a, fake_kind, resident, reporter) -> Case:
    fake_kind.add(1, author=resident)
    report = ReportFactory(reporter=reporter)
    return Case.objects.get(pk=report.case_id)


def _editor():
    user = UserFactory(email="redaktion@example.org")
    organisation = OrganisationFactory(name="Feuerwehr Altdorf", slug="feuerwehr-altdorf-mod")
    MembershipFactory(user=user, organisation=organisation, role="editor")
    return user


def test_residents_and_editors_get_403_everywhere_in_the_back_office(town_a, case, resident):
    pages = ["/moderation/manage/", f"/moderation/manage/{case.pk}/", "/moderation/manage/log/",
             "/moderation/manage/word-filter/"]
    for person in (resident, _editor()):
        client = logged_in_client(town_a, person)
        for page in pages:
            assert client.get(page).status_code == 403, page
        assert client.post(f"/moderation/manage/{case.pk}/decide/", {"action": "dismiss"}).status_code == 403
        assert client.post("/moderation/manage/bulk/", {"action": "dismiss", "cases": [case.pk]}).status_code == 403
        assert client.post("/moderation/manage/word-filter/", {"terms": "mist"}).status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and not Decision.objects.exists()


def test_moderators_act_but_only_admins_read_the_audit_log(town_a, case, moderator):
    client = logged_in_client(town_a, moderator)
    assert client.get("/moderation/manage/").status_code == 200
    assert client.get("/moderation/manage/log/").status_code == 403
    assert client.post(f"/moderation/manage/{case.pk}/decide/", {"action": "dismiss"}).status_code == 302
    admin = logged_in_client(town_a, admin_of(town_a))
    log = admin.get("/moderation/manage/log/")
    assert log.status_code == 200
    assert "Mona Moderatorin" in log.content.decode()


def test_the_audit_log_is_newest_first_and_paginated(town_a, in_town_a, moderator):
    AuditEntry.objects.bulk_create([AuditEntry(actor=moderator, action="hide", kind="test.note", object_id=n,
                                               reason=f"Grund {n}") for n in range(60)])
    admin = logged_in_client(town_a, admin_of(town_a))
    first = admin.get("/moderation/manage/log/").content.decode()
    assert "Grund 59" in first and "Grund 9<" not in first and 'rel="next"' in first
    second = admin.get("/moderation/manage/log/?page=2").content.decode()
    assert "Grund 9<" in second and "Grund 59" not in second


def test_only_the_author_and_moderators_see_a_decision(town_a, case, resident, reporter, moderator):
    decision = case_decide(case_id=case.pk, action="warn", acting_user=moderator,
                           statement=Statement(facts="Spam", ground="terms", ground_detail="§ 4"))
    url = f"/moderation/entscheidung/{decision.pk}/"
    assert logged_in_client(town_a, resident).get(url).status_code == 200
    assert logged_in_client(town_a, moderator).get(url).status_code == 200
    assert logged_in_client(town_a, reporter).get(url).status_code == 404
    assert logged_in_client(town_a, reporter).post(url + "widerspruch/", {"text": "Ich!"}).status_code == 404
    assert logged_in_client(town_a, moderator).post(url + "widerspruch/", {"text": "Ich!"}).status_code == 403


def test_town_b_sees_and_changes_nothing_of_town_a(town_a, town_b, case, fake_kind, moderator):
    # given: a moderator in B, and B has no content 1 of that kind (the fake kind is empty there too)
    connection.set_schema_to_public()
    with schema_context(town_b.schema_name):
        moderator_b = UserFactory(email="mod@example.org", name="Bernd aus B", role=Role.MODERATOR)
    fake_kind.notes.clear()  # content lives in A's schema; in B the kind's get() finds nothing
    client_b = logged_in_client(town_b, moderator_b)
    # when / then
    assert client_b.get(f"/moderation/manage/{case.pk}/").status_code == 404
    assert client_b.post(f"/moderation/manage/{case.pk}/decide/", {"action": "dismiss"}).status_code == 404
    assert client_b.get("/moderation/melden/test.note/1/").status_code == 404
    assert "Kaufen Sie" not in client_b.get("/moderation/manage/").content.decode()
    response = client_b.post("/moderation/manage/bulk/", {"action": "dismiss", "cases": [case.pk], **STATEMENT})
    assert response.status_code == 302
    with schema_context(town_a.schema_name):
        assert Case.objects.get(pk=case.pk).status == CaseStatus.OPEN
    with schema_context(town_b.schema_name):
        assert not Decision.objects.exists()


def test_a_report_url_of_a_profile_in_a_is_404_on_b(town_a, town_b, admin_client_b):
    from accounts.models import User

    with schema_context(town_a.schema_name):
        only_in_a = UserFactory(email="nur-in-a@example.org")
    with schema_context(town_b.schema_name):
        assert not User.objects.filter(pk=only_in_a.pk).exists()  # given: B has nobody with that id
    assert admin_client_b.get(f"/moderation/melden/moderation.profile/{only_in_a.pk}/").status_code == 404
