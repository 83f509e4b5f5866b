"""Reactions to allauth's signals: a resident who confirmed their address gets a welcome mail."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.dispatch import receiver

from core.outbox import outbox_enqueue
from core.tenancy import connection


@receiver(email_confirmed)
def welcome_after_first_confirmation(sender: Any, request: Any, email_address: EmailAddress, **kwargs: Any) -> None:
    # Only a town's residents, and only for their first confirmed address (a changed address later
    # is confirmed too, but the person is no longer new). Through the outbox: a broker outage at this
    # moment delays the mail, never loses it.
    if connection.schema_name == "public":
        return
    if EmailAddress.objects.filter(user_id=email_address.user_id, verified=True).exclude(pk=email_address.pk).exists():
        return
    outbox_enqueue("accounts.welcome_mail", args=[email_address.user_id])
