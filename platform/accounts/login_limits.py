"""Wrong-password limits counted in PostgreSQL, so they hold while Redis is down (issue 18 §1).

allauth counts sign-in attempts in the cache. Our cache fails open (core.cache_backends): with
Redis gone every counter starts at zero, and brute-force protection was off for as long as the
outage lasted, exactly when an attacker who can take Redis down would want it. These limits are
the ones that must never fail open, so they live in the database every sign-in needs anyway.

The rates stay allauth's, read from ACCOUNT_RATE_LIMITS["login_failed"] ("10/m/ip,30/h/ip,5/5m/key"):
per client address, and per account together with that address (accounts.adapter keys the
account by address too, so nobody can keep an admin out). The semantics are allauth's as well:
every attempt counts while it runs, a successful one is taken back, a refused one isn't counted.

How a count stays exact without locks: the attempt's row is inserted (and committed) first, then
the window is counted, own row included. Whoever commits as the (limit+1)-th sees at least
limit+1 rows and is refused (its row removed); so parallel requests can never get more than
`limit` attempts through, at worst one more is refused than strictly needed.

Rows older than the longest window are deleted by `login_attempts_purge` (beat, every town and
public), and a town that leaves takes its rows with its schema.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from allauth.core.internal.ratelimit import Rate, get_ip, get_rates
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.models import LoginAttempt

ACTION = "login_failed"


@dataclass(frozen=True)
class Attempt:
    """An attempt that was let through; `forget()` it when the password was right."""

    pk: int


def _digest(kind: str, value: str) -> str:
    # Keyed, so the table can't be reversed by hashing all 2^32 IPv4 addresses.
    return salted_hmac(f"accounts.login_limits.{kind}", value, algorithm="sha256").hexdigest()[:32]


def login_rates() -> list[Rate]:
    """The per-address and per-account+address rates from ACCOUNT_RATE_LIMITS (allauth's syntax)."""
    return [rate for rate in get_rates(app="allauth.account", action=ACTION) if rate.per in ("ip", "key")]


def longest_window() -> dt.timedelta:
    return dt.timedelta(seconds=max((rate.duration for rate in login_rates()), default=0))


def login_attempt_start(request: HttpRequest, *, account_key: str) -> Attempt | None:
    """Count a sign-in attempt; None (nothing counted) when a limit is already reached."""
    rates = login_rates()
    if not rates:
        return Attempt(pk=0)
    ip = _digest("ip", get_ip(request))
    account = _digest("account", account_key)
    now = timezone.now()
    attempt = LoginAttempt.objects.create(ip=ip, account=account, at=now)
    for rate in rates:
        column = Q(ip=ip) if rate.per == "ip" else Q(account=account)
        since = now - dt.timedelta(seconds=rate.duration)
        if LoginAttempt.objects.filter(column, at__gt=since).count() > rate.amount:
            attempt.delete()
            return None
    return Attempt(pk=attempt.pk)


def login_attempt_forget(attempt: Attempt) -> None:
    """Take back an attempt whose password was right (allauth's rollback on success)."""
    LoginAttempt.objects.filter(pk=attempt.pk).delete()


def login_attempts_clear(request: HttpRequest, *, account_key: str) -> None:
    """Forget the account's and this address's attempts (after a successful password reset)."""
    LoginAttempt.objects.filter(
        Q(account=_digest("account", account_key)) | Q(ip=_digest("ip", get_ip(request)))
    ).delete()


def login_attempts_purge(now: dt.datetime | None = None) -> int:
    """Delete attempts no window counts any more, in the current schema; returns how many."""
    cutoff = (now or timezone.now()) - longest_window()
    deleted, _per_model = LoginAttempt.objects.filter(at__lte=cutoff).delete()
    return deleted
