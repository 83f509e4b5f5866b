"""People. The table exists in every town's schema (residents, editors,
moderators, admins of that town) and in the public schema (platform staff).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    MODERATOR = "moderator", _("Moderator")
    ADMIN = "admin", _("Town administrator")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.RESIDENT)
    # When the person agreed to the town's privacy policy at signup; the town
    # must be able to show that (GDPR Art. 7(1)).
    privacy_accepted_at = models.DateTimeField(_("privacy policy accepted"), null=True, blank=True)
    # Until when someone who must use two-factor login may still work without it: set at their
    # first request after the duty began (accounts.mfa); empty while no duty applies.
    mfa_grace_until = models.DateTimeField(_("two-factor login required from"), null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["name"]
    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email

    @property
    def is_town_admin(self) -> bool:
        return self.is_active and self.role == Role.ADMIN

    @property
    def is_moderator(self) -> bool:
        return self.is_active and self.role in (Role.MODERATOR, Role.ADMIN)


class LoginAttempt(models.Model):
    """One counted sign-in attempt (accounts.login_limits), kept while a limit's window may need it.

    In every schema the accounts app lives in: a town's attempts in its own schema (a count in one
    town never touches another, and a town that leaves takes its rows with it), the staff's in
    public. Holds no address in the clear: `ip` and `account` are keyed hashes (HMAC with
    SECRET_KEY) of the client's address and of "account + address", enough to count, useless to read.
    """

    # No anonymous visitor's page shows these rows: saving one keeps the cached pages (core.page_cache).
    visitor_pages_unaffected = True

    ip = models.CharField(max_length=32)
    account = models.CharField(max_length=32)
    at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["ip", "at"], name="accounts_login_ip_at"),
            models.Index(fields=["account", "at"], name="accounts_login_account_at"),
            models.Index(fields=["at"], name="accounts_login_at"),
        ]

    def __str__(self) -> str:
        return f"login attempt {self.at:%Y-%m-%d %H:%M:%S}"


class BounceKind(models.TextChoices):
    HARD = "hard", _("permanent (the address does not exist)")
    SOFT = "soft", _("temporary (mailbox full, server away)")


class MailBounce(models.Model):
    """One bounce the mail relay reported for an address, in this town (accounts.mail_bounces).

    Kept per town like the accounts: the same address in two towns has two histories (ISOLATION).
    """

    # No anonymous visitor's page shows these rows: saving one keeps the cached pages (core.page_cache).
    visitor_pages_unaffected = True

    email = models.EmailField(_("e-mail address"), db_index=True)
    kind = models.CharField(_("kind"), max_length=4, choices=BounceKind.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("bounced e-mail")
        verbose_name_plural = _("bounced e-mails")

    def __str__(self) -> str:
        return f"{self.email} ({self.kind})"


class UndeliverableAddress(models.Model):
    """An address that bounced for good: bulk mail skips it until the person confirms it again."""

    email = models.EmailField(_("e-mail address"), unique=True)
    since = models.DateTimeField(_("since"))
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("undeliverable e-mail address")
        verbose_name_plural = _("undeliverable e-mail addresses")

    def __str__(self) -> str:
        return self.email
