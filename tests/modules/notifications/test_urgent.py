"""Urgent notices from the town hall: a back-office form, every resident at once on every channel."""

from __future__ import annotations

from modules.notifications.models import Notification, UrgentNotice
from tests.accounts.factories import UserFactory
from tests.helpers import admin_of, logged_in_client
from tests.modules.notifications.factories import (
    NotificationSettingsFactory,
    TopicPreferenceFactory,
    UrgentNoticeFactory,
)
from tests.modules.notifications.helpers import berlin

FORM = {"title": "Trinkwasser abkochen", "body": "Bitte Leitungswasser bis auf Weiteres abkochen.",
        "url": "https://www.example.org/wasser", "confirm": "on"}


def test_an_urgent_notice_reaches_everyone_at_once_even_at_night(
    in_town_a, celery_eager, django_capture_on_commit_callbacks, mailoutbox, monkeypatch
):
    # given: 03:00 at night; a resident on the weekly digest, one who turned off e-mail, one who left urgent
    monkeypatch.setattr("django.utils.timezone.now", lambda: berlin(3))
    sleeper = UserFactory(email="schlaf@example.org")
    weekly = UserFactory(email="woche@example.org")
    NotificationSettingsFactory(user=weekly, email_frequency="weekly")
    no_urgent = UserFactory(email="nicht@example.org")
    TopicPreferenceFactory(user=no_urgent, topic="urgent", enabled=False)
    client = logged_in_client(in_town_a, admin_of(in_town_a))

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/notifications/manage/urgent/", FORM)

    # then: everyone except the one who opted out has it, by e-mail right now too
    assert response.status_code == 302
    notice = UrgentNotice.objects.get()
    reached = set(Notification.objects.filter(dedupe_key=f"urgent:{notice.pk}").values_list("user__email", flat=True))
    assert {"schlaf@example.org", "woche@example.org"} <= reached and "nicht@example.org" not in reached
    assert {m.to[0] for m in mailoutbox} == reached
    notice.refresh_from_db()
    assert notice.recipient_count == len(reached) and notice.delivered_at is not None
    assert Notification.objects.filter(user=sleeper).get().url == f"/notifications/urgent/{notice.pk}/"


def test_a_notice_for_one_village_reaches_only_its_residents(
    in_town_a, villages, daytime, celery_eager, django_capture_on_commit_callbacks
):
    in_x = UserFactory(email="x@example.org", ortsgemeinde=villages["x"])
    UserFactory(email="y@example.org", ortsgemeinde=villages["y"])
    client = logged_in_client(in_town_a, admin_of(in_town_a))
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/notifications/manage/urgent/", {**FORM, "ortsgemeinden": [villages["x"].pk]})
    assert list(Notification.objects.values_list("user_id", flat=True)) == [in_x.pk]


def test_only_the_town_admin_may_send(in_town_a):
    resident = UserFactory(email="bewohner@example.org")
    moderator = UserFactory(email="mod@example.org", role="moderator")
    for user in (resident, moderator):
        client = logged_in_client(in_town_a, user)
        assert client.get("/notifications/manage/urgent/").status_code == 403
        assert client.post("/notifications/manage/urgent/", FORM).status_code == 403
    assert not UrgentNotice.objects.exists()


def test_bad_input_shows_errors_and_sends_nothing(in_town_a, django_capture_on_commit_callbacks):
    client = logged_in_client(in_town_a, admin_of(in_town_a))
    bad = [
        {**FORM, "title": ""},
        {**FORM, "body": "x" * 1001},
        {**FORM, "confirm": ""},
        {**FORM, "url": "javascript:alert(1)"},
        {**FORM, "ortsgemeinden": ["999999"]},
    ]
    for data in bad:
        with django_capture_on_commit_callbacks() as callbacks:
            response = client.post("/notifications/manage/urgent/", data)
        assert response.status_code == 200
        assert "has-error" in response.content.decode()
        assert callbacks == []
    assert not UrgentNotice.objects.exists()


def test_the_notice_is_on_top_of_the_start_page_and_has_its_own_page(in_town_a, client_a):
    notice = UrgentNoticeFactory(title="Hochwasserwarnung", body="Die Nister steigt.")
    home = client_a.get("/").content.decode()
    assert "Hochwasserwarnung" in home
    detail = client_a.get(f"/notifications/urgent/{notice.pk}/")
    assert detail.status_code == 200 and "Die Nister steigt." in detail.content.decode()
    assert client_a.get("/notifications/urgent/999999/").status_code == 404


def test_a_village_notice_is_not_shown_to_other_villages(in_town_a, villages):
    notice = UrgentNoticeFactory(title="Vollsperrung Ortsdurchfahrt", body="Umleitung über die K12.")
    notice.ortsgemeinden.set([villages["x"]])
    in_y = UserFactory(email="y@example.org", ortsgemeinde=villages["y"])
    in_x = UserFactory(email="x@example.org", ortsgemeinde=villages["x"])
    assert "Vollsperrung" in logged_in_client(in_town_a, in_x).get("/").content.decode()
    assert "Vollsperrung" not in logged_in_client(in_town_a, in_y).get("/").content.decode()
