"""Each step tells the other person by e-mail (from a Celery task), never showing anybody's address."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.utils.translation import gettext
from django_tenants.utils import schema_context

from accounts.models import Role
from modules.errands import services, tasks
from tests.accounts.factories import UserFactory
from tests.fixtures_celery import wait_for
from tests.modules.errands.factories import ErrandFactory, TripFactory


def _mails_to(email: str) -> list:
    return [message for message in mail.outbox if email in message.to]


def test_each_step_notifies_the_other_person(anna, bernd, mail_tasks_inline, django_capture_on_commit_callbacks):
    errand = ErrandFactory(requester=anna)
    steps = [
        (services.errand_request_accept, bernd, anna, "A neighbour will bring your things"),
        (services.errand_request_mark_bought, bernd, anna, "Your things have been bought"),
        (services.errand_request_mark_delivered, bernd, anna, "Your things have been delivered"),
    ]
    for service, actor, recipient, subject in steps:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            service(errand=errand, acting_user=actor)
        to_recipient = _mails_to(recipient.email)
        assert len(to_recipient) == 1, subject
        message = to_recipient[0]
        assert gettext(subject) in message.subject
        assert actor.name in message.body
        assert f"/errands/requests/{errand.pk}/" in message.body
        # Nobody's address in the other's mail, and it comes from the town, not from the neighbour.
        assert actor.email not in message.body and actor.email not in message.from_email
        assert actor.email not in (message.reply_to or [])
    # Delivered: the helper gets a confirmation too, so both know it is done.
    assert [m.subject for m in _mails_to(bernd.email)] == [
        f"[{connection.tenant.name}] {gettext('Thank you for bringing the things')}"
    ]


def test_release_and_cancel_notify_the_other_person(anna, bernd, mail_tasks_inline,
                                                    django_capture_on_commit_callbacks):
    errand = ErrandFactory(requester=anna)
    with django_capture_on_commit_callbacks(execute=True):
        services.errand_request_accept(errand=errand, acting_user=bernd)
        services.errand_request_release(errand=errand, acting_user=bernd)
    assert any(gettext("Your errand is open again") in m.subject for m in _mails_to(anna.email))

    with django_capture_on_commit_callbacks(execute=True):
        services.errand_request_accept(errand=errand, acting_user=bernd)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.errand_request_cancel(errand=errand, acting_user=anna)
    assert [m.to for m in mail.outbox] == [[bernd.email]]
    assert gettext("An errand you accepted was cancelled") in mail.outbox[0].subject


def test_cancelling_an_open_request_mails_nobody(anna, mail_tasks_inline, django_capture_on_commit_callbacks):
    errand = ErrandFactory(requester=anna)
    with django_capture_on_commit_callbacks(execute=True):
        services.errand_request_cancel(errand=errand, acting_user=anna)
    assert mail.outbox == []


def test_a_message_goes_to_the_other_person_with_its_text(anna, bernd, mail_tasks_inline,
                                                          django_capture_on_commit_callbacks):
    errand = ErrandFactory(requester=anna)
    services.errand_request_accept(errand=errand, acting_user=bernd)
    with django_capture_on_commit_callbacks(execute=True):
        services.errand_comment_add(errand=errand, acting_user=anna, text="Ich wohne in der Hauptstraße 3.")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [bernd.email]
    assert "Hauptstraße 3" in mail.outbox[0].body


def test_joining_a_trip_tells_the_helper(anna, bernd, mail_tasks_inline, django_capture_on_commit_callbacks):
    trip = TripFactory(helper=bernd)
    with django_capture_on_commit_callbacks(execute=True):
        services.trip_join(trip=trip, acting_user=anna, items="Milch")
    assert [m.to for m in mail.outbox] == [[bernd.email]]
    assert gettext("Someone joined your trip") in mail.outbox[0].subject


def test_a_report_mails_every_moderator_separately(anna, bernd, villages, mail_tasks_inline,
                                                   django_capture_on_commit_callbacks):
    UserFactory(email="moderatorin@example.org", role=Role.MODERATOR)
    errand = ErrandFactory(requester=anna)
    with django_capture_on_commit_callbacks(execute=True):
        services.errand_report_create(errand=errand, acting_user=bernd, reason="Das ist ein Betrugsversuch.")
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert "moderatorin@example.org" in recipients and "admin@example.org" in recipients
    assert all(len(m.to) == 1 for m in mail.outbox)
    assert "Betrugsversuch" in mail.outbox[0].body and "/errands/manage/reports/" in mail.outbox[0].body


def test_tasks_do_nothing_when_the_town_switched_the_module_off(anna, bernd, in_town_a):
    from tenants.services import tenant_module_disable

    errand = ErrandFactory(requester=anna)
    services.errand_request_accept(errand=errand, acting_user=bernd)
    tenant_module_disable(tenant=in_town_a, key="errands")
    assert tasks.send_step_mail.apply(args=(errand.pk, "accepted", anna.pk, bernd.pk)).get() == 0
    assert tasks.send_report_mail.apply(args=(1,)).get() == 0
    assert mail.outbox == []


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_mails_in_the_towns_name(celery_worker, committed_town_a, mailoutbox,
                                                         notifications_off):
    # given
    town = committed_town_a
    with schema_context(town.schema_name):
        connection.set_tenant(town)
        anna = UserFactory(email="anna-worker@example.org", name="Anna Arndt")
        bernd = UserFactory(email="bernd-worker@example.org", name="Bernd Becker")
        errand = ErrandFactory(requester=anna)

        # when: committed steps queue their mails for the worker
        services.errand_request_accept(errand=errand, acting_user=bernd)
        services.errand_request_mark_bought(errand=errand, acting_user=bernd)
        services.errand_request_mark_delivered(errand=errand, acting_user=bernd)
    connection.set_schema_to_public()

    # then: three mails to Anna, the thank-you to Bernd, branded for town A with links on its domain
    wait_for(lambda: len(mailoutbox) >= 4, timeout=60)
    to_anna = [m for m in mailoutbox if m.to == [anna.email]]
    assert len(to_anna) == 3
    assert [m for m in mailoutbox if m.to == [bernd.email]]
    for message in mailoutbox:
        assert town.name in message.subject
        assert f"http://{town.slug}.localhost" in message.body
