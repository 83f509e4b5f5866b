"""Town admins switch on two-factor login (TOTP) from their account page."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.core.cache import cache
from django_tenants.utils import schema_context

from tests.helpers import ADMIN_EMAIL, ADMIN_PASSWORD, TownClient, admin_of, host_of


def _code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(iter(yield_hotp_counters_from_time()))))


def _sign_in(town, *, reauthenticate: bool = False) -> TownClient:
    client = TownClient(host_of(town))
    response = client.post("/accounts/login/", {"login": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    assert response.status_code == 302
    if reauthenticate:
        # allauth asks for the password again before security settings change.
        assert client.post("/accounts/reauthenticate/", {"password": ADMIN_PASSWORD}).status_code == 302
    return client


def test_account_page_offers_two_factor_login_to_admins(town_a):
    page = _sign_in(town_a).get("/konto/").content.decode()
    assert 'href="/accounts/2fa/"' in page


def test_mfa_pages_are_in_the_town_frame(town_a):
    client = _sign_in(town_a)
    paths = ("/accounts/2fa/", "/accounts/reauthenticate/", "/accounts/email/", "/accounts/password/change/")
    for path in paths:
        response = client.get(path)
        html = response.content.decode()
        assert response.status_code == 200, path
        assert "/static/core/site.css" in html, path  # core/base.html, not allauth's bare layout
        assert "Verbandsgemeinde Altdorf" in html, path
        assert 'class="account-menu"' in html or path == "/accounts/reauthenticate/", path
    assert client.get("/accounts/2fa/totp/activate/").url.startswith("/accounts/reauthenticate/")
    client.post("/accounts/reauthenticate/", {"password": ADMIN_PASSWORD})
    assert "/static/core/site.css" in client.get("/accounts/2fa/totp/activate/").content.decode()


def test_admin_activates_totp_and_then_needs_a_code(town_a, town_b):
    # given the admin of A is signed in with the password
    client = _sign_in(town_a, reauthenticate=True)

    # when they activate an authenticator app with a valid code
    page = client.get("/accounts/2fa/totp/activate/")
    secret = page.context["form"].secret
    assert 'class="qr-code"' in page.content.decode()
    wrong = client.post("/accounts/2fa/totp/activate/", {"code": "000000" if _code(secret) != "000000" else "111111"})
    assert wrong.status_code == 200 and wrong.context["form"].errors
    done = client.post("/accounts/2fa/totp/activate/", {"code": _code(secret)})
    assert done.status_code == 302

    # then A has TOTP on for the admin, B's admin (same pk and e-mail) does not
    with schema_context(town_a.schema_name):
        assert Authenticator.objects.filter(user=admin_of(town_a), type=Authenticator.Type.TOTP).exists()
    with schema_context(town_b.schema_name):
        assert not Authenticator.objects.exists()

    # and signing in on A now asks for the code before letting them in
    cache.clear()  # allauth remembers used codes; a fresh login in the same period needs a fresh one
    fresh = TownClient(host_of(town_a))
    step_one = fresh.post("/accounts/login/", {"login": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    assert step_one.status_code == 302 and step_one.url == "/accounts/2fa/authenticate/"
    assert fresh.get("/konto/").status_code == 302  # not signed in yet
    step_two = fresh.post("/accounts/2fa/authenticate/", {"code": _code(secret)})
    assert step_two.status_code == 302
    assert fresh.get("/konto/").status_code == 200

    # while B's admin still signs in with the password alone
    b_client = TownClient(host_of(town_b))
    assert b_client.post("/accounts/login/", {"login": ADMIN_EMAIL, "password": ADMIN_PASSWORD}).url == "/"


def test_signed_out_account_pages_are_in_the_town_frame(town_a):
    client = TownClient(host_of(town_a))
    for path in ("/accounts/login/", "/accounts/signup/", "/accounts/confirm-email/", "/accounts/password/reset/",
                 "/accounts/password/reset/done/", "/accounts/confirm-email/unbekannt/"):
        response = client.get(path)
        html = response.content.decode()
        assert response.status_code == 200, path
        assert "/static/core/site.css" in html and "Verbandsgemeinde Altdorf" in html, path
        assert html.count("<h1") == 1, path


def test_staff_login_on_the_public_site_still_renders(public_client):
    response = public_client.get("/accounts/login/")
    assert response.status_code == 200
    assert "/static/core/site.css" in response.content.decode()
