"""How billing tells people things: one place, so it can move to the notifications module later."""

from __future__ import annotations

from django.db import transaction

from billing.models import Subscription


def notify_payment_failed(*, subscription: Subscription) -> None:
    """Mail the sponsor that a payment failed, once the surrounding transaction has committed."""
    from billing.tasks import payment_failed_mail

    subscription_id = subscription.pk
    transaction.on_commit(lambda: payment_failed_mail.delay(subscription_id))
