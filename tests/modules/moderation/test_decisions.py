"""Decisions apply once, bulk actions for spam waves, and the queue costs the same for 10 or 200 reports."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tenants.utils import schema_context

from accounts.models import User
from modules.moderation.models import AuditEntry, Case, CaseStatus, Decision, Report
from modules.moderation.services import MAX_BULK, Statement, case_decide, cases_decide_bulk
from tests.accounts.factories import UserFactory
from tests.helpers import logged_in_client, sql_statements
from tests.modules.moderation.factories import ReportFactory

STATEMENT = {"facts": "Spam-Welle mit Uhrenwerbung", "ground": "terms", "ground_detail": "§ 4 Nutzungsbedingungen"}


def _cases(fake_kind, author, count: int, *, reports_each: int = 1, start: int = 1) -> list[int]:
    """``count`` reported notes, straight into the tables (the services would take long for hundreds)."""
    reporters = [UserFactory(email=f"melder{n}-{start}@example.org") for n in range(reports_each)]
    cases = Case.objects.bulk_create([
        Case(kind="test.note", object_id=pk, author=author, excerpt=f"Billige Uhren Nummer {pk}")
        for pk in range(start, start + count)])
    Report.objects.bulk_create([Report(case=case, reporter=reporter, category="spam", text="Spam")
                                for case in cases for reporter in reporters])
    for case in cases:
        fake_kind.add(case.object_id, author=author)
    return [case.pk for case in cases]


def test_the_same_decision_form_submitted_twice_applies_once(town_a, fake_kind, resident, reporter, moderator):
    fake_kind.add(1, author=resident)
    report = ReportFactory(reporter=reporter)
    client = logged_in_client(town_a, moderator)
    url = f"/moderation/manage/{report.case_id}/decide/"
    assert client.post(url, {"action": "delete", **STATEMENT}).status_code == 302
    with override("de"):
        second = client.post(url, {"action": "delete", **STATEMENT}, HTTP_ACCEPT_LANGUAGE="de")
        assert second.status_code == 400
        assert _("This case has already been decided.") in second.content.decode() or (
            _("This action is not possible for this case.") in second.content.decode())
    assert Decision.objects.count() == 1
    assert fake_kind.calls == [("delete", 1)]


def test_the_database_refuses_a_second_decision_in_the_same_round(in_town_a, fake_kind, resident, reporter, moderator):
    fake_kind.add(1, author=resident)
    report = ReportFactory(reporter=reporter)
    Decision.objects.create(case_id=report.case_id, action="warn", moderator=moderator)
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(case_id=report.case_id, action="hide", moderator=moderator)


@pytest.mark.django_db(transaction=True)
def test_two_moderators_deciding_at_the_same_moment_apply_once(town_a, fake_kind, notifications_off):
    # given: committed rows, so two connections see them. Without notifications: a Celery worker
    # started by an earlier test would otherwise write notifications for these people while the
    # clean-up below deletes them.
    connection.set_tenant(town_a)
    author = UserFactory(email="autorin-t@example.org")
    mods = [UserFactory(email=f"mod-t{n}@example.org", role="moderator") for n in range(2)]
    reporter = UserFactory(email="melder-t@example.org")
    fake_kind.add(1, author=author)
    case_id = ReportFactory(reporter=reporter).case_id
    connection.set_schema_to_public()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(moderator) -> None:
        try:
            connection.set_tenant(town_a)
            barrier.wait()
            case_decide(case_id=case_id, action="hide", acting_user=moderator,
                        statement=Statement(**STATEMENT))
            outcomes.append("decided")
        except Exception as error:  # noqa: BLE001 - the loser's refusal is what we count
            outcomes.append(type(error).__name__)
        finally:
            connections.close_all()

    try:
        threads = [threading.Thread(target=decide, args=(m,)) for m in mods]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        # then
        assert sorted(outcomes) == ["ValidationError", "decided"]
        with schema_context(town_a.schema_name):
            assert Decision.objects.filter(case_id=case_id).count() == 1
            assert AuditEntry.objects.filter(case_id=case_id).count() == 1
        assert fake_kind.calls == [("set_hidden", 1, True)]
    finally:
        # The flush after a transactional test leaves town schemas alone: take our rows away ourselves.
        with schema_context(town_a.schema_name):
            AuditEntry.objects.filter(case_id=case_id).delete()
            Case.objects.filter(pk=case_id).delete()
            User.objects.filter(pk__in=[author.pk, reporter.pk, *(m.pk for m in mods)]).delete()


def test_a_spam_wave_of_60_items_is_hidden_at_once_with_one_statement(town_a, fake_kind, resident, moderator):
    ids = _cases(fake_kind, resident, 60)
    client = logged_in_client(town_a, moderator)
    response = client.post("/moderation/manage/bulk/", {"action": "hide", "cases": ids, **STATEMENT})
    assert response.status_code == 302
    assert all(note.hidden for note in fake_kind.notes.values())
    assert Decision.objects.filter(is_bulk=True, action="hide").count() == 60
    assert set(Decision.objects.values_list("facts", flat=True)) == {STATEMENT["facts"]}
    assert AuditEntry.objects.filter(is_bulk=True).count() == 60
    assert not Case.objects.filter(status=CaseStatus.OPEN).exists()


def test_a_bulk_action_needs_reasons_and_skips_what_is_already_decided(in_town_a, fake_kind, resident, moderator):
    from django.core.exceptions import ValidationError

    ids = _cases(fake_kind, resident, 3)
    with pytest.raises(ValidationError):
        cases_decide_bulk(case_ids=ids, action="delete", acting_user=moderator)  # no statement
    assert len(fake_kind.notes) == 3
    case_decide(case_id=ids[0], action="dismiss", acting_user=moderator)
    result = cases_decide_bulk(case_ids=ids, action="delete", acting_user=moderator, statement=Statement(**STATEMENT))
    assert result.decided == 2 and len(result.skipped) == 1
    assert list(fake_kind.notes) == [ids and 1]
    with pytest.raises(ValidationError):
        cases_decide_bulk(case_ids=list(range(1, MAX_BULK + 2)), action="dismiss", acting_user=moderator)


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(sql_statements(queries))


@pytest.mark.parametrize("path", ["/moderation/manage/", "/moderation/manage/?kind=test.note&status=open",
                                  "/moderation/manage/log/"])
def test_the_queue_costs_the_same_queries_for_10_and_200_reports(town_a, fake_kind, resident, moderator, path,
                                                                 record_property, pages_rendered):
    from tests.helpers import admin_of

    client = logged_in_client(town_a, admin_of(town_a))
    ids = _cases(fake_kind, resident, 10, reports_each=1)
    AuditEntry.objects.bulk_create([AuditEntry(actor=moderator, action="hide", kind="test.note", object_id=n)
                                    for n in ids])
    client.get(path)  # warm the caches (town, profile, module switches)
    few = _queries(client, path)
    more = _cases(fake_kind, resident, 60, reports_each=3, start=1000)  # 190 reports more
    AuditEntry.objects.bulk_create([AuditEntry(actor=moderator, action="hide", kind="test.note", object_id=n)
                                    for n in more])
    many = _queries(client, path)
    record_property("queries", f"{path}: {few} with 10 reports, {many} with 200")
    print(f"{path}: {few} queries with 10 reports, {many} with 200")
    assert few == many
    assert many <= 15


def test_in_a_town_with_one_moderator_that_moderator_decides_the_objection(in_town_a, fake_kind, resident, reporter):
    from modules.moderation.services import objection_create
    from tests.helpers import admin_of

    only_moderator = admin_of(in_town_a)  # the admin is the town's only moderator here
    fake_kind.add(1, author=resident)
    case_id = ReportFactory(reporter=reporter).case_id
    first = case_decide(case_id=case_id, action="hide", acting_user=only_moderator, statement=Statement(**STATEMENT))
    objection_create(decision_id=first.pk, text="Das ist keine Werbung.", acting_user=resident)
    final = case_decide(case_id=case_id, action="uphold", acting_user=only_moderator,
                        statement=Statement(**STATEMENT))
    assert final.is_final and fake_kind.notes[1].hidden is True


def test_nobody_but_the_author_objects_and_a_dismissal_has_no_objection(in_town_a, fake_kind, resident, reporter,
                                                                        moderator):
    from django.core.exceptions import PermissionDenied, ValidationError

    from modules.moderation.services import objection_create

    fake_kind.add(1, author=resident)
    case_id = ReportFactory(reporter=reporter).case_id
    dismissal = case_decide(case_id=case_id, action="dismiss", acting_user=moderator)
    with pytest.raises(PermissionDenied):
        objection_create(decision_id=dismissal.pk, text="Ich auch", acting_user=reporter)
    with pytest.raises(ValidationError):
        objection_create(decision_id=dismissal.pk, text="Warum?", acting_user=resident)
    with pytest.raises(ValidationError):
        case_decide(case_id=case_id, action="hide", acting_user=moderator, statement=Statement(**STATEMENT))


def test_a_moderator_does_not_decide_on_their_own_content(in_town_a, fake_kind, reporter, moderator, second_moderator):
    from django.core.exceptions import ValidationError

    fake_kind.add(1, author=moderator)
    case_id = ReportFactory(reporter=reporter).case_id
    with override("de"), pytest.raises(ValidationError) as error:
        case_decide(case_id=case_id, action="dismiss", acting_user=moderator)
    with override("de"):
        assert error.value.messages == [
            _("This is about your own content or profile. Another moderator of the town decides.")]
    assert case_decide(case_id=case_id, action="dismiss", acting_user=second_moderator).action == "dismiss"
