"""The whole notice-and-action path: report → queue → decision with reasons → objection → final decision."""

from __future__ import annotations

import pytest
from django.utils.translation import gettext as _
from django.utils.translation import override

from modules.moderation import facade
from modules.moderation.models import AuditEntry, Case, CaseStatus, Decision, Objection, Report, Suspension
from modules.notifications.models import Notification
from tests.accounts.factories import UserFactory
from tests.helpers import logged_in_client

STATEMENT = {"facts": "Der Beitrag wirbt für gefälschte Uhren; drei Meldungen.", "ground": "terms",
             "ground_detail": "§ 4 der Nutzungsbedingungen (keine Werbung)"}


def _notes_for(user, event: str) -> list[Notification]:
    return list(Notification.objects.filter(user=user, event=event).order_by("created_at", "id"))


@pytest.mark.usefixtures("celery_eager")
def test_a_reported_note_is_hidden_then_restored_on_objection_and_everyone_is_told(
        town_a, fake_kind, resident, reporter, moderator, second_moderator, django_capture_on_commit_callbacks):
    # given: Rita's note and two residents who report it
    fake_kind.add(7, author=resident)
    other_reporter = UserFactory(email="zweite@example.org", name="Zora Zweite")
    url = facade.report_url(kind="test.note", object_id=7)
    for person in (reporter, other_reporter):
        response = logged_in_client(town_a, person).post(url, {"category": "spam", "text": "Werbung für Uhren"})
        assert response.status_code == 302
    case = Case.objects.get(kind="test.note", object_id=7)
    assert case.reports.count() == 2 and case.status == CaseStatus.OPEN

    # the queue shows one item with both reports and the excerpt
    mod_client = logged_in_client(town_a, moderator)
    queue = mod_client.get("/moderation/manage/")
    assert queue.status_code == 200
    assert queue.content.decode().count(f'href="/moderation/manage/{case.pk}/"') == 1
    assert "Kaufen Sie billige Uhren!" in queue.content.decode()
    detail = mod_client.get(f"/moderation/manage/{case.pk}/")
    assert "Werbung für Uhren" in detail.content.decode()

    # when: the moderator hides it with a statement of reasons
    with django_capture_on_commit_callbacks(execute=True):
        response = mod_client.post(f"/moderation/manage/{case.pk}/decide/", {"action": "hide", **STATEMENT})
    assert response.status_code == 302
    assert fake_kind.notes[7].hidden is True
    first = Decision.objects.get(case=case)
    assert first.action == "hide" and first.moderator == moderator

    # then: the author gets the statement in the notification centre, the reporters the outcome
    (notice,) = _notes_for(resident, "moderation.decision")
    assert notice.url == f"/moderation/entscheidung/{first.pk}/"
    assert "§ 4 der Nutzungsbedingungen" in notice.body and notice.topic == "moderation.decisions"
    assert len(_notes_for(reporter, "moderation.outcome")) == 1
    assert len(_notes_for(other_reporter, "moderation.outcome")) == 1
    with override("de"):
        mine = logged_in_client(town_a, reporter).get("/moderation/meine-meldungen/", HTTP_ACCEPT_LANGUAGE="de")
    assert mine.status_code == 200

    # the author reads the decision and objects once
    author_client = logged_in_client(town_a, resident)
    page = author_client.get(first_url := f"/moderation/entscheidung/{first.pk}/")
    assert page.status_code == 200
    assert "Der Beitrag wirbt für gefälschte Uhren" in page.content.decode()
    assert f'action="{first_url}widerspruch/"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = author_client.post(first_url + "widerspruch/", {"text": "Das war ein privater Verkauf."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.OBJECTION

    # a second objection is refused
    again = author_client.post(first_url + "widerspruch/", {"text": "Noch einmal!"})
    assert again.status_code == 400
    assert Objection.objects.count() == 1

    # the objection is back in the queue, marked; the first moderator leaves it to another one
    queue = mod_client.get("/moderation/manage/?status=objection")
    assert f'href="/moderation/manage/{case.pk}/"' in queue.content.decode()
    refused = mod_client.post(f"/moderation/manage/{case.pk}/decide/", {"action": "restore", **STATEMENT})
    assert refused.status_code == 400
    assert fake_kind.notes[7].hidden is True

    # when: a second moderator restores it
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in_client(town_a, second_moderator).post(
            f"/moderation/manage/{case.pk}/decide/",
            {"action": "restore", "facts": "Privater Verkauf, keine gewerbliche Werbung.", "ground": "terms",
             "ground_detail": "§ 4 der Nutzungsbedingungen erlaubt private Angebote"})
    assert response.status_code == 302

    # then: visible again, a final notice, the reporters told again, no further objection
    assert fake_kind.notes[7].hidden is False
    final = Decision.objects.get(case=case, is_final=True)
    finals = _notes_for(resident, "moderation.decision")
    assert len(finals) == 2 and finals[1].url == f"/moderation/entscheidung/{final.pk}/"
    assert len(_notes_for(reporter, "moderation.outcome")) == 2
    final_page = author_client.get(f"/moderation/entscheidung/{final.pk}/")
    assert "widerspruch/" not in final_page.content.decode()
    assert author_client.post(f"/moderation/entscheidung/{final.pk}/widerspruch/", {"text": "Nein"}).status_code == 400
    # and every step is in the audit log
    assert list(AuditEntry.objects.filter(case=case).order_by("created_at", "id").values_list("action", flat=True)) == [
        "hide", "objection", "objection_restore"]


@pytest.mark.usefixtures("celery_eager")
def test_a_reported_profile_is_suspended_and_the_suspension_lifted_on_objection(
        town_a, resident, reporter, moderator, second_moderator, django_capture_on_commit_callbacks):
    # given: Rita's profile is reported
    url = facade.report_url(kind="moderation.profile", object_id=resident.pk)
    form = logged_in_client(town_a, reporter).get(url)
    assert form.status_code == 200 and "Rita Rüpel" in form.content.decode()
    sent = logged_in_client(town_a, reporter).post(url, {"category": "insult", "text": "Beleidigt alle."})
    assert sent.status_code == 302
    case = Case.objects.get(kind="moderation.profile", object_id=resident.pk)
    mod_client = logged_in_client(town_a, moderator)

    # a profile offers warn and suspend only
    page = mod_client.get(f"/moderation/manage/{case.pk}/").content.decode()
    assert 'value="suspend"' in page and 'value="warn"' in page and 'value="hide"' not in page
    assert mod_client.post(f"/moderation/manage/{case.pk}/decide/", {"action": "hide", **STATEMENT}).status_code == 400

    # when: suspended for a week
    with django_capture_on_commit_callbacks(execute=True):
        response = mod_client.post(f"/moderation/manage/{case.pk}/decide/",
                                   {"action": "suspend", "suspension_days": "7", **STATEMENT})
    assert response.status_code == 302

    # then: she can't post, and her decision page says why and until when
    assert facade.user_is_suspended(resident.pk)
    decision = Decision.objects.get(case=case)
    (notice,) = _notes_for(resident, "moderation.decision")
    author_client = logged_in_client(town_a, resident)
    with override("de"):
        page = author_client.get(notice.url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
        assert _("Statement of reasons") in page
    assert "§ 4 der Nutzungsbedingungen" in page
    from django.core.exceptions import ValidationError
    with pytest.raises(ValidationError):
        facade.activity_check(user=resident, action="post")

    # she objects, another moderator lifts the suspension
    author_client.post(f"/moderation/entscheidung/{decision.pk}/widerspruch/", {"text": "Ich wurde provoziert."})
    with django_capture_on_commit_callbacks(execute=True):
        logged_in_client(town_a, second_moderator).post(
            f"/moderation/manage/{case.pk}/decide/", {"action": "restore", **STATEMENT})
    assert not facade.user_is_suspended(resident.pk)
    assert Suspension.objects.get(user=resident).lifted_at is not None
    assert len(_notes_for(resident, "moderation.decision")) == 2
    assert len(_notes_for(reporter, "moderation.outcome")) == 2
    facade.activity_check(user=resident, action="post")


def test_dismissing_needs_no_reasons_and_tells_only_the_reporter(town_a, fake_kind, resident, reporter, moderator,
                                                                  celery_eager, django_capture_on_commit_callbacks):
    fake_kind.add(3, author=resident)
    logged_in_client(town_a, reporter).post(facade.report_url(kind="test.note", object_id=3),
                                            {"category": "other", "text": "Gefällt mir nicht"})
    case = Case.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in_client(town_a, moderator).post(f"/moderation/manage/{case.pk}/decide/",
                                                            {"action": "dismiss"})
    assert response.status_code == 302
    assert not _notes_for(resident, "moderation.decision")
    assert len(_notes_for(reporter, "moderation.outcome")) == 1
    assert fake_kind.calls == []
    # a decision other than dismiss without reasons is refused, with the reason on the form
    fake_kind.add(4, author=resident)
    logged_in_client(town_a, reporter).post(facade.report_url(kind="test.note", object_id=4),
                                            {"category": "spam", "text": "Spam"})
    case = Case.objects.get(object_id=4)
    with override("de"):
        response = logged_in_client(town_a, moderator).post(f"/moderation/manage/{case.pk}/decide/",
                                                            {"action": "delete"}, HTTP_ACCEPT_LANGUAGE="de")
        assert response.status_code == 400
        assert _("Please state the facts and circumstances the decision is based on.") in response.content.decode()
    assert 4 in fake_kind.notes


def test_a_new_report_after_a_decision_opens_a_new_case(in_town_a, fake_kind, resident, reporter, moderator):
    from modules.moderation.services import case_decide, report_create

    fake_kind.add(5, author=resident)
    first = report_create(kind="test.note", object_id=5, category="spam", text="Spam", acting_user=reporter)
    case_decide(case_id=first.case_id, action="dismiss", acting_user=moderator)
    second = report_create(kind="test.note", object_id=5, category="spam", text="Immer noch Spam",
                           acting_user=reporter)
    assert second.case_id != first.case_id
    assert Report.objects.count() == 2


def test_reports_beyond_the_hourly_limit_are_refused_and_not_stored(in_town_a, fake_kind, resident, reporter):
    from django.core.exceptions import ValidationError
    from django.test import override_settings

    from modules.moderation.services import report_create

    for object_id in (1, 2, 3):
        fake_kind.add(object_id, author=resident)
    with override_settings(WRITE_LIMITS_PER_HOUR={"moderation.report": 2}), override("de"):
        report_create(kind="test.note", object_id=1, category="spam", text="Spam", acting_user=reporter)
        report_create(kind="test.note", object_id=2, category="spam", text="Spam", acting_user=reporter)
        with pytest.raises(ValidationError) as refused:
            report_create(kind="test.note", object_id=3, category="spam", text="Spam", acting_user=reporter)
    assert "höchstens 2 Meldungen pro Stunde" in " ".join(refused.value.messages)
    assert Report.objects.count() == 2
