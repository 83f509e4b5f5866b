"""How billing tells people things: one place, so it can move to the notifications module later."""

from __future__ import annotations

from django_tenants.utils import get_public_schema_name

from billing.models import Subscription
from core.outbox import outbox_enqueue


def notify_payment_failed(*, subscription: Subscription) -> None:
    """Mail the sponsor that a payment failed.

    The task is an outbox row in the webhook's own transaction (core.outbox): it commits together
    with the processed event, so a broker outage at that moment delays the mail instead of losing it.
    """
    outbox_enqueue("billing.payment_failed_mail", args=[subscription.pk], schema_name=get_public_schema_name())
