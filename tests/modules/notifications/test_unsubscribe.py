"""One-click unsubscribe: the link in every e-mail turns that e-mail off, and only in its own town (ISOLATION T4)."""

from __future__ import annotations

import re

from django.db import connection
from django_tenants.utils import schema_context

from modules.notifications import services
from modules.notifications.models import NotificationSettings, TopicPreference
from modules.notifications.tokens import unsubscribe_token_make
from tests.helpers import TownClient, admin_of, host_of
from tests.modules.notifications.helpers import deliver_kwargs


def _link_in(mail) -> str:
    return re.search(r"http://[^/\s]+(/notifications/unsubscribe/[^\s\"<>]+/)", mail.body).group(1)


def test_the_link_in_a_mail_turns_off_that_topic_by_email(in_town_a, daytime, mailoutbox):
    # given: an urgent notice mailed to the admin
    admin = admin_of(in_town_a)
    connection.set_tenant(in_town_a)
    services.notifications_deliver(user_ids=[admin.pk], **deliver_kwargs(topic="urgent", urgent=True))
    link = _link_in(mailoutbox[0])
    assert mailoutbox[0].extra_headers["List-Unsubscribe"] == f"<http://{host_of(in_town_a)}{link}>"
    client = TownClient(host_of(in_town_a), enforce_csrf_checks=True)  # a mail program sends no CSRF token

    # when: opening the link only asks (mail scanners open links too) ...
    page = client.get(link)
    assert page.status_code == 200
    assert not TopicPreference.objects.filter(user=admin).exists()
    # ... and the one click (or the mail program's RFC 8058 POST, without a CSRF token) unsubscribes
    assert client.post(link).status_code == 200

    # then: no more e-mails for urgent notices, the notice itself still comes in the app
    pref = TopicPreference.objects.get(user=admin, topic="urgent")
    assert (pref.enabled, pref.email, pref.push) == (True, False, True)
    mailoutbox.clear()
    services.notifications_deliver(user_ids=[admin.pk], **deliver_kwargs(topic="urgent", urgent=True,
                                                                        dedupe_key="u:2"))
    assert not mailoutbox


def test_the_link_of_a_digest_or_direct_mail_stops_all_non_urgent_email(in_town_a, daytime, mailoutbox):
    admin = admin_of(in_town_a)
    connection.set_tenant(in_town_a)
    services.notifications_deliver(user_ids=[admin.pk], **deliver_kwargs())
    TownClient(host_of(in_town_a)).post(_link_in(mailoutbox[0]))
    assert NotificationSettings.objects.get(user=admin).email_frequency == "off"


def test_a_link_from_town_a_does_nothing_in_town_b(town_a, town_b):
    # given: both admins have the same e-mail and most likely the same pk
    admin_a, admin_b = admin_of(town_a), admin_of(town_b)
    with schema_context(town_a.schema_name):
        token = unsubscribe_token_make(user_id=admin_a.pk, topic="urgent")
    link = f"/notifications/unsubscribe/{token}/"

    # when: the link is opened and posted on B's host
    client_b = TownClient(host_of(town_b))
    # then: 404, and B's admin keeps every e-mail
    assert client_b.get(link).status_code == 404
    assert client_b.post(link).status_code == 404
    with schema_context(town_b.schema_name):
        assert not TopicPreference.objects.filter(user_id=admin_b.pk).exists()
    # while on A the same link works
    assert TownClient(host_of(town_a)).post(link).status_code == 200


def test_a_forged_or_mangled_link_is_404(client_a, town_a):
    with schema_context(town_a.schema_name):
        token = unsubscribe_token_make(user_id=admin_of(town_a).pk, topic="urgent")
    for bad in ("nonsense", token[:-2] + "xx", token.replace(":", "-")):
        assert client_a.post(f"/notifications/unsubscribe/{bad}/").status_code == 404
    with schema_context(town_a.schema_name):
        assert not TopicPreference.objects.exists()


def test_bulk_mail_offers_a_mailto_too_when_configured_and_transactional_mail_carries_none(
    town_a, daytime, mailoutbox, settings
):
    settings.MAIL_UNSUBSCRIBE_ADDRESS = "abmelden@dorfkern.example"
    admin = admin_of(town_a)
    connection.set_tenant(town_a)
    services.notifications_deliver(user_ids=[admin.pk], **deliver_kwargs())
    connection.set_schema_to_public()
    (bulk,) = mailoutbox
    link = _link_in(bulk)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert bulk.extra_headers["List-Unsubscribe"] == (
        f"<http://{host_of(town_a)}{link}>, "
        f"<mailto:abmelden+{town_a.schema_name}@dorfkern.example?subject=unsubscribe%20{token}>")
    assert bulk.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # a password reset is no bulk mail: no unsubscribe headers
    mailoutbox.clear()
    TownClient(host_of(town_a)).post("/accounts/password/reset/", {"email": admin.email})
    (reset,) = mailoutbox
    assert "List-Unsubscribe" not in reset.extra_headers and "List-Unsubscribe" not in reset.message().as_string()
