"""Official warnings from NINA: polled for the town's district, shown on every page, announced once."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from modules.alerts.models import OfficialWarning, PollState, WarningDispatch
from modules.alerts.services import warnings_poll
from modules.alerts.tasks import poll_nina
from modules.notifications.models import Notification
from tests.accounts.factories import UserFactory
from tests.modules.alerts.helpers import ARS, DWD_ID, LHP_ID, MOWAS_ID, fixture

pytestmark = pytest.mark.django_db


def _poll(capture):
    with capture(execute=True):
        return warnings_poll()


def test_a_new_warning_shows_on_every_page_and_reaches_every_resident_once(
    nina, with_ars, client_a, celery_eager, django_capture_on_commit_callbacks
):
    # given: two residents, one of whom never chose anything about urgent notices
    anna = UserFactory(email="anna@example.org")
    bernd = UserFactory(email="bernd@example.org")
    nina.scenario("dashboard_initial.json")

    # when
    result = _poll(django_capture_on_commit_callbacks)

    # then: three warnings stored, the MoWaS and the flood warning announced; the frost notice only shown
    assert sorted(OfficialWarning.objects.values_list("identifier", flat=True)) == sorted([MOWAS_ID, DWD_ID, LHP_ID])
    assert sorted(result.added) == sorted([MOWAS_ID, DWD_ID, LHP_ID]) and result.announced == 2
    fire = Notification.objects.filter(dedupe_key=f"alerts.warning:{MOWAS_ID}:1")
    assert set(fire.values_list("user_id", flat=True)) >= {anna.pk, bernd.pk}
    assert all(n.urgent and n.topic == "urgent" for n in fire)
    flood = Notification.objects.filter(dedupe_key=f"alerts.warning:{LHP_ID}:3")
    assert flood.filter(user=anna, topic="alerts.flood").exists()
    assert not Notification.objects.filter(dedupe_key__contains=DWD_ID).exists()
    # on every page, with the level in words
    page = client_a.get("/").content.decode()
    assert "Großbrand in Betzdorf – Rauchentwicklung" in page and ("Schwere Gefahr" in page or "Severe danger" in page)
    assert 'role="region"' in page and "alert-banner-heading" in page
    detail = client_a.get(OfficialWarning.objects.get(identifier=MOWAS_ID).get_absolute_url()).content.decode()
    assert "Halten Sie Fenster und Türen geschlossen." in detail


def test_the_same_warning_again_changes_nothing_and_notifies_nobody(
    nina, with_ars, celery_eager, django_capture_on_commit_callbacks
):
    UserFactory(email="anna@example.org")
    nina.scenario("dashboard_initial.json")
    _poll(django_capture_on_commit_callbacks)
    before = Notification.objects.count()
    nina.requests.clear()

    # when: beat fires twice, and the task is delivered once more
    second = _poll(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        poll_nina.apply()

    # then: nothing new; known versions cost no second details request
    assert second.added == second.updated == second.removed == [] and second.announced == 0
    assert Notification.objects.count() == before
    assert all("/dashboard/" in path for path in nina.requests)


def test_an_update_replaces_the_warning_and_is_announced_as_such(
    nina, with_ars, celery_eager, django_capture_on_commit_callbacks
):
    anna = UserFactory(email="anna@example.org")
    nina.scenario("dashboard_initial.json")
    _poll(django_capture_on_commit_callbacks)

    nina.scenario("dashboard_updated.json", mowas="warning_mowas_v2.json")
    result = _poll(django_capture_on_commit_callbacks)

    warning = OfficialWarning.objects.get(identifier=MOWAS_ID)
    assert result.updated == [MOWAS_ID] and warning.version == 2
    assert warning.instruction == "Halten Sie Fenster und Türen weiter geschlossen."
    update = Notification.objects.get(user=anna, dedupe_key=f"alerts.warning:{MOWAS_ID}:2")
    assert update.title.startswith(("Aktualisiert: ", "Update: "))
    # the frost notice is no longer on the dashboard: withdrawn upstream, gone here
    assert result.removed == [DWD_ID]
    assert OfficialWarning.objects.get(identifier=DWD_ID).withdrawn_at is not None


def test_a_withdrawn_or_cancelled_warning_disappears_from_the_banner(
    nina, with_ars, client_a, celery_eager, django_capture_on_commit_callbacks
):
    nina.scenario("dashboard_initial.json")
    _poll(django_capture_on_commit_callbacks)
    assert "Großbrand in Betzdorf" in client_a.get("/").content.decode()

    nina.scenario("dashboard_all_clear.json")
    result = _poll(django_capture_on_commit_callbacks)

    assert sorted(result.removed) == sorted([MOWAS_ID, DWD_ID, LHP_ID])
    assert not OfficialWarning.objects.filter(withdrawn_at__isnull=True).exists()
    assert "alert-banner" not in client_a.get("/").content.decode()
    assert "Großbrand" not in client_a.get("/alerts/").content.decode()
    # whoever follows an earlier notification's link learns that it is over
    old = client_a.get(OfficialWarning.objects.get(identifier=MOWAS_ID).get_absolute_url()).content.decode()
    assert "Diese Warnung ist vorbei." in old or "This warning is over." in old


@pytest.mark.parametrize(("status", "body", "delay"), [
    (503, b"Service Unavailable", 0.0),  # HTTP error
    (200, b"<html>Wartung</html>", 0.0),  # not JSON
    (200, b'{"error": "unknown"}', 0.0),  # JSON, but not the documented list
    (200, b'[{"id": "mow.x", "payload": {}}]', 0.0),  # a warning without its content
    (200, b"[]", 1.5),  # slower than NINA_TIMEOUT_SECONDS
], ids=["http-error", "not-json", "not-a-list", "malformed-entry", "timeout"])
def test_when_nina_fails_the_last_good_state_stays_with_its_date(
    nina, with_ars, client_a, admin_client_a, celery_eager, django_capture_on_commit_callbacks, status, body, delay
):
    nina.scenario("dashboard_initial.json")
    _poll(django_capture_on_commit_callbacks)
    good_at = PollState.objects.get().last_success_at

    nina.serve(f"/api31/dashboard/{ARS}.json", body, status=status, delay=delay)
    result = _poll(django_capture_on_commit_callbacks)

    state = PollState.objects.get()
    assert not result.ok and state.last_error and state.last_success_at == good_at
    assert OfficialWarning.objects.count() == 3
    page = client_a.get("/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Großbrand in Betzdorf" in html and ("Stand" in html or "As of" in html)
    manage = admin_client_a.get("/alerts/manage/").content.decode()
    assert state.last_error in manage


def test_a_details_failure_half_way_stores_nothing_of_that_poll(
    nina, with_ars, celery_eager, django_capture_on_commit_callbacks
):
    nina.scenario("dashboard_initial.json")
    nina.serve(f"/api31/warnings/{LHP_ID}.json", b"kaputt", status=500)

    result = _poll(django_capture_on_commit_callbacks)

    assert not result.ok and not OfficialWarning.objects.exists() and not WarningDispatch.objects.exists()


def test_a_town_without_an_ars_asks_nina_nothing(nina, in_town_a):
    nina.scenario("dashboard_initial.json")
    assert warnings_poll().polled is False
    assert nina.requests == []


def test_each_warning_version_is_announced_at_most_once_by_the_database(in_town_a):
    WarningDispatch.objects.create(identifier=MOWAS_ID, version=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        WarningDispatch.objects.create(identifier=MOWAS_ID, version=1)
    WarningDispatch.objects.create(identifier=MOWAS_ID, version=2)  # a new version is a new announcement


def test_a_second_claim_of_the_same_version_gets_nothing(in_town_a):
    from modules.alerts.services import _dispatch_claim

    assert _dispatch_claim([(MOWAS_ID, 1), (LHP_ID, 3)]) == {(MOWAS_ID, 1), (LHP_ID, 3)}
    assert _dispatch_claim([(MOWAS_ID, 1), (LHP_ID, 3)]) == set()
    assert _dispatch_claim([(MOWAS_ID, 2), (LHP_ID, 3)]) == {(MOWAS_ID, 2)}


def test_a_warning_that_comes_back_in_the_same_version_is_not_announced_again(
    nina, with_ars, celery_eager, django_capture_on_commit_callbacks
):
    anna = UserFactory(email="anna@example.org")
    nina.scenario("dashboard_initial.json")
    _poll(django_capture_on_commit_callbacks)
    nina.serve(f"/api31/dashboard/{ARS}.json", b"[]")
    _poll(django_capture_on_commit_callbacks)  # briefly gone from the dashboard
    nina.scenario("dashboard_initial.json")

    result = _poll(django_capture_on_commit_callbacks)

    assert MOWAS_ID in result.added and result.announced == 0
    assert Notification.objects.filter(user=anna, dedupe_key__startswith=f"alerts.warning:{MOWAS_ID}").count() == 1


def test_a_resident_can_switch_flood_warnings_off(
    nina, with_ars, celery_eager, django_capture_on_commit_callbacks
):
    from tests.modules.notifications.factories import TopicPreferenceFactory

    anna = UserFactory(email="anna@example.org")
    TopicPreferenceFactory(user=anna, topic="alerts.flood", enabled=False)
    nina.scenario("dashboard_initial.json")

    _poll(django_capture_on_commit_callbacks)

    assert set(Notification.objects.filter(user=anna).values_list("topic", flat=True)) == {"urgent"}


def test_the_fixtures_are_in_the_documented_format():
    import json

    dashboard = json.loads(fixture("dashboard_initial.json"))
    assert {"id", "payload", "i18nTitle", "sent"} <= set(dashboard[0])
    assert {"version", "type", "id", "hash", "data"} <= set(dashboard[0]["payload"])
    details = json.loads(fixture("warning_mowas_v1.json"))
    assert {"identifier", "sender", "sent", "status", "msgType", "scope", "info"} <= set(details)


def test_withdrawn_warnings_are_forgotten_after_a_month(nina, with_ars, celery_eager,
                                                       django_capture_on_commit_callbacks):
    import datetime

    from django.utils import timezone

    from tests.modules.alerts.factories import OfficialWarningFactory

    old = OfficialWarningFactory(withdrawn_at=timezone.now() - datetime.timedelta(days=31))
    recent = OfficialWarningFactory(withdrawn_at=timezone.now() - datetime.timedelta(days=2))
    nina.serve(f"/api31/dashboard/{ARS}.json", b"[]")

    _poll(django_capture_on_commit_callbacks)

    assert list(OfficialWarning.objects.values_list("pk", flat=True)) == [recent.pk] and old.pk != recent.pk


def test_a_poll_that_runs_out_of_time_keeps_the_last_state(nina, with_ars, settings, celery_eager,
                                                           django_capture_on_commit_callbacks):
    settings.NINA_POLL_BUDGET_SECONDS = 0.0  # every details request would come too late
    nina.scenario("dashboard_initial.json")

    result = _poll(django_capture_on_commit_callbacks)

    assert not result.ok and ("langsam" in result.error or "slowly" in result.error)
    assert not OfficialWarning.objects.exists()
