"""A resident who confirmed their address gets one welcome mail: their village, where to start,
how to choose what they hear about, whom to ask."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django_tenants.utils import schema_context

from core.models import OutboxMessage
from tests.accounts.factories import PASSWORD, OrtsgemeindeFactory
from tests.accounts.helpers import links_in
from tests.helpers import host_of
from tests.outbox_helpers import outbox_run_pending

pytestmark = pytest.mark.django_db


def _register_and_confirm(town, client, mailoutbox, **fields) -> None:
    client.post("/accounts/signup/", {"name": "Rita Resident", "email": "rita@example.org", "password1": PASSWORD,
                                      "privacy_consent": "on", **fields})
    link = next(url for url in links_in(mailoutbox[-1]) if "/confirm-email/" in url)
    client.post(urlparse(link).path)


def test_confirming_the_address_sends_one_welcome_mail_with_the_villages_page(town_a, client_a, mailoutbox):
    with schema_context(town_a.schema_name):
        village = OrtsgemeindeFactory(name="Elkenroth", slug="elkenroth")
    _register_and_confirm(town_a, client_a, mailoutbox, ortsgemeinde=village.pk)
    mails_before = len(mailoutbox)

    with schema_context(town_a.schema_name):
        outbox_run_pending("accounts.welcome_mail")
        outbox_run_pending("accounts.welcome_mail", sent_too=True)  # a redelivery sends nothing more

    [welcome] = mailoutbox[mails_before:]
    assert welcome.to == ["rita@example.org"] and "Willkommen in Elkenroth" in welcome.subject
    assert f"http://{host_of(town_a)}/konto/willkommen/" in links_in(welcome)
    assert f"http://{host_of(town_a)}/notifications/settings/" in links_in(welcome)


def test_the_welcome_mail_waits_in_the_outbox_until_the_broker_takes_it(town_a, client_a, mailoutbox):
    _register_and_confirm(town_a, client_a, mailoutbox)
    # Nothing was sent inside the request: the row is committed with the confirmation.
    assert OutboxMessage.objects.filter(task_name="accounts.welcome_mail", schema_name=town_a.schema_name).count() == 1
    assert not any("Willkommen" in mail.subject for mail in mailoutbox)
