"""The one place where the marketplace tells a person something.

Today that is a branded e-mail sent by a Celery task after the surrounding
transaction commits. When the notifications module exists, this function is
where the switch happens; callers stay as they are.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction


def notify_user(*, user_id: int, subject: str, template: str, context: dict[str, Any], relay: bool = False) -> None:
    """Mail user `user_id` (looked up in the task, so their address never travels in the queue).

    `context` must be JSON-serialisable. `relay=True` sends the mail without a
    Reply-To header: replies to relayed messages go through the reply link on
    the town's site, never to a mailbox that would reveal an address.
    """
    from modules.marketplace.tasks import send_user_mail

    subject = str(subject)

    def enqueue() -> None:
        send_user_mail.delay(user_id=user_id, subject=subject, template=template, context=context, relay=relay)

    transaction.on_commit(enqueue)
