"""With the notifications module on, Suche & Biete tells people through it: saved-search matches under a
topic residents can mute, removals and expiries of one's own listing always; once each however often the
task runs, only in their own town. Relayed contact messages stay e-mails."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext
from django_tenants.utils import schema_context

from accounts.models import User
from modules.marketplace import notifications, services, tasks
from modules.marketplace.models import Listing, ListingKind, ListingType, PriceMode
from modules.notifications.models import Notification, TopicPreference
from modules.notifications.topics import TOPICS
from tests.accounts.factories import UserFactory
from tests.fixtures_celery import wait_for
from tests.helpers import TownClient, host_of, logged_in_client
from tests.modules.marketplace.factories import ListingFactory
from tests.modules.notifications.factories import NotificationSettingsFactory, TopicPreferenceFactory

TOPIC = notifications.SAVED_SEARCH_TOPIC


@pytest.fixture
def queued(monkeypatch, celery_eager) -> list[dict]:
    """The mail task's arguments as notify_user queues them (core.outbox); it (and notify's delivery) runs at once."""
    from core import outbox

    calls: list[dict] = []
    enqueue = outbox.outbox_enqueue

    def record(task_name, **options):
        if task_name == "marketplace.send_user_mail":
            calls.append(dict(options.get("kwargs") or {}))
        return enqueue(task_name, **options)

    monkeypatch.setattr(outbox, "outbox_enqueue", record)
    return calls


def test_a_saved_search_match_is_one_notification_under_its_own_topic(
    seller, buyer, queued, no_quiet_hours, mailoutbox, django_capture_on_commit_callbacks
):
    # given
    no_quiet_hours(buyer)
    services.saved_search_create(acting_user=buyer, query="Kinderwagen", kind=ListingKind.OFFER)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        match = ListingFactory(owner=seller, title="Gut erhaltener Kinderwagen", description="Abholung in Xanten")
        ListingFactory(owner=seller, title="Rasenmäher", description="Benzin")
    # then: in the centre, linked to the listing, and by e-mail with the topic's unsubscribe link
    (notice,) = Notification.objects.filter(user=buyer)
    assert notice.topic == TOPIC and notice.event == "marketplace.saved_search_match"
    assert notice.title == gettext("New in Suche & Biete: %(title)s") % {"title": match.title}
    assert notice.url.endswith(f"/marketplace/{match.pk}/") and "Kinderwagen" in notice.body
    assert "/marketplace/unsubscribe/" in notice.body  # the search itself can still be deleted in one click
    (mail,) = mailoutbox
    assert mail.to == [buyer.email] and seller.email not in mail.body
    assert f"http://{host_of(connection.tenant)}/notifications/unsubscribe/" in mail.extra_headers["List-Unsubscribe"]
    assert not Notification.objects.filter(user=seller).exists()
    # and running the match again, or the queued task twice, notifies nobody again
    with django_capture_on_commit_callbacks(execute=True):
        assert services.saved_searches_notify(listing_id=match.pk) == 0
    (kwargs,) = queued
    tasks.send_user_mail(**kwargs)
    tasks.send_user_mail.apply(kwargs=kwargs)
    assert Notification.objects.filter(user=buyer).count() == 1 and len(mailoutbox) == 1


def test_residents_can_mute_saved_search_notices_in_their_settings(
    in_town_a, seller, buyer, queued, no_quiet_hours, mailoutbox, django_capture_on_commit_callbacks
):
    # given: the topic is in the settings page, with its German label
    assert TOPIC in TOPICS
    page = logged_in_client(in_town_a, buyer).get("/notifications/settings/").content.decode()
    assert str(TOPICS[TOPIC].label) in page
    no_quiet_hours(buyer)
    services.saved_search_create(acting_user=buyer, query="Sofa")
    # when: the buyer wants them in the app only, and later not at all
    TopicPreferenceFactory(user=buyer, topic=TOPIC, enabled=True, email=False, push=False)
    with django_capture_on_commit_callbacks(execute=True):
        ListingFactory(owner=seller, title="Sofa, drei Sitze", description="Braun")
    assert Notification.objects.filter(user=buyer).count() == 1 and mailoutbox == []
    TopicPreference.objects.filter(user=buyer, topic=TOPIC).update(enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        ListingFactory(owner=seller, title="Sofa, zwei Sitze", description="Grün")
    # then
    assert Notification.objects.filter(user=buyer).count() == 1 and mailoutbox == []


def test_a_removal_tells_the_owner_once_with_the_reason(
    seller, queued, no_quiet_hours, mailoutbox, django_capture_on_commit_callbacks
):
    no_quiet_hours(seller)
    listing = ListingFactory(owner=seller)
    moderator = UserFactory(email="mod@example.org", role="moderator")
    # when: the moderator's form is sent twice (a double click)
    with django_capture_on_commit_callbacks(execute=True):
        services.listing_remove(listing=listing, acting_user=moderator, reason="Gewerbliches Angebot")
    with django_capture_on_commit_callbacks(execute=True):
        services.listing_remove(listing=listing, acting_user=moderator, reason="Gewerbliches Angebot")
    # then
    (notice,) = Notification.objects.filter(user=seller)
    assert notice.topic == "" and "Gewerbliches Angebot" in notice.body
    assert notice.title == gettext("Your listing “%(title)s” was removed") % {"title": listing.title}
    assert len(mailoutbox) == 1 and "Gewerbliches Angebot" in mailoutbox[0].body


def test_each_expiry_is_one_notice_with_the_renewal_link(
    seller, queued, no_quiet_hours, mailoutbox, django_capture_on_commit_callbacks
):
    no_quiet_hours(seller)
    listing = ListingFactory(owner=seller)
    Listing.objects.filter(pk=listing.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    # when: the periodic task runs twice
    with django_capture_on_commit_callbacks(execute=True):
        tasks.expire_listings()
        tasks.expire_listings()
    (notice,) = Notification.objects.filter(user=seller, event="marketplace.listing_expired")
    assert notice.url.endswith(f"/marketplace/{listing.pk}/renew/") and notice.topic == ""
    # and after a renewal, the next expiry is a notice of its own
    services.listing_renew(listing=listing, acting_user=seller)
    Listing.objects.filter(pk=listing.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.expire_listings()
    assert Notification.objects.filter(user=seller, event="marketplace.listing_expired").count() == 2
    assert len(mailoutbox) == 2


def test_relayed_contact_messages_stay_emails(seller, celery_eager, mailoutbox):
    # a relayed message is a mail without Reply-To, whatever key the caller gives
    assert tasks.send_user_mail(user_id=seller.pk, subject="Nachricht", template="marketplace/mail/contact_message",
                                context={"title": "Sofa", "body": "Hallo", "author": "Karl K.", "reply_url": "x",
                                         "listing_url": "y", "reply_days": 30, "first": True},
                                relay=True, dedupe_key="marketplace.contact:1", url="/marketplace/") == 1
    assert not Notification.objects.exists()
    (mail,) = mailoutbox
    assert mail.to == [seller.email] and mail.reply_to == []


def test_without_the_notifications_module_the_old_mail_goes_out(
    seller, buyer, queued, notifications_off, mailoutbox, django_capture_on_commit_callbacks
):
    services.saved_search_create(acting_user=buyer, query="Leiter")
    with django_capture_on_commit_callbacks(execute=True):
        ListingFactory(owner=seller, title="Leiter, 3 Meter", description="Alu")
    assert not Notification.objects.exists()
    (mail,) = mailoutbox
    # Bulk mail: the mail program's own unsubscribe button leads to the same one-click link as the body's.
    link = re.search(r"/marketplace/unsubscribe/[A-Za-z0-9_-]+/", mail.body)
    assert mail.to == [buyer.email] and link
    assert link.group(0) in mail.extra_headers["List-Unsubscribe"]
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_with_the_marketplace_off_a_queued_task_notifies_nobody(in_town_a, seller, celery_eager, mailoutbox):
    from tenants.services import tenant_module_disable

    tenant_module_disable(tenant=in_town_a, key="marketplace")
    assert tasks.send_user_mail.apply(kwargs={
        "user_id": seller.pk, "subject": "x", "template": "marketplace/mail/listing_removed",
        "context": {"title": "x", "reason": "y", "list_url": "z"}, "dedupe_key": "marketplace.listing_removed:1",
    }).get() == 0
    assert not Notification.objects.exists() and mailoutbox == []


def test_town_b_never_gets_town_a_notices(seller, buyer, town_b, queued, no_quiet_hours, mailoutbox,
                                          django_capture_on_commit_callbacks):
    with schema_context(town_b.schema_name):
        twin = UserFactory(email=buyer.email, name="Zwilling")
    no_quiet_hours(buyer)
    services.saved_search_create(acting_user=buyer, query="Fahrrad")
    with django_capture_on_commit_callbacks(execute=True):
        ListingFactory(owner=seller, title="Fahrrad, 28 Zoll", description="Blau")
    assert Notification.objects.filter(user=buyer).count() == 1
    with schema_context(town_b.schema_name):
        assert not Notification.objects.filter(user=twin).exists() and not Notification.objects.exists()
    assert all(host_of(town_b) not in m.body for m in mailoutbox)


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_the_match_in_the_towns_name(celery_worker, town_a, town_b, mailoutbox):
    emails = ("suchend-centre@example.org", "anbietend-centre@example.org")
    try:
        with schema_context(town_a.schema_name):
            connection.set_tenant(town_a)
            searcher, owner = UserFactory(email=emails[0]), UserFactory(email=emails[1])
            NotificationSettingsFactory(user=searcher, quiet_hours=False)
            services.saved_search_create(acting_user=searcher, query="Werkbank")
            listing = services.listing_create(
                acting_user=owner, kind=ListingKind.OFFER, listing_type=ListingType.GIVE_AWAY, title="Alte Werkbank",
                description="Massivholz, muss abgeholt werden.", price_mode=PriceMode.FREE,
            )
        connection.set_schema_to_public()

        (mail,) = wait_for(lambda: [m for m in mailoutbox if m.to == [emails[0]]], timeout=60)
        assert town_a.name in mail.subject
        assert f"http://{host_of(town_a)}/marketplace/{listing.pk}/" in mail.body
        assert host_of(town_b) not in mail.body and emails[1] not in mail.body
        link = re.search(r"http://[^/\s]+(/notifications/unsubscribe/[^\s]+/)", mail.body).group(1)
        assert TownClient(host_of(town_b)).post(link).status_code == 404  # T4: A's link means nothing on B
        with schema_context(town_a.schema_name):
            assert Notification.objects.filter(user__email=emails[0], topic=TOPIC).count() == 1
        with schema_context(town_b.schema_name):
            assert not Notification.objects.exists()
        # and the link unsubscribes in A, from this topic only
        assert TownClient(host_of(town_a)).post(link).status_code == 200
        with schema_context(town_a.schema_name):
            pref = TopicPreference.objects.get(user__email=emails[0], topic=TOPIC)
            assert (pref.enabled, pref.email) == (True, False)
    finally:
        connection.set_schema_to_public()
        with schema_context(town_a.schema_name):
            User.objects.filter(email__in=emails).delete()  # cascades to listings, searches, notifications
