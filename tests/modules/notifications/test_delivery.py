"""Delivery: once per person and event, only when the module is on, quiet hours, urgent notices, topic opt-in."""

from __future__ import annotations

import datetime
import smtplib

from django.core.mail.backends.locmem import EmailBackend
from django.db import connection

from modules.notifications import services, tasks
from modules.notifications.facade import notifications_enabled, notify
from modules.notifications.models import Notification, NotificationSettings
from tests.accounts.factories import UserFactory
from tests.modules.notifications.factories import NotificationSettingsFactory, TopicPreferenceFactory
from tests.modules.notifications.helpers import berlin, deliver_kwargs


def test_running_the_task_twice_sends_one_notification(in_town_a, daytime, mailoutbox):
    # given
    anna = UserFactory(email="anna@example.org")
    ben = UserFactory(email="ben@example.org")
    kwargs = deliver_kwargs(user_ids=[anna.pk, ben.pk])
    # when: the broker delivers the same task twice (acks_late after a worker crash), once more via apply()
    tasks.deliver(**kwargs)
    tasks.deliver(**kwargs)
    tasks.deliver.apply(kwargs=kwargs)
    # then: one notification and one e-mail per person
    assert Notification.objects.filter(dedupe_key="test:1").count() == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["anna@example.org", "ben@example.org"]


def test_a_retry_after_a_crash_sends_what_was_left_pending(in_town_a, daytime, mailoutbox):
    # given: a first run created the rows but died before sending
    anna = UserFactory(email="anna@example.org")
    services.notifications_create(user_ids=[anna.pk], **deliver_kwargs())
    assert not mailoutbox
    # when: the retry runs
    tasks.deliver(user_ids=[anna.pk], **deliver_kwargs())
    # then: the e-mail goes out once
    assert len(mailoutbox) == 1
    assert Notification.objects.get(user=anna).email_state == "sent"


def test_a_relay_that_fails_part_way_loses_no_mail_and_mails_nobody_twice(in_town_a, daytime, mailoutbox, monkeypatch):
    # given: three people to tell, and a mail relay that drops the connection after accepting two mails
    people = [UserFactory(email=f"person{n}@example.org") for n in range(3)]
    kwargs = deliver_kwargs(user_ids=[person.pk for person in people])

    class DropsAfterTwo(EmailBackend):
        def send_messages(self, messages):
            if len(mailoutbox) >= 2:
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            return super().send_messages(messages)

    with monkeypatch.context() as relay:
        relay.setattr(services, "get_connection", DropsAfterTwo)
        # when: the delivery fails part-way
        tasks.deliver(**kwargs)
        # then: the two mails the relay took count as sent, the third waits (nothing is lost, nothing sent twice)
        assert sorted(Notification.objects.values_list("email_state", flat=True)) == ["deferred", "sent", "sent"]
        tasks.deliver(**kwargs)  # a redelivered task sends nothing more
        assert len(mailoutbox) == 2
    # and once the relay is back, the periodic release mails only the third person (still at noon: undoing
    # every patch would bring back the real clock, and at night quiet hours would hold the mail back)
    tasks.release_deferred()
    assert sorted(m.to[0] for m in mailoutbox) == [person.email for person in people]
    assert set(Notification.objects.values_list("email_state", flat=True)) == {"sent"}


def test_a_disabled_module_sends_nothing(in_town_a, daytime, mailoutbox, django_capture_on_commit_callbacks):
    from tenants.services import tenant_module_disable

    anna = UserFactory(email="anna@example.org")
    tenant_module_disable(tenant=in_town_a, key="notifications")
    connection.set_tenant(in_town_a)
    # the facade doesn't even queue
    assert notifications_enabled() is False
    with django_capture_on_commit_callbacks() as callbacks:
        notify(user_ids=[anna.pk], **deliver_kwargs())
    assert callbacks == []
    # and a task queued before the switch does nothing
    assert tasks.deliver(**deliver_kwargs(user_ids=[anna.pk])) == 0
    assert tasks.urgent_notice_deliver(notice_id=1) == 0
    assert tasks.send_digests() == 0
    assert not Notification.objects.exists()
    assert not mailoutbox


def test_notify_queues_with_the_transaction_in_batches_and_sends_after_commit(
    in_town_a, django_capture_on_commit_callbacks, monkeypatch
):
    from core.models import OutboxMessage

    sent = []
    monkeypatch.setattr("core.outbox.outbox_dispatch_safely", lambda ids: sent.extend(ids))
    with django_capture_on_commit_callbacks(execute=True):
        notify(user_ids=range(1, 1202), **deliver_kwargs())
        # in the outbox with the caller's change, handed to the broker only after the commit
        rows = list(OutboxMessage.objects.filter(task_name="notifications.deliver").order_by("created_at"))
        assert sent == []
    assert [len(row.kwargs["user_ids"]) for row in rows] == [500, 500, 201]
    assert sent == [row.pk for row in rows]


def test_quiet_hours_hold_back_email_and_push_until_morning(in_town_a, mailoutbox):
    # given: 23:00, a resident with the default quiet hours 22:00–07:00
    anna = UserFactory(email="anna@example.org")
    ids = services.notifications_create(user_ids=[anna.pk], now=berlin(23), **deliver_kwargs())
    services.notifications_dispatch(notification_ids=ids)
    # then: in the centre at once, but no e-mail at night
    notification = Notification.objects.get(user=anna)
    assert notification.email_state == "deferred"
    assert not mailoutbox
    # at 06:59 still quiet
    assert services.notifications_release_deferred(now=berlin(6, 59, day=26)) == 0
    assert not mailoutbox
    # at 07:00 it goes out, once
    assert services.notifications_release_deferred(now=berlin(7, 0, day=26)) == 1
    assert services.notifications_release_deferred(now=berlin(7, 5, day=26)) == 0
    assert len(mailoutbox) == 1


def test_read_at_night_is_not_mailed_in_the_morning(in_town_a, mailoutbox):
    anna = UserFactory(email="anna@example.org")
    services.notifications_create(user_ids=[anna.pk], now=berlin(23), **deliver_kwargs())
    services.notifications_mark_all_read(user=anna)
    services.notifications_release_deferred(now=berlin(8, day=26))
    assert Notification.objects.get(user=anna).email_state == "skipped"
    assert not mailoutbox


def test_urgent_notices_ignore_quiet_hours(in_town_a, mailoutbox):
    anna = UserFactory(email="anna@example.org")
    ids = services.notifications_create(user_ids=[anna.pk], now=berlin(3), **deliver_kwargs(urgent=True,
                                                                                           topic="urgent"))
    services.notifications_dispatch(notification_ids=ids)
    assert len(mailoutbox) == 1


def test_own_quiet_hours_and_no_quiet_hours(in_town_a):
    row = NotificationSettings(quiet_hours=True, quiet_start=datetime.time(13, 0), quiet_end=datetime.time(15, 0))
    assert services.in_quiet_hours(row, berlin(14))
    assert not services.in_quiet_hours(row, berlin(15))
    assert not services.in_quiet_hours(row, berlin(23))
    row.quiet_hours = False
    assert not services.in_quiet_hours(row, berlin(14))


def test_topics_reach_only_who_opted_in_and_urgent_reaches_everyone_by_default(in_town_a, daytime, mailoutbox):
    subscribed = UserFactory(email="abo@example.org")
    silent = UserFactory(email="still@example.org")
    no_mail = UserFactory(email="keinemail@example.org")
    TopicPreferenceFactory(user=subscribed, topic="news.official")
    TopicPreferenceFactory(user=no_mail, topic="news.official", email=False)
    TopicPreferenceFactory(user=silent, topic="news.official", enabled=False)  # official news is on by default
    everyone = [subscribed.pk, silent.pk, no_mail.pk]

    services.notifications_deliver(user_ids=everyone, **deliver_kwargs(topic="news.official", dedupe_key="n:1"))
    assert set(Notification.objects.filter(dedupe_key="n:1").values_list("user__email", flat=True)) == {
        "abo@example.org", "keinemail@example.org"}
    assert [m.to[0] for m in mailoutbox] == ["abo@example.org"]

    mailoutbox.clear()
    services.notifications_deliver(user_ids=everyone, **deliver_kwargs(topic="urgent", urgent=True, dedupe_key="u:1"))
    assert Notification.objects.filter(dedupe_key="u:1").count() == 3
    assert len(mailoutbox) == 3


def test_digest_readers_get_no_single_mails_and_inactive_people_nothing(in_town_a, daytime, mailoutbox):
    reader = UserFactory(email="digest@example.org")
    NotificationSettingsFactory(user=reader, email_frequency="daily")
    gone = UserFactory(email="alt@example.org")
    gone.is_active = False
    gone.save()
    services.notifications_deliver(user_ids=[reader.pk, gone.pk], **deliver_kwargs())
    assert Notification.objects.get().email_state == "digest"
    assert not mailoutbox
