"""Reactions to allauth's and Django's signals: a welcome mail after the first confirmed address; the
sign-in times behind sensitive actions (accounts.sensitive); the second-factor check after a removal."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.account.signals import authentication_step_completed, email_confirmed
from allauth.mfa.signals import authenticator_removed
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts.mfa import forget_second_factor
from accounts.sensitive import remember_authentication
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


@receiver(email_confirmed, dispatch_uid="accounts.address_confirmed_clears_bounces")
def deliverable_after_confirmation(sender: Any, request: Any, email_address: EmailAddress, **kwargs: Any) -> None:
    # Confirming an address (a new one, or again) proves it works: bulk mail may use it again.
    from accounts.bounce_services import address_deliverable_again

    address_deliverable_again(email=email_address.email)


@receiver(user_logged_in)
def authenticated_at_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is None:
        return
    remember_authentication(request)
    # allauth lists the sessions its own sign-in made; a sign-in through a hand-over link (Django's
    # login()) belongs in "Signed-in devices" too, or "sign out everywhere else" would miss it.
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        from allauth.usersessions.models import UserSession

        UserSession.objects.create_from_request(request)


@receiver(authentication_step_completed)
def authenticated_again(sender: Any, request: Any, reauthenticated: bool = False, **kwargs: Any) -> None:
    # allauth's re-authentication page (password or second factor) renews the sensitive-action window.
    if reauthenticated and request is not None:
        remember_authentication(request)


@receiver(authenticator_removed)
def second_factor_removed(sender: Any, request: Any, **kwargs: Any) -> None:
    if request is not None:
        forget_second_factor(request)
