"""Bounces: the relay's webhook marks dead addresses per town; bulk mail skips them, password resets still try;
the person sees a banner and clears it by confirming the address (issue 18 §9)."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.bounce_selectors import email_undeliverable
from accounts.bounce_services import bounce_record, bounce_reports_parse
from accounts.models import MailBounce
from modules.notifications import services as notifications
from modules.notifications.models import Notification
from tests.accounts.factories import UserFactory
from tests.helpers import TownClient, host_of, logged_in_client, shown
from tests.modules.notifications.factories import NotificationSettingsFactory
from tests.modules.notifications.helpers import deliver_kwargs
from tests.outbox_helpers import outbox_run_pending

SECRET = "bounce-secret-for-tests"
ADDRESS = "weg@example.org"


@pytest.fixture
def webhook_secret(settings):
    settings.MAIL_BOUNCE_WEBHOOK_SECRET = SECRET


def _post(town, payload, *, secret: str = SECRET):
    return TownClient(host_of(town)).post("/mail/bounces/", data=json.dumps(payload),
                                          content_type="application/json",
                                          HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_a_hard_bounce_stops_notification_mail_but_not_the_notification_or_a_password_reset(
    town_a, webhook_secret, mailoutbox
):
    with schema_context(town_a.schema_name):
        person = UserFactory(email=ADDRESS, name="Wera Weg")
        NotificationSettingsFactory(user=person, quiet_hours=False)

    # when: the relay reports a permanent failure for the address
    response = _post(town_a, {"recipient": "Weg@Example.org", "type": "hard", "reason": "550 5.1.1 user unknown"})

    # then: recorded and marked
    assert response.status_code == 200 and response.json() == {"recorded": 1, "undeliverable": 1}
    with schema_context(town_a.schema_name):
        assert email_undeliverable(ADDRESS)
        # a notification still reaches the centre, but no mail goes out ...
        notifications.notifications_deliver(user_ids=[person.pk], **deliver_kwargs(dedupe_key="b:1"))
        assert Notification.objects.get(user=person).email_state == "none"
    assert not [m for m in mailoutbox if ADDRESS in m.to]
    # ... while a password reset (transactional) still tries the address
    TownClient(host_of(town_a)).post("/accounts/password/reset/", {"email": ADDRESS})
    assert [m for m in mailoutbox if ADDRESS in m.to]


def test_the_webhook_refuses_without_the_secret_and_is_off_without_one(town_a, settings):
    settings.MAIL_BOUNCE_WEBHOOK_SECRET = ""
    assert _post(town_a, {"recipient": ADDRESS, "type": "hard"}).status_code == 404
    settings.MAIL_BOUNCE_WEBHOOK_SECRET = SECRET
    assert _post(town_a, {"recipient": ADDRESS, "type": "hard"}, secret="wrong").status_code == 401
    response = TownClient(host_of(town_a)).post("/mail/bounces/", data="{not json", content_type="application/json",
                                                HTTP_AUTHORIZATION=f"Bearer {SECRET}")
    assert response.status_code == 400
    with schema_context(town_a.schema_name):
        assert not MailBounce.objects.exists()


def test_five_soft_bounces_within_a_week_make_an_address_undeliverable(in_town_a):
    now = timezone.now()
    # given: two soft bounces long ago don't count
    for days in (20, 15):
        bounce_record(email=ADDRESS, kind="soft", reason="mailbox full", now=now - timedelta(days=days))
    MailBounce.objects.update(created_at=now - timedelta(days=15))
    # when: four within the week: not yet; the fifth: undeliverable
    assert [bounce_record(email=ADDRESS, kind="soft", reason="mailbox full") for _ in range(4)] == [False] * 4
    assert not email_undeliverable(ADDRESS)
    assert bounce_record(email=ADDRESS, kind="soft", reason="mailbox full") is True
    assert email_undeliverable(ADDRESS)


def test_postmark_and_mailgun_bodies_are_understood_and_other_events_ignored():
    assert bounce_reports_parse({"RecordType": "Bounce", "Type": "HardBounce", "Email": "a@b.de",
                                 "Description": "Unknown user"}) == [("a@b.de", "hard", "Unknown user")]
    assert bounce_reports_parse({"event-data": {"event": "failed", "severity": "temporary", "recipient": "c@d.de",
                                                "delivery-status": {"message": "4.2.2 mailbox full"}}}) == [
        ("c@d.de", "soft", "4.2.2 mailbox full")]
    assert bounce_reports_parse([{"RecordType": "Delivery", "Email": "a@b.de"}, {"event-data": {"event": "opened"}},
                                 {"recipient": "x", "type": "hard"}, "nonsense"]) == []


def test_the_person_sees_a_banner_and_confirming_the_address_clears_it(town_a, mailoutbox):
    with schema_context(town_a.schema_name):
        person = UserFactory(email=ADDRESS, name="Wera Weg")
        bounce_record(email=ADDRESS, kind="hard", reason="550 user unknown")
    client = logged_in_client(town_a, person)
    banner = shown("We can no longer send you e-mails – please check your address")
    assert banner in client.get("/konto/").content.decode()

    # when: she asks for a link (sent through the outbox, even to the marked address) and opens it
    assert client.post("/konto/adresse-pruefen/").status_code == 302
    connection.set_tenant(town_a)
    outbox_run_pending("accounts.address_check_mail")
    connection.set_schema_to_public()
    link = re.search(r"https?://[^/\s]+(/konto/adresse-pruefen/[^\s/]+/)", mailoutbox[-1].body).group(1)
    assert mailoutbox[-1].to == [ADDRESS]
    page = client.get(link)
    assert page.status_code == 200
    with schema_context(town_a.schema_name):
        assert email_undeliverable(ADDRESS)  # opening only asks (mail scanners open links)
    assert client.post(link).status_code == 200

    # then: the address is good again, the banner is gone
    with schema_context(town_a.schema_name):
        assert not email_undeliverable(ADDRESS)
    assert banner not in client.get("/konto/").content.decode()


DSN = """From: MAILER-DAEMON@relay.example
To: bounces@dorfkern.example
Subject: Undelivered Mail Returned to Sender
Message-ID: <dsn-{n}@relay.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="XX"

--XX
Content-Type: text/plain

Your message could not be delivered.

--XX
Content-Type: message/delivery-status

Reporting-MTA: dns; relay.example

Final-Recipient: rfc822; {recipient}
Action: {action}
Status: {status}
Diagnostic-Code: smtp; {status} mailbox problem

--XX
Content-Type: text/rfc822-headers

From: Gemeinde <noreply@dorfkern.example>
To: {recipient}
Subject: [Gemeinde] Neue Nachricht
X-Dorfkern-Town: {host}

--XX--
"""


def test_bounce_reports_in_a_maildir_are_recorded_in_the_town_that_sent_the_mail(town_a, town_b, tmp_path):
    import mailbox

    from django.core.management import call_command

    box = mailbox.Maildir(tmp_path / "bounces", create=True)
    box.add(DSN.format(n=1, recipient=ADDRESS, action="failed", status="5.1.1", host=host_of(town_a)))
    box.add(DSN.format(n=2, recipient="voll@example.org", action="delayed", status="4.2.2", host=host_of(town_a)))
    box.add("From: someone@example.org\nSubject: Hallo\n\nKein Bounce.\n")

    call_command("mail_bounces_read", str(tmp_path / "bounces"))

    with schema_context(town_a.schema_name):
        assert email_undeliverable(ADDRESS)
        assert list(MailBounce.objects.order_by("kind").values_list("email", "kind")) == [
            (ADDRESS, "hard"), ("voll@example.org", "soft")]
    with schema_context(town_b.schema_name):
        assert not MailBounce.objects.exists()
    # what was read is gone: a second run counts nothing twice
    assert len(mailbox.Maildir(tmp_path / "bounces", create=False)) == 0
    call_command("mail_bounces_read", str(tmp_path / "bounces"))
    with schema_context(town_a.schema_name):
        assert MailBounce.objects.count() == 2


def test_every_town_mail_names_its_town_for_bounces(in_town_a, mailoutbox):
    from core.mail import send_town_mail

    send_town_mail(to=ADDRESS, subject="Hallo", template="accounts/mail/address_check",
                   context={"name": "Wera", "url": "http://x/"})
    assert mailoutbox[0].extra_headers["X-Dorfkern-Town"] == host_of(in_town_a)


def test_the_persons_export_shows_her_bounces_and_erasure_removes_them(in_town_a):
    from accounts import personal_data

    person = UserFactory(email=ADDRESS, name="Wera Weg")
    bounce_record(email=ADDRESS, kind="hard", reason="550 user unknown")
    exported = personal_data.export(person)
    assert [b["kind"] for b in exported["mail_bounces"]] == ["hard"] and exported["mail_undeliverable_since"]

    personal_data.erase(person)

    assert not MailBounce.objects.exists() and not email_undeliverable(ADDRESS)
