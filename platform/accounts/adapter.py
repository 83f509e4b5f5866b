"""allauth adapter: links in mails point at the town's own domain, mails carry its name."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.db import connection
from django.http import HttpRequest
from django.urls import reverse


class TownAccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        # The same address the platform's own limits count (core.ratelimit: TRUSTED_PROXY_COUNT).
        from core.ratelimit import client_ip

        return client_ip(request)

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth counts wrong passwords per account ("5/5m/key" in ACCOUNT_RATE_LIMITS) to slow down
        # guessing; keyed by the account alone, anyone who knows an admin's address could keep the
        # admin out with five wrong passwords. Keyed by account and IP address, the guesser only
        # slows themselves down; the owner signs in from their own address at once.
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{self.get_client_ip(request)}"

    # Wrong-password limits are counted in PostgreSQL (accounts.login_limits), not in allauth's cache:
    # the cache fails open while Redis is down, these limits must not (issue 18 §1).
    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        from accounts.login_limits import login_attempt_start

        key = self._get_login_attempts_cache_key(request, **credentials)
        self._login_attempt = login_attempt_start(request, account_key=key)
        if self._login_attempt is None:
            raise self.validation_error("too_many_login_attempts")

    def _rollback_login_failed_rl_usage(self) -> None:
        from accounts.login_limits import login_attempt_forget

        attempt = getattr(self, "_login_attempt", None)
        if attempt is not None:
            login_attempt_forget(attempt)

    def _delete_login_attempts_cached_email(self, request: HttpRequest, **credentials: Any) -> None:
        from accounts.login_limits import login_attempts_clear

        login_attempts_clear(request, account_key=self._get_login_attempts_cache_key(request, **credentials))

    def get_from_email(self) -> str:
        from core.branding import sender_address

        return sender_address()

    def format_email_subject(self, subject: str) -> str:
        from core.branding import current_town_name

        name = current_town_name()
        return f"[{name}] {subject}" if name else subject

    def is_open_for_signup(self, request) -> bool:
        # Residents sign up on their town's host; the public site has staff only. A town opens
        # registration once its Impressum and Datenschutzerklärung are published (people consent
        # to a privacy policy that must exist); until then account/signup_closed.html says so.
        if connection.schema_name == "public":
            return False
        from core.branding import town_profile

        profile = town_profile()
        return bool(getattr(profile, "signup_open", True))

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.name = form.cleaned_data.get("name", "") or user.name
        if commit:
            user.save()
        return user

    def get_signup_redirect_url(self, request) -> str:
        # A new resident lands on the welcome page of their village (after confirming their
        # address: allauth signs them in when the confirmation happens in the same browser).
        if connection.schema_name == "public":
            return super().get_signup_redirect_url(request)
        from accounts.forms import AFTER_SIGNUP_SESSION_KEY

        after = request.session.pop(AFTER_SIGNUP_SESSION_KEY, None)
        if after and after.startswith("/") and not after.startswith("//"):
            return str(after)
        return reverse("town:welcome")

    def get_email_verification_redirect_url(self, email_address) -> str:
        # Confirmed in another browser (the mail opened on the phone): sign in, then the welcome page.
        if connection.schema_name != "public" and not self.request.user.is_authenticated:
            return f"{reverse('account_login')}?next={quote(reverse('town:welcome'))}"
        return super().get_email_verification_redirect_url(email_address)

    # Links in mails come from the town's domain row, not from the Host header
    # of whatever request triggered the mail (ISOLATION T9).
    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        from core.branding import town_url

        return town_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def get_reset_password_from_key_url(self, key: str) -> str:
        from core.branding import town_url

        # allauth's own trick: reverse with placeholders, then put in the opaque key.
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return town_url(path.replace("UID-KEY", quote(key)))


class TownMFAAdapter(DefaultMFAAdapter):
    def get_totp_issuer(self) -> str:
        # The authenticator app shows which town the code is for; someone who
        # helps run two towns would otherwise see two identical "Dorfkern" entries.
        from core.branding import current_town_name

        return current_town_name() or super().get_totp_issuer()

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # Someone who must use two-factor login keeps at least one second factor (accounts.mfa).
        from accounts.mfa import SECOND_FACTORS, mfa_required

        if authenticator.type not in SECOND_FACTORS or not mfa_required(authenticator.user):
            return True
        others = Authenticator.objects.filter(user=authenticator.user, type__in=SECOND_FACTORS)
        return others.exclude(pk=authenticator.pk).exists()
