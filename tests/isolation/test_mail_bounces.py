"""Bounces and "confirm my address" links stay in their town (ISOLATION T4, and the records per town).

The same address lives in towns A and B; A's relay reports it dead, A's confirmation link is tried on B.
The routes: accounts:mail-bounces (the relay's webhook) and accounts:address-check-confirm (token link,
exempt from the object-route sampling in samples.py because of this test).
"""

from __future__ import annotations

import json

from django_tenants.utils import schema_context

from accounts.bounce_selectors import email_undeliverable
from accounts.bounce_services import address_check_token_make, bounce_record
from accounts.models import MailBounce
from tests.accounts.factories import UserFactory
from tests.helpers import TownClient, host_of

SECRET = "bounce-secret-for-tests"
ADDRESS = "weg@example.org"


def _post(town, payload):
    return TownClient(host_of(town)).post("/mail/bounces/", data=json.dumps(payload), content_type="application/json",
                                          HTTP_AUTHORIZATION=f"Bearer {SECRET}")


def test_t4_bounces_and_address_links_of_town_a_leave_town_b_alone(town_a, town_b, settings):
    settings.MAIL_BOUNCE_WEBHOOK_SECRET = SECRET
    # given: the same address in both towns
    people = {}
    for town in (town_a, town_b):
        with schema_context(town.schema_name):
            people[town.slug] = UserFactory(email=ADDRESS, name="Wera Weg")

    # when: A's relay reports it dead
    assert _post(town_a, {"recipient": ADDRESS, "type": "hard", "reason": "gone"}).status_code == 200

    # then: dead in A only
    with schema_context(town_a.schema_name):
        assert email_undeliverable(ADDRESS)
    with schema_context(town_b.schema_name):
        assert not email_undeliverable(ADDRESS) and not MailBounce.objects.exists()
        bounce_record(email=ADDRESS, kind="hard", reason="gone in B too")

    # and A's confirmation link does nothing on B's host (404), while it works on A's
    with schema_context(town_a.schema_name):
        token = address_check_token_make(user_id=people[town_a.slug].pk, email=ADDRESS)
    link = f"/konto/adresse-pruefen/{token}/"
    assert TownClient(host_of(town_b)).post(link).status_code == 404
    with schema_context(town_b.schema_name):
        assert email_undeliverable(ADDRESS)
    assert TownClient(host_of(town_a)).post(link).status_code == 200
    with schema_context(town_a.schema_name):
        assert not email_undeliverable(ADDRESS)
