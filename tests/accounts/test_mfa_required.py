"""Town admins and moderators need a second factor, after a grace period; sensitive actions need a fresh
sign-in; wrong passwords slow the guesser down but never lock the owner out (issue 17)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import Role, User
from accounts.sensitive import AUTHENTICATED_AT_SESSION_KEY
from tests.accounts.factories import PASSWORD, MembershipFactory, UserFactory
from tests.accounts.test_mfa import _code
from tests.api.helpers import issue_token, token_client
from tests.helpers import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    TownClient,
    admin_of,
    host_of,
    logged_in_client,
    shown,
    sql_statements,
)

BACK_OFFICE = ("/backoffice/", "/backoffice/modules/", "/backoffice/personen/", "/news/manage/")


def _past_grace(town, user) -> None:
    with schema_context(town.schema_name):
        User.objects.filter(pk=user.pk).update(mfa_grace_until=timezone.now() - timedelta(days=1))


def _with_totp(town, user) -> str:
    secret = generate_totp_secret()
    with schema_context(town.schema_name):
        TOTP.activate(user, secret)
    return secret


def _assert_sent_to_set_up(client: TownClient) -> None:
    for path in BACK_OFFICE:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith("/accounts/2fa/?next="), path
    page = client.get("/accounts/2fa/", follow=True).content.decode()
    assert shown("Please set up two-factor login first: your role in the town needs it, "
                 "and the time to set it up later is over.") in page
    assert 'href="/accounts/2fa/totp/activate/"' in page


def test_admin_past_the_grace_period_reaches_no_back_office_page(town_a):
    admin = admin_of(town_a)
    _past_grace(town_a, admin)
    client = logged_in_client(town_a, admin)
    _assert_sent_to_set_up(client)
    assert client.post("/backoffice/modules/news/toggle/", {"action": "disable"}).url.startswith("/accounts/2fa/")


def test_moderator_past_the_grace_period_is_sent_to_set_it_up(in_town_a):
    moderator = UserFactory(role=Role.MODERATOR, mfa_grace_until=timezone.now() - timedelta(days=1))
    _assert_sent_to_set_up(logged_in_client(in_town_a, moderator))


def test_admin_with_a_second_factor_works_without_banner_and_the_last_factor_stays(town_a):
    admin = admin_of(town_a)
    _past_grace(town_a, admin)
    _with_totp(town_a, admin)
    client = logged_in_client(town_a, admin)
    page = client.get("/backoffice/")
    assert page.status_code == 200
    assert "mfa-banner" not in page.content.decode()
    # switching off the only second factor is refused while the role needs one
    assert client.post("/accounts/reauthenticate/", {"password": ADMIN_PASSWORD}).status_code == 302
    assert client.post("/accounts/2fa/totp/deactivate/").status_code == 200
    with schema_context(town_a.schema_name):
        assert Authenticator.objects.filter(user=admin, type=Authenticator.Type.TOTP).exists()


def test_in_the_grace_period_a_banner_links_to_the_set_up(town_a, town_b):
    client = logged_in_client(town_a, admin_of(town_a))
    page = client.get("/backoffice/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="card warning mfa-banner"' in html and 'href="/accounts/2fa/"' in html
    assert shown("Please set up two-factor login") in html
    # the grace period started with this first visit and lasts a week; B's admin (same pk) has none yet
    with schema_context(town_a.schema_name):
        until = admin_of(town_a).mfa_grace_until
    assert timedelta(days=6, hours=23) < until - timezone.now() <= timedelta(days=7)
    with schema_context(town_b.schema_name):
        assert admin_of(town_b).mfa_grace_until is None


def test_a_resident_needs_no_second_factor(in_town_a):
    resident = UserFactory(mfa_grace_until=timezone.now() - timedelta(days=30))
    client = logged_in_client(in_town_a, resident)
    page = client.get("/konto/")
    assert page.status_code == 200
    assert "mfa-banner" not in page.content.decode()
    assert client.get("/backoffice/").status_code == 403  # as before: not theirs, and no set-up detour


def test_the_town_can_ask_editors_for_a_second_factor(in_town_a, town_b):
    editor = UserFactory(mfa_grace_until=timezone.now() - timedelta(days=1))
    MembershipFactory(user=editor)
    client = logged_in_client(in_town_a, editor)
    assert client.get("/backoffice/").status_code == 200  # by default editors need none

    admin = logged_in_client(in_town_a, admin_of(in_town_a))
    assert admin.get("/backoffice/sicherheit/").status_code == 200
    saved = admin.post("/backoffice/sicherheit/", {"mfa_for_editors": "on"})
    assert saved.status_code == 302
    assert client.get("/backoffice/").url.startswith("/accounts/2fa/")
    # the switch is A's alone
    b_client = logged_in_client(town_b, admin_of(town_b))
    assert 'name="mfa_for_editors" checked' not in b_client.get("/backoffice/sicherheit/").content.decode()


def test_sensitive_actions_ask_for_the_password_after_a_while(town_a):
    admin = admin_of(town_a)
    client = logged_in_client(town_a, admin)
    with schema_context(town_a.schema_name):
        session = client.session
        session[AUTHENTICATED_AT_SESSION_KEY] = time.time() - 3600
        session.save()
    assert client.get("/backoffice/sicherheit/").status_code == 200  # reading is fine

    asked = client.post("/backoffice/sicherheit/", {"mfa_for_editors": "on"})
    assert asked.status_code == 302 and asked.url.startswith("/accounts/reauthenticate/")
    from town.models import TownProfile
    with schema_context(town_a.schema_name):
        assert not TownProfile.objects.get().mfa_for_editors  # nothing changed yet

    # the right password carries out the suspended change
    done = client.post(asked.url, {"password": ADMIN_PASSWORD})
    assert done.status_code == 302
    with schema_context(town_a.schema_name):
        assert TownProfile.objects.get().mfa_for_editors
    # and the overview download (an export) asks too, GET or not
    with schema_context(town_a.schema_name):
        session = client.session
        session[AUTHENTICATED_AT_SESSION_KEY] = time.time() - 3600
        session.save()
    assert client.get("/backoffice/ueberblick.csv").url.startswith("/accounts/reauthenticate/")


def test_fifty_wrong_passwords_from_one_address_do_not_lock_the_admin_out(town_a):
    admin = admin_of(town_a)
    secret = _with_totp(town_a, admin)
    attacker = TownClient(host_of(town_a), REMOTE_ADDR="203.0.113.66")
    refused = 0
    for attempt in range(50):
        page = attacker.post("/accounts/login/", {"login": ADMIN_EMAIL, "password": f"falsch-{attempt}"})
        assert page.status_code in (200, 429)  # the form again, or "too many requests"
        refused += page.status_code == 429 or shown("Too many failed login attempts. Try again later.") in (
            page.content.decode())
    assert refused >= 40  # the guesser is slowed down ...
    # ... even with the right password from that address
    slowed = attacker.post("/accounts/login/", {"login": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    assert slowed.status_code in (200, 429)

    # the admin, from their own address, signs in at once with password and code
    owner = TownClient(host_of(town_a), REMOTE_ADDR="198.51.100.7")
    step_one = owner.post("/accounts/login/", {"login": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    assert step_one.status_code == 302 and step_one.url == "/accounts/2fa/authenticate/"
    step_two = owner.post("/accounts/2fa/authenticate/", {"code": _code(secret)})
    assert step_two.status_code == 302
    assert owner.get("/backoffice/").status_code == 200


def test_the_owner_can_always_ask_for_a_sign_in_code_by_mail(town_a):
    page = TownClient(host_of(town_a)).get("/accounts/login/").content.decode()
    assert 'href="/accounts/login/code/"' in page


def test_an_api_token_stops_working_when_the_password_changes(in_town_a):
    resident = UserFactory()
    api = token_client(in_town_a, issue_token(in_town_a, resident, name="Kalender-App"))
    assert api.get("/api/v1/me/").status_code == 200

    browser = TownClient(host_of(in_town_a))
    assert browser.post("/accounts/login/", {"login": resident.email, "password": PASSWORD}).status_code == 302
    changed = browser.post("/accounts/password/change/", {
        "oldpassword": PASSWORD, "password1": "Neues-Passwort-Wiese-77", "password2": "Neues-Passwort-Wiese-77",
    })
    assert changed.status_code == 302
    assert api.get("/api/v1/me/").status_code == 401


def test_sign_out_everywhere_else_ends_the_other_session(in_town_a):
    resident = UserFactory()
    phone = TownClient(host_of(in_town_a), REMOTE_ADDR="198.51.100.20",
                       HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile")
    laptop = TownClient(host_of(in_town_a), REMOTE_ADDR="198.51.100.21",
                        HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0")
    for client in (phone, laptop):
        assert client.post("/accounts/login/", {"login": resident.email, "password": PASSWORD}).status_code == 302

    page = phone.get("/accounts/sessions/").content.decode()
    assert "Chrome auf Android" in page and "Firefox auf Linux" in page
    assert shown("This device") in page and "198.51.100.21" in page
    assert 'href="/accounts/sessions/"' in phone.get("/konto/").content.decode()  # reachable from the account

    assert phone.post("/accounts/sessions/").status_code == 302
    assert laptop.get("/konto/").status_code == 302  # signed out
    assert phone.get("/konto/").status_code == 200  # still signed in


@pytest.mark.parametrize("agent, label", [
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Safari/604.1",
     "Safari on iPhone"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36 Edg/131.0",
     "Edge on Windows"),
    ("", "Unknown browser"),
])
def test_device_labels(agent, label):
    from django.utils import translation

    from accounts.templatetags.accounts_devices import device_label

    with translation.override("en"):
        assert device_label(agent) == label


def test_t1_a_security_key_of_town_a_is_404_on_town_b(town_a, town_b):
    # The same admin pk and address in both towns; A's admin registered a security key.
    with schema_context(town_a.schema_name):
        key = Authenticator.objects.create(user=admin_of(town_a), type=Authenticator.Type.WEBAUTHN,
                                           data={"name": "Schlüsselbund", "credential": {}})
    paths = (f"/accounts/2fa/webauthn/keys/{key.pk}/edit/", f"/accounts/2fa/webauthn/keys/{key.pk}/remove/")
    owner = logged_in_client(town_a, admin_of(town_a))
    other = logged_in_client(town_b, admin_of(town_b))
    for client in (owner, other):
        assert client.post("/accounts/reauthenticate/", {"password": ADMIN_PASSWORD}).status_code == 302
    assert owner.get(paths[0]).status_code == 200
    for path in paths:
        assert other.get(path).status_code == 404, path
        assert other.post(path).status_code == 404, path
    with schema_context(town_a.schema_name):
        assert Authenticator.objects.filter(pk=key.pk).exists()


def _queries(call) -> int:
    """Queries `call` makes, without django-tenants' SET search_path."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    return len(sql_statements(captured))


def test_the_check_costs_no_query_for_residents_and_once_per_session_for_admins(in_town_a, rf):
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.mfa import mfa_grace_until
    from town.selectors import town_profile_get

    town_profile_get()  # cached for every page anyway
    admin = admin_of(in_town_a)
    _with_totp(in_town_a, admin)
    request = rf.get("/")
    request.user, request.session = admin, SessionStore()
    assert _queries(lambda: mfa_grace_until(request)) == 1
    assert _queries(lambda: mfa_grace_until(request)) == 0  # the session remembers the second factor
    request.user = UserFactory()
    assert _queries(lambda: mfa_grace_until(request)) == 0


def test_the_grace_banner_is_each_admins_own_on_pages_admins_share(town_a):
    # given: one admin in the grace period, another with a second factor (no banner)
    first = logged_in_client(town_a, admin_of(town_a))
    with schema_context(town_a.schema_name):
        other = UserFactory(role=Role.ADMIN)
    _with_totp(town_a, other)
    second = logged_in_client(town_a, other)
    assert "mfa-banner" in first.get("/news/").content.decode()

    # when
    theirs = second.get("/news/").content.decode()
    again = first.get("/news/").content.decode()

    # then
    assert "mfa-banner" not in theirs
    assert "mfa-banner" in again
