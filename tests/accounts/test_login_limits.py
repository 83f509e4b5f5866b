"""Wrong-password limits hold while Redis is down (counted in PostgreSQL); API throttles fail open.

The cache is pointed at a port where nothing listens: every cache call fails at once, as with a
Redis that was stopped.
"""

from __future__ import annotations

import datetime as dt
import socket

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.login_limits import login_attempts_purge
from accounts.models import LoginAttempt
from core.cache_backends import cache_breakers_reset
from tests.helpers import ADMIN_EMAIL, ADMIN_PASSWORD, TownClient, host_of

REFUSED = "Zu viele fehlgeschlagene Anmeldeversuche"


def _dead_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def dead_redis(settings):
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": f"redis://127.0.0.1:{_dead_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5, "RETRY_AFTER_SECONDS": 5},
        }
    }
    cache_breakers_reset()
    yield
    cache_breakers_reset()


def _login(client: TownClient, email: str, password: str, ip: str):
    return client.post("/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=ip)


def test_eleven_wrong_passwords_from_one_address_are_refused_without_redis_and_other_addresses_sign_in(
    town_a, dead_redis
):
    client = TownClient(host_of(town_a))
    # Ten different accounts: only the per-address limit (10 a minute) applies, not the per-account one.
    for number in range(10):
        answer = _login(client, f"rater{number}@example.org", "falsch-falsch-falsch", "203.0.113.7")
        assert answer.status_code == 200
        assert REFUSED not in answer.content.decode()

    eleventh = _login(client, "rater10@example.org", "falsch-falsch-falsch", "203.0.113.7")
    assert REFUSED in eleventh.content.decode()
    # Refused before the password is even checked: the right one doesn't help from that address.
    assert _login(client, ADMIN_EMAIL, ADMIN_PASSWORD, "203.0.113.7").status_code == 200

    other = TownClient(host_of(town_a))
    assert _login(other, ADMIN_EMAIL, ADMIN_PASSWORD, "198.51.100.20").status_code == 302


def test_an_account_guessed_at_from_one_address_still_signs_in_from_its_own(town_a, town_b, dead_redis):
    guesser = TownClient(host_of(town_a))
    answers = [_login(guesser, ADMIN_EMAIL, "falsch-falsch-falsch", "203.0.113.8") for _ in range(6)]
    assert [REFUSED in answer.content.decode() for answer in answers] == [False] * 5 + [True]

    owner = TownClient(host_of(town_a))
    assert _login(owner, ADMIN_EMAIL, ADMIN_PASSWORD, "198.51.100.21").status_code == 302
    # Town B counts for itself: the same address and account are not refused there.
    assert _login(TownClient(host_of(town_b)), ADMIN_EMAIL, ADMIN_PASSWORD, "203.0.113.8").status_code == 302


def test_a_right_password_is_not_counted_and_old_attempts_are_purged(town_a):
    client = TownClient(host_of(town_a))
    with schema_context(town_a.schema_name):
        before = LoginAttempt.objects.count()
    assert _login(client, ADMIN_EMAIL, ADMIN_PASSWORD, "198.51.100.22").status_code == 302
    assert _login(TownClient(host_of(town_a)), ADMIN_EMAIL, "falsch-falsch-falsch", "198.51.100.22").status_code == 200
    with schema_context(town_a.schema_name):
        assert LoginAttempt.objects.count() == before + 1  # the wrong one only
        # Neither the address nor the e-mail address is stored in the clear.
        stored = " ".join(f"{row.ip} {row.account}" for row in LoginAttempt.objects.all())
        assert "198.51.100.22" not in stored and ADMIN_EMAIL not in stored
        # Kept no longer than the longest window (an hour: "30/h/ip").
        assert login_attempts_purge(timezone.now() + dt.timedelta(minutes=59)) == 0
        assert login_attempts_purge(timezone.now() + dt.timedelta(minutes=61)) >= 1
        assert LoginAttempt.objects.count() == 0


def test_api_throttles_fail_open_without_redis(town_a, dead_redis):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "1/min"}
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}):
        client = TownClient(host_of(town_a))
        # With Redis up the second call would be 429; without it nobody is refused.
        assert [client.get("/api/v1/town/").status_code for _ in range(3)] == [200] * 3
