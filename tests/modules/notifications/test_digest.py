"""Daily and weekly digests: unread notifications, each in exactly one digest, in the morning."""

from __future__ import annotations

from modules.notifications import services
from modules.notifications.models import Notification
from tests.accounts.factories import UserFactory
from tests.modules.notifications.factories import NotificationSettingsFactory
from tests.modules.notifications.helpers import berlin, deliver_kwargs


def _notify(user, key: str, title: str, now) -> None:
    services.notifications_create(user_ids=[user.pk], now=now, **deliver_kwargs(dedupe_key=key, title=title))


def test_the_daily_digest_holds_the_unread_notifications_once(in_town_a, mailoutbox):
    # given: a resident on the daily digest with two unread and one read notification
    reader = UserFactory(email="leser@example.org")
    NotificationSettingsFactory(user=reader, email_frequency="daily")
    _notify(reader, "d:1", "Sperrmüll am Freitag", berlin(9))
    _notify(reader, "d:2", "Neues Baugebiet", berlin(10))
    _notify(reader, "d:3", "Schon gelesen", berlin(11))
    services.notification_mark_read(user=reader, notification_id=Notification.objects.get(dedupe_key="d:3").pk)

    # when: before 07:00 nothing goes out; at 07:00 the next morning the digest does
    assert services.digests_send(now=berlin(6, day=26)) == 0
    assert services.digests_send(now=berlin(7, day=26)) == 1

    # then: one mail with both unread titles, not the read one
    (mail,) = mailoutbox
    assert "Sperrmüll am Freitag" in mail.body and "Neues Baugebiet" in mail.body
    assert "Schon gelesen" not in mail.body
    assert "List-Unsubscribe" in mail.extra_headers
    # and they never come again: not later that day, not the next day
    assert services.digests_send(now=berlin(9, day=26)) == 0
    _notify(reader, "d:4", "Am nächsten Tag", berlin(12, day=26))
    assert services.digests_send(now=berlin(7, day=27)) == 1
    assert "Am nächsten Tag" in mailoutbox[1].body
    assert "Sperrmüll am Freitag" not in mailoutbox[1].body


def test_the_weekly_digest_waits_a_week(in_town_a, mailoutbox):
    reader = UserFactory(email="woche@example.org")
    NotificationSettingsFactory(user=reader, email_frequency="weekly", last_digest_at=berlin(8, day=23))
    _notify(reader, "w:1", "Wochenmarkt", berlin(9))
    assert services.digests_send(now=berlin(8, day=26)) == 0  # three days after the last one
    assert services.digests_send(now=berlin(8, day=30)) == 1


def test_nothing_unread_means_no_digest(in_town_a, mailoutbox):
    reader = UserFactory(email="leer@example.org")
    NotificationSettingsFactory(user=reader, email_frequency="daily")
    _notify(reader, "e:1", "Gelesen", berlin(9))
    services.notifications_mark_all_read(user=reader)
    assert services.digests_send(now=berlin(8, day=26)) == 0
    assert not mailoutbox
    assert Notification.objects.get().email_state == "skipped"
