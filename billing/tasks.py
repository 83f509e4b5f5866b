"""Billing's Celery tasks: platform-wide (public schema), thin wrappers around services."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.utils import formats
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context


@shared_task(name="billing.pause_overdue")
def pause_overdue() -> int:
    from billing.services import subscriptions_pause_overdue

    return subscriptions_pause_overdue()


@shared_task(name="billing.reconcile")
def reconcile() -> int:
    from billing.services import subscriptions_reconcile, town_shares_credit_all

    synced = subscriptions_reconcile()
    town_shares_credit_all()
    return synced


@shared_task(name="billing.payment_failed_mail", bind=True)
def payment_failed_mail(self: Any, subscription_id: int) -> int:
    """The dunning mail, branded as the sponsor's town (sent from inside the town's schema); once per outbox row."""
    from core.outbox import delivery_once

    with delivery_once(self.request.id) as first:
        return _payment_failed_mail_send(subscription_id) if first else 0


def _payment_failed_mail_send(subscription_id: int) -> int:
    from billing.models import Subscription, SubscriptionStatus
    from core.mail import send_town_mail

    subscription = Subscription.objects.select_related("tenant", "customer", "product").filter(
        pk=subscription_id
    ).first()
    if subscription is None or subscription.status not in (SubscriptionStatus.PAST_DUE, SubscriptionStatus.PAUSED):
        return 0
    if not subscription.tenant.is_active:
        return 0
    context = {
        "customer_name": subscription.customer.name,
        "product_name": subscription.product.name,
        "amount": f"{subscription.monthly_gross_cents / 100:.2f}".replace(".", ","),
        "grace_until": formats.date_format(subscription.grace_until, "DATE_FORMAT") if subscription.grace_until else "",
    }
    with tenant_context(subscription.tenant):
        from core.branding import town_url

        context["manage_url"] = town_url("/sponsoring/meine/")
        return send_town_mail(
            to=subscription.customer.email,
            subject=_("Your sponsorship payment failed"),
            template="billing/mail/payment_failed",
            context=context,
        )


@shared_task(name="billing.sponsorship_request_mail", bind=True)
def sponsorship_request_mail(self: Any, organisation_name: str, user_id: int, message: str = "") -> int:
    """Tell the town's admins that a business asks for sponsorship (sent in the town's schema); once per row."""
    from billing.services import sponsorship_request_mail_send
    from core.outbox import delivery_once

    with delivery_once(self.request.id) as first:
        return sponsorship_request_mail_send(organisation_name=organisation_name, user_id=user_id,
                                             message=message) if first else 0
