"""With the notifications module on, every step of an errand reaches the people concerned through it:
one notification each in their notification centre, e-mail as each of them chose, once however often
the task runs, only in their own town."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.utils.translation import gettext
from django_tenants.utils import schema_context

from accounts.models import Role
from modules.errands import services, tasks
from modules.notifications.models import EmailFrequency, Notification, NotificationSettings
from tests.accounts.factories import UserFactory
from tests.fixtures_celery import wait_for
from tests.helpers import TownClient, host_of
from tests.modules.errands.factories import ErrandFactory, TripFactory
from tests.modules.notifications.factories import NotificationSettingsFactory, PushSubscriptionFactory
from tests.modules.notifications.helpers import BrowserKeys


@pytest.fixture
def queued(monkeypatch, celery_eager) -> list[tuple]:
    """The step tasks' arguments as the services queue them (core.outbox); they run at once (eager)."""
    from tests.outbox_helpers import outbox_recorder

    return outbox_recorder(monkeypatch, "errands.send_step_mail", positional=True)


def _notices(user, event: str | None = None):
    rows = Notification.objects.filter(user=user)
    return rows.filter(event=event) if event else rows


def _mails_to(mailoutbox, user) -> list:
    return [message for message in mailoutbox if message.to == [user.email]]


def test_each_step_is_one_notification_per_person_and_a_mail(
    anna, bernd, queued, no_quiet_hours, mailoutbox, django_capture_on_commit_callbacks
):
    # given
    no_quiet_hours(anna, bernd)
    errand = ErrandFactory(requester=anna)
    steps = [
        (services.errand_request_accept, "errands.accepted", "A neighbour will bring your things"),
        (services.errand_request_mark_bought, "errands.bought", "Your things have been bought"),
        (services.errand_request_mark_delivered, "errands.delivered", "Your things have been delivered"),
    ]
    for service, event, title in steps:
        mailoutbox.clear()
        # when
        with django_capture_on_commit_callbacks(execute=True):
            service(errand=errand, acting_user=bernd)
        # then: Anna has it in her notification centre, linked to the request, and by e-mail
        (notice,) = _notices(anna, event)
        assert notice.title == gettext(title)
        assert notice.url == f"/errands/requests/{errand.pk}/"
        assert bernd.name in notice.body and bernd.email not in notice.body
        assert notice.topic == "" and notice.email_state == "sent"
        (message,) = _mails_to(mailoutbox, anna)
        assert gettext(title) in message.subject and f"/errands/requests/{errand.pk}/" in message.body
        assert bernd.email not in message.body and bernd.email not in (message.reply_to or [])
    # the helper got the thank-you on delivery, and nothing about his own steps
    assert [n.event for n in _notices(bernd)] == ["errands.thanks"]
    assert _notices(anna).count() == 3


def test_running_a_step_task_twice_notifies_once(anna, bernd, queued, no_quiet_hours, mailoutbox,
                                                 django_capture_on_commit_callbacks):
    # given
    no_quiet_hours(anna)
    errand = ErrandFactory(requester=anna)
    with django_capture_on_commit_callbacks(execute=True):
        services.errand_request_accept(errand=errand, acting_user=bernd)
    (args,) = queued
    # when: the broker delivers the same task again (a retry, acks_late after a crash)
    assert tasks.send_step_mail.apply(args=args).get() == 1
    tasks.send_step_mail(*args)
    # then
    assert _notices(anna, "errands.accepted").count() == 1
    assert len(_mails_to(mailoutbox, anna)) == 1


def test_accepted_again_after_being_given_back_is_a_new_notice(anna, bernd, carla, queued, no_quiet_hours,
                                                               django_capture_on_commit_callbacks):
    no_quiet_hours(anna, bernd)
    errand = ErrandFactory(requester=anna)
    with django_capture_on_commit_callbacks(execute=True):
        services.errand_request_accept(errand=errand, acting_user=bernd)
    with django_capture_on_commit_callbacks(execute=True):
        services.errand_request_release(errand=errand, acting_user=bernd)
    with django_capture_on_commit_callbacks(execute=True):
        services.errand_request_accept(errand=errand, acting_user=bernd)
    # then: two acceptances, one give-back, each once
    assert _notices(anna, "errands.accepted").count() == 2
    (released,) = _notices(anna, "errands.released")
    assert released.title == gettext("Your errand is open again")
    # and the requester cancelling tells the helper
    with django_capture_on_commit_callbacks(execute=True):
        services.errand_request_cancel(errand=errand, acting_user=anna)
    (cancelled,) = _notices(bernd, "errands.cancelled")
    assert cancelled.title == gettext("An errand you accepted was cancelled")
    assert anna.name in cancelled.body
    assert not _notices(carla).exists()


def test_joining_a_trip_and_messages_notify_the_other_person(anna, bernd, queued, no_quiet_hours,
                                                            django_capture_on_commit_callbacks):
    no_quiet_hours(anna, bernd)
    trip = TripFactory(helper=bernd)
    with django_capture_on_commit_callbacks(execute=True):
        errand = services.trip_join(trip=trip, acting_user=anna, items="Milch")
    (joined,) = _notices(bernd, "errands.joined")
    assert joined.title == gettext("Someone joined your trip") and "Milch" in joined.body
    with django_capture_on_commit_callbacks(execute=True):
        services.errand_comment_add(errand=errand, acting_user=anna, text="Ich wohne in der Hauptstraße 3.")
    with django_capture_on_commit_callbacks(execute=True):
        services.errand_comment_add(errand=errand, acting_user=bernd, text="Bin um 18 Uhr da.")
    assert "Hauptstraße 3" in _notices(bernd, "errands.comment").get().body
    assert "18 Uhr" in _notices(anna, "errands.comment").get().body
    # two messages from Anna are two notices, each with its own text
    with django_capture_on_commit_callbacks(execute=True):
        services.errand_comment_add(errand=errand, acting_user=anna, text="Klingeln Sie bitte zweimal.")
    bodies = [n.body for n in _notices(bernd, "errands.comment")]
    assert len(bodies) == 2
    assert any("„Klingeln Sie bitte zweimal.“" in b and "Hauptstraße" not in b for b in bodies)


def test_the_persons_choices_apply_digest_quiet_hours_and_no_mail(anna, bernd, queued, mailoutbox,
                                                                  django_capture_on_commit_callbacks):
    # given: Anna wants a daily digest; Bernd keeps the default quiet hours, and it is the middle of the night
    NotificationSettingsFactory(user=anna, email_frequency=EmailFrequency.DAILY, quiet_hours=False)
    NotificationSettingsFactory(user=bernd, quiet_hours=True, quiet_start="00:00", quiet_end="23:59")
    errand = ErrandFactory(requester=anna)
    with django_capture_on_commit_callbacks(execute=True):
        services.errand_request_accept(errand=errand, acting_user=bernd)
        services.errand_request_mark_bought(errand=errand, acting_user=bernd)
        services.errand_request_mark_delivered(errand=errand, acting_user=bernd)
    # then: everything is in the centres, nothing mailed yet
    assert {n.email_state for n in _notices(anna)} == {"digest"} and _notices(anna).count() == 3
    assert [n.email_state for n in _notices(bernd)] == ["deferred"]
    assert mailoutbox == []


def test_a_person_who_chose_push_and_no_mail_gets_the_step_in_the_browser(
    anna, bernd, queued, no_quiet_hours, push_service, mailoutbox, django_capture_on_commit_callbacks
):
    # given: Anna wants no e-mails, but her phone subscribed to push
    no_quiet_hours(anna)
    NotificationSettings.objects.filter(user=anna).update(email_frequency=EmailFrequency.OFF)
    keys = BrowserKeys.generate()
    PushSubscriptionFactory(user=anna, endpoint=push_service.endpoint(), keys=keys)
    errand = ErrandFactory(requester=anna)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        services.errand_request_accept(errand=errand, acting_user=bernd)
    # then: in the centre and on the phone, not by mail
    (notice,) = _notices(anna)
    assert (notice.email_state, notice.push_state) == ("none", "sent")
    assert mailoutbox == []
    (received,) = push_service.received
    payload = json.loads(keys.decrypt(received["body"]))
    assert payload["title"] == gettext("A neighbour will bring your things")
    assert payload["url"] == f"http://{host_of(connection.tenant)}/errands/requests/{errand.pk}/"
    assert bernd.name in payload["body"] and bernd.email not in payload["body"]


def test_a_cancelled_trip_tells_each_requester_their_errand_is_open_again(
    anna, bernd, carla, queued, no_quiet_hours, django_capture_on_commit_callbacks
):
    no_quiet_hours(anna, carla)
    trip = TripFactory(helper=bernd)
    with django_capture_on_commit_callbacks(execute=True):
        services.trip_join(trip=trip, acting_user=anna, items="Milch")
        services.trip_join(trip=trip, acting_user=carla, items="Eier")
    with django_capture_on_commit_callbacks(execute=True):
        services.trip_cancel(trip=trip, acting_user=bernd)
    for requester in (anna, carla):
        (released,) = _notices(requester, "errands.released")
        assert released.title == gettext("Your errand is open again")
    assert _notices(bernd, "errands.joined").count() == 2


def test_a_report_notifies_each_moderator(anna, bernd, villages, queued, no_quiet_hours, mailoutbox,
                                          django_capture_on_commit_callbacks, monkeypatch):
    moderator = UserFactory(email="moderatorin@example.org", role=Role.MODERATOR)
    errand = ErrandFactory(requester=anna)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.errand_report_create(errand=errand, acting_user=bernd, reason="Das ist ein Betrugsversuch.")
    notices = Notification.objects.filter(event="errands.report")
    assert moderator.pk in {n.user_id for n in notices}
    assert all(n.url == "/errands/manage/reports/" and "Betrugsversuch" in n.body for n in notices)
    assert not notices.filter(user__role=Role.RESIDENT).exists()
    # a second run tells nobody again
    tasks.send_report_mail(report.pk)
    assert Notification.objects.filter(event="errands.report", user=moderator).count() == 1


def test_without_the_notifications_module_the_old_mails_go_out(anna, bernd, queued, notifications_off, mailoutbox,
                                                               django_capture_on_commit_callbacks):
    errand = ErrandFactory(requester=anna)
    with django_capture_on_commit_callbacks(execute=True):
        services.errand_request_accept(errand=errand, acting_user=bernd)
    assert not Notification.objects.exists()
    (message,) = mailoutbox
    assert message.to == [anna.email] and gettext("A neighbour will bring your things") in message.subject
    assert "List-Unsubscribe" not in message.extra_headers  # the errand's own mail, not a notification


def test_with_the_errands_module_off_a_queued_task_notifies_nobody(anna, bernd, in_town_a, queued, mailoutbox,
                                                                   django_capture_on_commit_callbacks):
    from tenants.services import tenant_module_disable

    errand = ErrandFactory(requester=anna)
    services.errand_request_accept(errand=errand, acting_user=bernd)  # queued, not yet run
    tenant_module_disable(tenant=in_town_a, key="errands")
    assert tasks.send_step_mail.apply(args=(errand.pk, "accepted", anna.pk, bernd.pk, "1")).get() == 0
    assert not Notification.objects.exists() and mailoutbox == []


def test_town_b_never_gets_town_a_notices(anna, bernd, queued, no_quiet_hours, town_b, mailoutbox,
                                          django_capture_on_commit_callbacks):
    # given: in B, people with the same addresses as Anna and Bernd
    with schema_context(town_b.schema_name):
        for person in (anna, bernd):
            UserFactory(email=person.email)
    no_quiet_hours(anna, bernd)
    errand = ErrandFactory(requester=anna)
    with django_capture_on_commit_callbacks(execute=True):
        services.errand_request_accept(errand=errand, acting_user=bernd)
    # then
    assert _notices(anna).count() == 1
    with schema_context(town_b.schema_name):
        assert not Notification.objects.exists()
    assert all(host_of(town_b) not in message.body for message in mailoutbox)


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_notifies_in_the_senders_town_with_its_branding(celery_worker, committed_town_a, town_b,
                                                                      mailoutbox):
    town = committed_town_a
    with schema_context(town.schema_name):
        connection.set_tenant(town)
        anna = UserFactory(email="anna-centre@example.org", name="Anna Arndt")
        bernd = UserFactory(email="bernd-centre@example.org", name="Bernd Becker")
        for person in (anna, bernd):
            NotificationSettingsFactory(user=person, quiet_hours=False)
        errand = ErrandFactory(requester=anna)
        # when: the committed steps queue their tasks; the worker runs them and notify's delivery in A
        services.errand_request_accept(errand=errand, acting_user=bernd)
        services.errand_request_mark_bought(errand=errand, acting_user=bernd)
        services.errand_request_mark_delivered(errand=errand, acting_user=bernd)
    connection.set_schema_to_public()

    def delivered() -> bool:
        with schema_context(town.schema_name):
            return Notification.objects.filter(email_state="sent").count() == 4

    wait_for(delivered, timeout=60)
    wait_for(lambda: len(mailoutbox) >= 4, timeout=30)
    with schema_context(town.schema_name):
        assert Notification.objects.filter(user=anna).count() == 3
        assert list(Notification.objects.filter(user=bernd).values_list("event", flat=True)) == ["errands.thanks"]
        # when: the broker delivers the first step once more, then Anna writes a message; the worker
        # (one thread, in order) handles the repeat before the message, whose notice marks its end
        connection.set_tenant(town)
        event_ref = errand.events.filter(kind="accepted").get().pk
        tasks.send_step_mail.delay(errand.pk, "accepted", anna.pk, bernd.pk, str(event_ref))
        services.errand_comment_add(errand=errand, acting_user=anna, text="Danke!")
    connection.set_schema_to_public()

    def message_delivered() -> bool:
        with schema_context(town.schema_name):
            return Notification.objects.filter(event="errands.comment", email_state="sent").exists()

    wait_for(message_delivered, timeout=60)
    with schema_context(town.schema_name):
        assert Notification.objects.filter(user=anna, event="errands.accepted").count() == 1
    with schema_context(town_b.schema_name):
        assert not Notification.objects.exists()
    # then: five mails, branded for A with links on A's domain; their unsubscribe links work in A only
    wait_for(lambda: len(mailoutbox) >= 5, timeout=30)
    assert len(mailoutbox) == 5
    for message in mailoutbox:
        assert town.name in message.subject
        assert f"http://{host_of(town)}/errands/requests/{errand.pk}/" in message.body
        assert host_of(town_b) not in message.body
        assert message.extra_headers["List-Unsubscribe"].startswith(f"<http://{host_of(town)}/notifications/")
    link = re.search(r"http://[^/\s]+(/notifications/unsubscribe/[^\s]+/)", mailoutbox[0].body).group(1)
    assert TownClient(host_of(town_b)).post(link).status_code == 404
    assert TownClient(host_of(town)).get(link).status_code == 200
