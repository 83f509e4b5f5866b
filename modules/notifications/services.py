"""Every write of the notifications module: creating and delivering notifications, preferences, push, urgent notices.

Delivery happens in two steps, both safe to repeat:
1. ``notifications_create`` inserts one row per (user, dedupe_key) with ON CONFLICT DO NOTHING and decides,
   per channel, whether it goes out now, after quiet hours, with the digest, or not at all;
2. ``notifications_dispatch`` locks the rows still marked "pending", sends them and marks them "sent".
A retried or twice-delivered task finds the rows already there and already sent, so nobody gets anything twice.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import logging
import smtplib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.bounce_selectors import email_undeliverable, undeliverable_emails
from accounts.models import User
from core.audit import AuditTarget, audit_record
from core.branding import town_url
from core.mail import send_town_mail, town_mail_context
from core.outbox import outbox_enqueue
from modules.notifications.conf import topic_default
from modules.notifications.models import (
    DeliveryState,
    EmailFrequency,
    Notification,
    NotificationSettings,
    PushSubscription,
    TopicPreference,
    UrgentNotice,
)
from modules.notifications.push import PushGone, push_send, push_session
from modules.notifications.selectors import forget_unread_counts, forget_urgent_notices
from modules.notifications.tokens import unsubscribe_token_make
from modules.notifications.topics import ALL_EMAIL, TOPICS, URGENT

BATCH_SIZE = 500
DIGEST_HOUR = 7  # digests go out from 07:00 local time on (and never inside the resident's quiet hours)
TITLE_MAX = 200
BODY_MAX = 2000

logger = logging.getLogger(__name__)

PENDING, DEFERRED, DIGEST, SENT, SKIPPED, NONE = (
    DeliveryState.PENDING, DeliveryState.DEFERRED, DeliveryState.DIGEST, DeliveryState.SENT,
    DeliveryState.SKIPPED, DeliveryState.NONE,
)


def chunked(ids: Iterable[int], size: int = BATCH_SIZE) -> Iterator[list[int]]:
    batch: list[int] = []
    for value in ids:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# --- preferences ------------------------------------------------------------------


def settings_for(user_ids: Iterable[int]) -> dict[int, NotificationSettings]:
    """Each user's settings; users who never chose get an unsaved row with the defaults."""
    ids = list(user_ids)
    found = {row.user_id: row for row in NotificationSettings.objects.filter(user_id__in=ids)}
    return {uid: found.get(uid) or NotificationSettings(user_id=uid) for uid in ids}


def topic_choice(pref: TopicPreference | None, topic: str, *, default: bool | None = None) -> tuple[bool, bool, bool]:
    """(subscribed, by e-mail, by push) for one user and topic.

    Without a stored choice the town's default for the topic applies (`default`, when the caller
    already read it for a whole batch; else read here).
    """
    if pref is not None:
        return pref.enabled, pref.email, pref.push
    return (topic_default(topic) if default is None else default), True, True


def in_quiet_hours(row: NotificationSettings, now: datetime.datetime) -> bool:
    if not row.quiet_hours or row.quiet_start == row.quiet_end:
        return False
    local = timezone.localtime(now).time()
    start, end = row.quiet_start, row.quiet_end
    if start < end:
        return start <= local < end
    return local >= start or local < end  # the usual case: over midnight, 22:00–07:00


def _email_state(row: NotificationSettings, wanted: bool, *, urgent: bool, quiet: bool) -> str:
    if not wanted:
        return NONE
    if urgent:
        return PENDING
    if row.email_frequency == EmailFrequency.OFF:
        return NONE
    if row.email_frequency in (EmailFrequency.DAILY, EmailFrequency.WEEKLY):
        return DIGEST
    return DEFERRED if quiet else PENDING


@transaction.atomic
def notification_settings_update(
    *,
    user: Any,
    email_frequency: str,
    quiet_hours: bool,
    quiet_start: datetime.time,
    quiet_end: datetime.time,
    topics: dict[str, tuple[bool, bool, bool]],
) -> NotificationSettings:
    """Save a resident's channel choices; `topics` maps topic key → (subscribed, e-mail, push)."""
    if email_frequency not in EmailFrequency.values:
        raise ValidationError(_("Choose how often you want e-mails."))
    row, _created = NotificationSettings.objects.get_or_create(user=user)
    row.email_frequency = email_frequency
    row.quiet_hours = quiet_hours
    row.quiet_start = quiet_start
    row.quiet_end = quiet_end
    row.save()
    for topic, (enabled, email, push) in topics.items():
        if topic not in TOPICS:
            continue
        TopicPreference.objects.update_or_create(
            user=user, topic=topic, defaults={"enabled": enabled, "email": email, "push": push}
        )
    return row


@transaction.atomic
def topic_defaults_save(*, tenant: Any, data: dict[str, Any], acting_user: Any = None) -> None:
    """Store the town's default subscriptions (NotificationDefaultsForm's fields); the town admin's view calls it."""
    from tenants.selectors import tenant_module_config
    from tenants.services import tenant_module_configure

    before = tenant_module_config(tenant=tenant, key="notifications") or {}
    row = tenant_module_configure(tenant=tenant, key="notifications", data=data)
    audit_record(acting_user, "module.configure", AuditTarget("module", "notifications", str(_("Notifications"))),
                 before=before, after=row.config)


@transaction.atomic
def unsubscribe(*, user_id: int, topic: str) -> bool:
    """Turn e-mail off for `topic` (ALL_EMAIL: every non-urgent e-mail). False if the user is gone."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    if topic == ALL_EMAIL or topic not in TOPICS:
        row, _created = NotificationSettings.objects.get_or_create(user=user)
        row.email_frequency = EmailFrequency.OFF
        row.save(update_fields=["email_frequency"])
    else:
        pref = TopicPreference.objects.filter(user=user, topic=topic).first()
        if pref is None:
            pref = TopicPreference(user=user, topic=topic, enabled=topic_default(topic))
        pref.email = False
        pref.save()
    # Whatever was still waiting to be mailed for this choice stays unsent.
    waiting = Notification.objects.filter(user=user, email_state__in=[PENDING, DEFERRED, DIGEST])
    if topic != ALL_EMAIL and topic in TOPICS:
        waiting = waiting.filter(topic=topic)
    else:
        waiting = waiting.filter(urgent=False)
    waiting.update(email_state=SKIPPED)
    return True


# --- the notification centre ------------------------------------------------------


def notification_mark_read(*, user: Any, notification_id: int) -> Notification | None:
    """Mark one of the user's own notifications read; None if it isn't theirs."""
    notification = Notification.objects.filter(pk=notification_id, user=user).first()
    if notification is not None and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        forget_unread_counts([user.pk])
    return notification


def notifications_mark_all_read(*, user: Any) -> int:
    count = Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
    forget_unread_counts([user.pk])
    return count


# --- web push subscriptions -------------------------------------------------------


def _b64url_bytes(value: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        return b""


@transaction.atomic
def push_subscription_save(
    *, user: Any, endpoint: str, p256dh: str, auth: str, user_agent: str = ""
) -> PushSubscription:
    """Store the PushSubscription a browser handed over (endpoint + keys); re-subscribing updates it."""
    endpoint = (endpoint or "").strip()
    parts = urlsplit(endpoint)
    # Browsers' push services are always https; plain http only where a test stands in for one.
    schemes = ("https", "http") if getattr(settings, "WEBPUSH_ALLOW_INSECURE_ENDPOINTS", False) else ("https",)
    if len(endpoint) > 1000 or not parts.netloc or parts.scheme not in schemes:
        raise ValidationError(_("This browser sent an invalid push address."))
    public_key = _b64url_bytes(p256dh or "")
    secret = _b64url_bytes(auth or "")
    # A P-256 public key is an uncompressed point (65 bytes, 0x04 first); the auth secret is 16 bytes.
    if len(public_key) != 65 or public_key[0] != 4 or len(secret) != 16:
        raise ValidationError(_("This browser sent invalid push keys."))
    subscription, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={"user": user, "p256dh": p256dh, "auth": auth, "user_agent": (user_agent or "")[:300]},
    )
    return subscription


def push_subscription_delete(*, user: Any, endpoint: str) -> int:
    deleted, _details = PushSubscription.objects.filter(user=user, endpoint=(endpoint or "").strip()).delete()
    return deleted


# --- delivery ---------------------------------------------------------------------


def notifications_create(
    *,
    user_ids: Iterable[int],
    event: str,
    title: str,
    body: str,
    url: str,
    dedupe_key: str,
    topic: str = "",
    urgent: bool = False,
    now: datetime.datetime | None = None,
) -> list[int]:
    """Create the notifications of one batch of users (idempotent); ids of those with a channel to send now."""
    now = now or timezone.now()
    active = sorted(User.objects.filter(pk__in=set(user_ids), is_active=True).values_list("pk", flat=True))
    if not active:
        return []
    settings_map = settings_for(active)
    prefs = {p.user_id: p for p in TopicPreference.objects.filter(user_id__in=active, topic=topic)} if topic else {}
    default = topic_default(topic) if topic else True  # once per batch, not per resident
    with_push = set(PushSubscription.objects.filter(user_id__in=active).values_list("user_id", flat=True))
    # Addresses that bounced for good get no notification mail (the centre and push still work);
    # urgent notices too: a dead mailbox can't read them, push and the banner can.
    emails = dict(User.objects.filter(pk__in=active).values_list("pk", "email"))
    dead = undeliverable_emails(emails.values())
    rows = []
    for uid in active:
        subscribed, email_wanted, push_wanted = (
            topic_choice(prefs.get(uid), topic, default=default) if topic else (True, True, True)
        )
        if not subscribed:
            continue
        row = settings_map[uid]
        quiet = not urgent and in_quiet_hours(row, now)
        push_state = NONE
        if push_wanted and uid in with_push:
            push_state = DEFERRED if quiet else PENDING
        rows.append(
            Notification(
                user_id=uid, event=event[:80], title=title[:TITLE_MAX], body=body[:BODY_MAX], url=url[:500],
                topic=topic[:80], urgent=urgent, dedupe_key=dedupe_key[:200],
                email_state=_email_state(row, email_wanted and emails[uid].lower() not in dead, urgent=urgent,
                                         quiet=quiet),
                push_state=push_state,
            )
        )
    # The unique (user, dedupe_key) constraint makes a second delivery insert nothing.
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=BATCH_SIZE)
    forget_unread_counts(active)
    return list(
        Notification.objects.filter(dedupe_key=dedupe_key[:200], user_id__in=active)
        .filter(Q(email_state=PENDING) | Q(push_state=PENDING))
        .values_list("pk", flat=True)
    )


def absolute_url(url: str, origin: str) -> str:
    return origin + url if url.startswith("/") else url


def _unsubscribe_url(origin: str, *, user_id: int, topic: str) -> str:
    token = unsubscribe_token_make(user_id=user_id, topic=topic)
    return origin + reverse("notifications:unsubscribe", kwargs={"token": token})


def unsubscribe_headers(unsubscribe_url: str) -> dict[str, str]:
    """RFC 2369/8058 headers of a bulk mail: mail programs show their own unsubscribe button and POST to the link.

    With settings.MAIL_UNSUBSCRIBE_ADDRESS a mailto: comes second, for programs that only send mail:
    the town's schema as the address's +tag and the link's token in the subject, so the inbox reader
    (manage.py mail_inbox_read) knows the town and checks the token there.
    """
    links = [f"<{unsubscribe_url}>"]
    address = getattr(settings, "MAIL_UNSUBSCRIBE_ADDRESS", "")
    if address:
        local, _at, domain = address.partition("@")
        token = unsubscribe_url.rstrip("/").rsplit("/", 1)[-1]
        links.append(f"<mailto:{local}+{connection.schema_name}@{domain}?subject=unsubscribe%20{token}>")
    return {"List-Unsubscribe": ", ".join(links), "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _send_email(notification: Notification, origin: str, mail_connection: Any, town_context: dict) -> None:
    topic = notification.topic if notification.topic in TOPICS else ALL_EMAIL
    unsubscribe_url = _unsubscribe_url(origin, user_id=notification.user_id, topic=topic)
    send_town_mail(
        to=notification.user.email,
        subject=notification.title,
        template="notifications/mail/notification",
        context={
            "notification": notification,
            "link": absolute_url(notification.url, origin) if notification.url else "",
            "settings_url": origin + reverse("notifications:settings"),
            "unsubscribe_url": unsubscribe_url,
            "topic_label": str(TOPICS[topic].label) if topic in TOPICS else "",
        },
        headers=unsubscribe_headers(unsubscribe_url),
        mail_connection=mail_connection,
        town_context=town_context,
    )


def notifications_dispatch(*, notification_ids: Iterable[int]) -> dict[str, int]:
    """Send e-mail and push for the given notifications still marked pending; returns counts."""
    ids = list(notification_ids)
    counts = {"email": 0, "push": 0, "push_gone": 0}
    if not ids:
        return counts
    origin = town_url("")
    town_context = town_mail_context()  # once per batch: the same branding for every mail
    mail_connection = get_connection()
    session = push_session()
    with transaction.atomic():
        # skip_locked: a second worker handling the same event leaves these rows to the first one.
        batch = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("user")
            .filter(pk__in=ids)
            .filter(Q(email_state=PENDING) | Q(push_state=PENDING))
            .order_by("pk")
        )
        push_users = {n.user_id for n in batch if n.push_state == PENDING}
        subscriptions: dict[int, list[PushSubscription]] = defaultdict(list)
        for subscription in PushSubscription.objects.filter(user_id__in=push_users).order_by("pk"):
            subscriptions[subscription.user_id].append(subscription)
        gone: set[int] = set()
        reached: set[int] = set()
        mailed: list[int] = []
        pushed: list[int] = []
        failure: Exception | None = None
        try:
            mail_connection.open()
            for notification in batch:
                if notification.email_state == PENDING:
                    _send_email(notification, origin, mail_connection, town_context)
                    mailed.append(notification.pk)
                    counts["email"] += 1
                if notification.push_state == PENDING:
                    payload = {
                        "title": notification.title,
                        "body": notification.body[:300],
                        "url": absolute_url(notification.url or "/", origin),
                    }
                    for subscription in subscriptions.get(notification.user_id, []):
                        if subscription.pk in gone:
                            continue
                        try:
                            push_send(endpoint=subscription.endpoint, p256dh=subscription.p256dh,
                                      auth=subscription.auth, payload=payload, urgent=notification.urgent,
                                      session=session)
                        except PushGone:
                            gone.add(subscription.pk)
                            counts["push_gone"] += 1
                        else:
                            reached.add(subscription.pk)
                            counts["push"] += 1
                    pushed.append(notification.pk)
        except (OSError, smtplib.SMTPException) as exc:
            # The mail relay went away (or stalled past EMAIL_TIMEOUT), maybe part-way through the batch. What
            # it accepted is marked sent below (rolling that back would mail those people again); the rest is
            # deferred, so release_deferred sends it once the relay is back (bench/soak.py lost 90 mails
            # before: the failed task was not retried and nothing else looks at pending rows).
            failure = exc
        finally:
            mail_connection.close()
            session.close()
        # Two plain UPDATEs: much cheaper than bulk_update's CASE per row for a batch of 500.
        Notification.objects.filter(pk__in=mailed).update(email_state=SENT)
        Notification.objects.filter(pk__in=pushed).update(push_state=SENT)
        if failure is not None:
            sent_now = set(mailed)
            unsent = [n.pk for n in batch if n.email_state == PENDING and n.pk not in sent_now]
            Notification.objects.filter(pk__in=unsent).update(email_state=DEFERRED)
            counts["email_deferred"] = len(unsent)
            logger.warning("mail relay failed (%s); %d notification mails deferred", failure, len(unsent))
        PushSubscription.objects.filter(pk__in=gone).delete()
        PushSubscription.objects.filter(pk__in=reached - gone).update(last_success_at=timezone.now())
    return counts


def notifications_deliver(
    *,
    user_ids: Iterable[int],
    event: str,
    title: str,
    body: str,
    url: str,
    dedupe_key: str,
    topic: str = "",
    urgent: bool = False,
) -> int:
    """Create and send one event's notifications in batches (the work of the deliver task); returns the batch count."""
    batches = 0
    for batch in chunked(sorted(set(user_ids))):
        ids = notifications_create(user_ids=batch, event=event, title=title, body=body, url=url,
                                   dedupe_key=dedupe_key, topic=topic, urgent=urgent)
        notifications_dispatch(notification_ids=ids)
        batches += 1
    return batches


def notifications_release_deferred(*, now: datetime.datetime | None = None) -> int:
    """Send what quiet hours held back, for everyone whose quiet hours are over; returns how many were released."""
    now = now or timezone.now()
    waiting = list(
        Notification.objects.filter(Q(email_state=DEFERRED) | Q(push_state=DEFERRED))
        .values_list("pk", "user_id", "read_at", "urgent")
    )
    if not waiting:
        return 0
    settings_map = settings_for({user_id for _pk, user_id, _read, _urgent in waiting})
    awake = {uid for uid, row in settings_map.items() if not in_quiet_hours(row, now)}
    # Urgent notices ignore quiet hours: one deferred only because the mail relay failed goes out at once.
    ready = [pk for pk, user_id, read_at, urgent in waiting if (urgent or user_id in awake) and read_at is None]
    already_read = [pk for pk, user_id, read_at, urgent in waiting
                    if (urgent or user_id in awake) and read_at is not None]
    # Read in the app during the night: no need to buzz the phone in the morning.
    Notification.objects.filter(pk__in=already_read, email_state=DEFERRED).update(email_state=SKIPPED)
    Notification.objects.filter(pk__in=already_read, push_state=DEFERRED).update(push_state=SKIPPED)
    for batch in chunked(ready):
        Notification.objects.filter(pk__in=batch, email_state=DEFERRED).update(email_state=PENDING)
        Notification.objects.filter(pk__in=batch, push_state=DEFERRED).update(push_state=PENDING)
        notifications_dispatch(notification_ids=batch)
    return len(ready)


def _digest_due(row: NotificationSettings, now: datetime.datetime) -> bool:
    if row.last_digest_at is None:
        return True
    days = (timezone.localtime(now).date() - timezone.localtime(row.last_digest_at).date()).days
    return days >= (7 if row.email_frequency == EmailFrequency.WEEKLY else 1)


# Residents per digest task: a chunk's mails take seconds, far below the task time limit.
DIGEST_CHUNK = 200


def _digest_user_ids() -> list[int]:
    return sorted(set(Notification.objects.filter(email_state=DIGEST).values_list("user_id", flat=True)))


def digests_fan_out(*, now: datetime.datetime | None = None) -> int:
    """The hourly digest run: sends here for up to DIGEST_CHUNK residents, else splits into chunk tasks.

    Returns the mails sent in this task (0 when split). A town with thousands of residents on the
    digest gets one short task per DIGEST_CHUNK of them (notifications.send_digests_chunk, default
    queue), each safe to run twice: a digest marks what it sent, a second run finds nothing waiting.
    """
    now = now or timezone.now()
    if timezone.localtime(now).hour < DIGEST_HOUR:
        return 0
    user_ids = _digest_user_ids()
    if len(user_ids) <= DIGEST_CHUNK:
        return digests_send(now=now, user_ids=user_ids)
    for batch in chunked(user_ids, DIGEST_CHUNK):
        outbox_enqueue("notifications.send_digests_chunk", kwargs={"user_ids": batch})
    return 0


def digests_send(*, now: datetime.datetime | None = None, user_ids: Iterable[int] | None = None) -> int:
    """Mail each resident (of `user_ids`, default all) due their daily or weekly digest; returns mails sent."""
    now = now or timezone.now()
    if timezone.localtime(now).hour < DIGEST_HOUR:
        return 0
    user_ids = set(_digest_user_ids() if user_ids is None else user_ids)
    if not user_ids:
        return 0
    origin = town_url("")
    town_context = town_mail_context()
    sent = 0
    mail_connection = get_connection()
    try:
        for uid, row in settings_for(user_ids).items():
            if in_quiet_hours(row, now) or not _digest_due(row, now):
                continue
            if _digest_send_one(uid, row, now, origin, mail_connection, town_context):
                sent += 1
    finally:
        mail_connection.close()
    return sent


@transaction.atomic
def _digest_send_one(
    uid: int, row: NotificationSettings, now: datetime.datetime, origin: str, conn: Any, town_context: dict
) -> bool:
    waiting = list(
        Notification.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("user")
        .filter(user_id=uid, email_state=DIGEST)
        .order_by("created_at", "pk")
    )
    # An address that bounced for good gets no digest; what waited for it is skipped, not piled up.
    dead = bool(waiting) and email_undeliverable(waiting[0].user.email)
    unread = [] if dead else [n for n in waiting if n.read_at is None]
    for notification in waiting:
        notification.email_state = SENT if notification.read_at is None and not dead else SKIPPED
    Notification.objects.bulk_update(waiting, ["email_state"])
    if not unread or row.email_frequency == EmailFrequency.OFF:
        return False
    unsubscribe_url = _unsubscribe_url(origin, user_id=uid, topic=ALL_EMAIL)
    send_town_mail(
        to=unread[0].user.email,
        subject=_("Your notifications: %(count)d new") % {"count": len(unread)},
        template="notifications/mail/digest",
        context={
            "items": [{"notification": n, "link": absolute_url(n.url, origin) if n.url else ""} for n in unread],
            "weekly": row.email_frequency == EmailFrequency.WEEKLY,
            "centre_url": origin + reverse("notifications:list"),
            "settings_url": origin + reverse("notifications:settings"),
            "unsubscribe_url": unsubscribe_url,
        },
        headers=unsubscribe_headers(unsubscribe_url),
        mail_connection=conn,
        town_context=town_context,
    )
    row.last_digest_at = now
    if row.pk is None:
        row.save()
    else:
        row.save(update_fields=["last_digest_at"])
    return True


# --- urgent notices -----------------------------------------------------------------


@transaction.atomic
def urgent_notice_send(
    *, acting_user: Any, title: str, body: str, url: str = "", ortsgemeinden: Iterable[Any] = ()
) -> UrgentNotice:
    """Record an urgent notice and, once committed, reach every resident on every channel (town admins only)."""
    if not getattr(acting_user, "is_town_admin", False):
        raise PermissionDenied
    title, body, url = title.strip(), body.strip(), (url or "").strip()
    if not title or not body:
        raise ValidationError(_("An urgent notice needs a title and a text."))
    if len(title) > 120 or len(body) > 1000:
        raise ValidationError(_("Keep urgent notices short: at most 120 characters of title and 1000 of text."))
    notice = UrgentNotice.objects.create(title=title, body=body, url=url, created_by=acting_user)
    places = list(ortsgemeinden)
    if places:
        notice.ortsgemeinden.set(places)
    transaction.on_commit(forget_urgent_notices)
    # The outbox row commits with the notice; config.celery_routes puts the task on the urgent queue.
    outbox_enqueue("notifications.urgent_notice_deliver", kwargs={"notice_id": notice.pk})
    return notice


def urgent_notice_recipients(notice: UrgentNotice) -> list[int]:
    users = User.objects.filter(is_active=True)
    place_ids = list(notice.ortsgemeinden.values_list("pk", flat=True))
    if place_ids:
        users = users.filter(resident_profile__ortsgemeinde_id__in=place_ids)
    return list(users.order_by("pk").values_list("pk", flat=True))


def urgent_notice_deliver(*, notice_id: int) -> int:
    """Split an urgent notice's fan-out into chunks of BATCH_SIZE residents, a short task each; returns the recipients.

    Each chunk (urgent_notice_deliver_chunk) is its own task on the urgent queue: no task runs
    near the time limit however many residents the town has, several workers share the work, and
    a chunk redelivered after a lost worker sends nothing twice (notifications are deduplicated
    per person). Redelivering this task itself only queues chunks that will find their work done.
    """
    notice = UrgentNotice.objects.filter(pk=notice_id).first()
    if notice is None:
        return 0
    recipients = urgent_notice_recipients(notice)
    # Through the outbox as well: a broker gone during the fan-out delays chunks, never drops them.
    for batch in chunked(recipients, BATCH_SIZE):
        outbox_enqueue("notifications.urgent_notice_chunk", kwargs={"notice_id": notice.pk, "user_ids": batch})
    if not recipients:
        UrgentNotice.objects.filter(pk=notice.pk).update(delivered_at=timezone.now())
    return len(recipients)


def urgent_notice_deliver_chunk(*, notice_id: int, user_ids: list[int]) -> int:
    """Deliver an urgent notice to these residents (at most BATCH_SIZE), update its count; returns the count so far."""
    notice = UrgentNotice.objects.filter(pk=notice_id).first()
    if notice is None:
        return 0
    notifications_deliver(
        user_ids=user_ids,
        event="notifications.urgent",
        title=notice.title,
        body=notice.body,
        url=notice.get_absolute_url(),
        dedupe_key=f"urgent:{notice.pk}",
        topic=URGENT,
        urgent=True,
    )
    # Counted, not added: a redelivered chunk must not count its residents twice. The last chunk
    # to finish leaves the final count and time.
    count = Notification.objects.filter(dedupe_key=f"urgent:{notice.pk}").count()
    UrgentNotice.objects.filter(pk=notice.pk).update(recipient_count=count, delivered_at=timezone.now())
    return count


# --- content from other modules -----------------------------------------------------


def content_subscribers(*, topic: str, ortsgemeinde_ids: Iterable[int]) -> list[int]:
    """Residents subscribed to `topic`; for targeted content only those living in one of the villages.

    Subscribed: a stored "on", or no stored choice while the town's default for the topic is on.
    One query however many residents the town has (the stored choices are a subquery).
    """
    ids = list(ortsgemeinde_ids)
    if topic_default(topic):
        switched_off = TopicPreference.objects.filter(topic=topic, enabled=False).values("user_id")
        users = User.objects.filter(is_active=True).exclude(pk__in=switched_off)
        if ids:
            users = users.filter(resident_profile__ortsgemeinde_id__in=ids)
        return list(users.order_by("pk").values_list("pk", flat=True))
    prefs = TopicPreference.objects.filter(topic=topic, enabled=True, user__is_active=True)
    if ids:
        prefs = prefs.filter(user__resident_profile__ortsgemeinde_id__in=ids)
    return list(prefs.order_by("user_id").values_list("user_id", flat=True))
