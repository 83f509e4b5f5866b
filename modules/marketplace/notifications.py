"""The one place where the marketplace tells a person something.

A Celery task does it after the surrounding transaction commits (through the outbox, core.outbox:
the row commits with the change, so a broker that is down then delays the notice, never loses it). Where the town has
the notifications module on, a notice with a `dedupe_key` becomes a notification in
the person's notification centre (e-mail and push as they chose, quiet hours, digest);
otherwise, and always for relayed contact messages, it is a branded e-mail as before.
"""

from __future__ import annotations

from typing import Any

# Residents can mute saved-search matches in their notification settings (modules/notifications/topics.py).
SAVED_SEARCH_TOPIC = "marketplace.saved_searches"


def notify_user(
    *,
    user_id: int,
    subject: str,
    template: str,
    context: dict[str, Any],
    relay: bool = False,
    dedupe_key: str = "",
    url: str = "",
    topic: str = "",
) -> None:
    """Tell user `user_id` (looked up in the task, so their address never travels in the queue).

    `context` must be JSON-serialisable. `relay=True` sends the mail without a
    Reply-To header: replies to relayed messages go through the reply link on
    the town's site, never to a mailbox that would reveal an address.
    `dedupe_key` (the same for the same event) lets the notice go through the
    notifications module, linking to `url`, under `topic` ("" for notices about
    the person's own listing, which always arrive).
    """
    from core.outbox import outbox_enqueue

    subject = str(subject)
    kwargs = {"user_id": user_id, "subject": subject, "template": template, "context": context, "relay": relay}
    if dedupe_key:
        kwargs.update(dedupe_key=dedupe_key, url=url, topic=topic)
    outbox_enqueue("marketplace.send_user_mail", kwargs=kwargs)


def user_notice_send(
    *,
    user: Any,
    subject: str,
    template: str,
    context: dict[str, Any],
    relay: bool = False,
    dedupe_key: str = "",
    url: str = "",
    topic: str = "",
) -> int:
    """The work of the task, in the town's schema: a notification where possible, else the e-mail.

    Returns 0 when the mail relay refused (the task retries), else 1.
    """
    from django.template.loader import render_to_string

    from core.mail import send_town_mail_or_false, town_mail_context
    from modules.notifications.facade import notifications_enabled, notify

    context = {**context, "recipient_name": user.name}
    if dedupe_key and not relay and notifications_enabled():
        name = template.rsplit("/", 1)[-1]
        body = render_to_string(f"marketplace/notice/{name}.txt", {**town_mail_context(), **context})
        notify(user_ids=[user.pk], event=f"marketplace.{name}", title=subject, body=body.strip(), url=url,
               dedupe_key=dedupe_key, topic=topic)
        return 1
    headers = None
    if topic == SAVED_SEARCH_TOPIC and context.get("unsubscribe_url"):
        # A saved-search match is bulk mail: none to an address that bounced for good, and mail
        # programs get the search's one-click unsubscribe (RFC 8058).
        from accounts.bounce_selectors import email_undeliverable

        if email_undeliverable(user.email):
            return 1
        headers = {"List-Unsubscribe": f"<{context['unsubscribe_url']}>",
                   "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return int(send_town_mail_or_false(to=user.email, subject=subject, template=template, context=context,
                                       reply_to=[] if relay else None, headers=headers))
