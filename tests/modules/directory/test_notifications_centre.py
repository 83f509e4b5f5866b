"""With the notifications module on, the steps of a business application reach the people concerned
through it: moderators and admins hear about an application, the applicant about the decision (with the
reason), once each however often the task runs, only in their own town."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils.translation import gettext
from django_tenants.utils import schema_context

from accounts.models import Role
from modules.directory import services, tasks
from modules.directory.models import Business
from modules.notifications.models import Notification
from tests.accounts.factories import UserFactory, town_admin
from tests.fixtures_celery import wait_for
from tests.helpers import host_of, logged_in_client
from tests.modules.directory.factories import BusinessFactory
from tests.modules.notifications.factories import NotificationSettingsFactory


@pytest.fixture
def queued(monkeypatch, celery_eager) -> list[tuple]:
    """The directory task's arguments as the services queue it (core.outbox); it runs at once (eager)."""
    from tests.outbox_helpers import outbox_recorder

    return outbox_recorder(monkeypatch, "directory.notify", positional=True)


def _register(owner, name: str = "Bäckerei Klein") -> Business:
    return services.business_register(acting_user=owner, name=name, categories=[], street="Hauptstraße 3",
                                      postal_code="57520", locality="Oberdorf")


def test_an_application_notifies_each_moderator_and_admin_once(
    in_town_a, queued, no_quiet_hours, mailoutbox, django_capture_on_commit_callbacks
):
    # given
    owner = UserFactory(email="baecker@example.org")
    moderator = UserFactory(email="moderatorin@example.org", role=Role.MODERATOR)
    no_quiet_hours(moderator, town_admin())
    # when
    with django_capture_on_commit_callbacks(execute=True):
        business = _register(owner)
    # then: one notification each in the centre, linked to the applications, and one mail each
    notices = Notification.objects.filter(event="directory.application")
    assert sorted(n.user_id for n in notices) == sorted([moderator.pk, town_admin().pk])
    for notice in notices:
        assert notice.title == gettext("New business for the directory: %(name)s") % {"name": business.name}
        assert notice.url == "/directory/manage/applications/" and notice.topic == ""
        assert in_town_a.name in notice.body  # the town's name, not an empty gap
    assert sorted(m.to[0] for m in mailoutbox) == sorted([moderator.email, town_admin().email])
    assert not Notification.objects.filter(user=owner).exists()
    # and a second run of the task tells nobody again
    (args,) = queued
    tasks.notify(*args)
    tasks.notify.apply(args=args)
    assert notices.count() == 2 and len(mailoutbox) == 2


def test_approval_and_rejection_with_the_reason_reach_the_applicant(
    in_town_a, queued, no_quiet_hours, mailoutbox, django_capture_on_commit_callbacks
):
    # given
    owner = UserFactory(email="imbiss@example.org")
    no_quiet_hours(owner)
    with django_capture_on_commit_callbacks(execute=True):
        business = BusinessFactory(name="Imbiss Ecke", owner=owner, approve=False)
    back_office = logged_in_client(in_town_a, town_admin())
    # when: rejected with a reason
    with django_capture_on_commit_callbacks(execute=True):
        back_office.post(f"/directory/manage/applications/{business.slug}/reject/",
                         {"reason": "Bitte die vollständige Adresse angeben."})
    # then
    (rejected,) = Notification.objects.filter(user=owner, event="directory.rejected")
    assert rejected.title == gettext("Your directory entry was not approved: %(name)s") % {"name": business.name}
    assert "Bitte die vollständige Adresse angeben." in rejected.body
    assert rejected.url == f"/directory/manage/{business.slug}/"
    (mail,) = [m for m in mailoutbox if m.to == [owner.email]]
    assert "Bitte die vollständige Adresse angeben." in mail.body
    # when: corrected, submitted again and approved
    with django_capture_on_commit_callbacks(execute=True):
        logged_in_client(in_town_a, owner).post(f"/directory/manage/{business.slug}/resubmit/")
    with django_capture_on_commit_callbacks(execute=True):
        back_office.post(f"/directory/manage/applications/{business.slug}/approve/")
    # then: the second application is a notice of its own, and so is the approval
    assert Notification.objects.filter(event="directory.application", user=town_admin()).count() == 2
    (approved,) = Notification.objects.filter(user=owner, event="directory.approved")
    assert in_town_a.name in approved.body
    assert approved.title == gettext("Your business is now in the directory: %(name)s") % {"name": business.name}
    assert Notification.objects.filter(user=owner).count() == 2


def test_a_notice_overtaken_by_the_next_decision_is_not_sent(in_town_a, celery_eager,
                                                            django_capture_on_commit_callbacks):
    # given: the application's task is late; a moderator has already rejected it
    owner = UserFactory(email="spaet@example.org")
    business = BusinessFactory(name="Späti", owner=owner, approve=False)
    services.business_reject(business=business, acting_user=town_admin(), reason="Kein Laden im Ort.")
    # when the late task runs
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.notify("application", business.pk) == 0
    # then: nobody is asked to review what is decided, and the next round still gets its notice
    assert not Notification.objects.filter(event="directory.application").exists()
    services.business_resubmit(business=business, acting_user=owner)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.notify("application", business.pk) >= 1
    assert Notification.objects.filter(event="directory.application").exists()


def test_without_the_notifications_module_the_old_mails_go_out_with_the_towns_name(
    in_town_a, queued, notifications_off, mailoutbox, django_capture_on_commit_callbacks
):
    owner = UserFactory(email="hofladen@example.org")
    business = BusinessFactory(name="Hofladen Wiese", owner=owner, approve=False)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.business_approve(business=business, acting_user=town_admin())
    assert not Notification.objects.exists()
    (mail,) = mailoutbox
    assert mail.to == [owner.email] and f"/directory/manage/{business.slug}/" in mail.body
    # the town's name in the sentence (it used to be an empty gap)
    assert gettext("Good news: “%(name)s” is now listed in the directory of %(town)s.") % {
        "name": business.name, "town": in_town_a.name} in mail.body


def test_with_the_directory_off_a_queued_task_notifies_nobody(in_town_a, celery_eager, mailoutbox):
    from tenants.services import tenant_module_disable

    business = BusinessFactory(name="Hofladen Ost", approve=False)
    tenant_module_disable(tenant=in_town_a, key="directory")
    assert tasks.notify.apply(args=("application", business.pk)).get() == 0
    assert not Notification.objects.exists() and mailoutbox == []


def test_town_b_never_gets_town_a_notices(in_town_a, town_b, queued, no_quiet_hours, mailoutbox,
                                          django_capture_on_commit_callbacks):
    # the admins of both towns share one e-mail address (tests/conftest.py)
    no_quiet_hours(town_admin())
    with django_capture_on_commit_callbacks(execute=True):
        _register(UserFactory(email="laden@example.org"), name="Laden am Markt")
    assert Notification.objects.filter(user=town_admin()).count() == 1
    with schema_context(town_b.schema_name):
        assert not Notification.objects.exists()
    assert mailoutbox and all(host_of(town_b) not in m.body and town_b.name not in m.subject for m in mailoutbox)


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_tells_the_applicant_in_the_towns_name(celery_worker, town_a, town_b, mailoutbox):
    emails = ("worker-laden@example.org",)
    try:
        with schema_context(town_a.schema_name):
            connection.set_tenant(town_a)
            owner = UserFactory(email=emails[0])
            NotificationSettingsFactory(user=owner, quiet_hours=False)
            business = _register(owner, name="Laden Worker")
            services.business_approve(business=business, acting_user=town_admin())
        connection.set_schema_to_public()

        def told() -> bool:
            with schema_context(town_a.schema_name):
                return Notification.objects.filter(user__email=emails[0], email_state="sent").exists()

        wait_for(told, timeout=60)
        (mail,) = wait_for(lambda: [m for m in mailoutbox if m.to == [emails[0]]], timeout=30)
        assert town_a.name in mail.subject
        assert f"http://{host_of(town_a)}/directory/manage/{business.slug}/" in mail.body
        assert mail.extra_headers["List-Unsubscribe"].startswith(f"<http://{host_of(town_a)}/notifications/")
        with schema_context(town_b.schema_name):
            assert not Notification.objects.exists()
    finally:
        connection.set_schema_to_public()
        with schema_context(town_a.schema_name):
            Business.objects.filter(name="Laden Worker").delete()
            from town.models import Organisation

            Organisation.objects.filter(name="Laden Worker").delete()
            from accounts.models import User

            User.objects.filter(email__in=emails).delete()
            Notification.objects.all().delete()
