"""The hand-over link into a town: one town, ten minutes, one use (ISOLATION T4)."""

from __future__ import annotations

import time

import pytest
from django_tenants.utils import schema_context

from accounts.models import User
from tenants.tokens import HANDOVER_MAX_AGE, handover_token_make
from tests.helpers import TownClient, admin_of, host_of


def _token_for(town) -> str:
    return handover_token_make(schema_name=town.schema_name, user=admin_of(town))


def _last_login(town):
    with schema_context(town.schema_name):
        return User.objects.get(pk=admin_of(town).pk).last_login


def test_the_link_signs_the_admin_in_on_the_town_host(town_a, client_a):
    # when
    response = client_a.get(f"/willkommen/{_token_for(town_a)}/")

    # then
    assert response.status_code == 302 and response["Location"] == "/backoffice/"
    assert client_a.get("/backoffice/").status_code == 200
    assert _last_login(town_a) is not None


def test_a_token_for_town_a_is_rejected_on_town_b(town_a, town_b, client_b):
    # given: both towns' admins have the same pk and e-mail address
    assert admin_of(town_a).pk == admin_of(town_b).pk
    before = _last_login(town_b)

    # when
    response = client_b.get(f"/willkommen/{_token_for(town_a)}/")

    # then
    assert response.status_code == 400
    assert "Der Link gilt nicht für diese Gemeinde." in response.content.decode()
    assert client_b.get("/backoffice/").status_code == 302  # still anonymous: to the login
    assert _last_login(town_b) == before


def test_a_used_token_is_rejected(town_a, client_a):
    # given
    token = _token_for(town_a)
    assert client_a.get(f"/willkommen/{token}/").status_code == 302
    used_at = _last_login(town_a)

    # when
    replay = TownClient(host_of(town_a)).get(f"/willkommen/{token}/")

    # then
    assert replay.status_code == 403
    assert _last_login(town_a) == used_at


def test_a_token_is_spent_by_any_sign_in_of_the_admin(town_a, admin_client_a):
    # given: a link was made, then the admin signed in another way
    token = _token_for(town_a)
    with schema_context(town_a.schema_name):
        from django.contrib.auth.models import update_last_login

        update_last_login(None, admin_of(town_a))

    # when / then
    assert TownClient(host_of(town_a)).get(f"/willkommen/{token}/").status_code == 403


def test_an_expired_token_is_rejected(town_a, client_a, monkeypatch):
    # given
    token = _token_for(town_a)
    later = time.time() + HANDOVER_MAX_AGE.total_seconds() + 1
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)

    # when
    response = client_a.get(f"/willkommen/{token}/")

    # then
    assert response.status_code == 400
    assert "Der Link ist abgelaufen" in response.content.decode()
    assert client_a.get("/backoffice/").status_code == 302


@pytest.mark.parametrize("token", ["nonsense", "eyJ1IjoxLCJsIjoiIn0:1vAAAA:forged", "%00", "a:b:c:d", "x" * 3000])
def test_a_forged_token_is_rejected(client_a, token):
    assert client_a.get(f"/willkommen/{token}/").status_code == 400


def test_a_token_made_for_the_public_schema_does_not_work_in_a_town(town_a, client_a):
    token = handover_token_make(schema_name="public", user=admin_of(town_a))
    assert client_a.get(f"/willkommen/{token}/").status_code == 400


def test_an_admin_with_two_factor_login_is_not_signed_in_by_link(town_a, client_a):
    # given
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    token = _token_for(town_a)
    with schema_context(town_a.schema_name):
        TOTP.activate(admin_of(town_a), generate_totp_secret())

    # when / then
    assert client_a.get(f"/willkommen/{token}/").status_code == 403
    assert client_a.get("/backoffice/").status_code == 302


def test_the_hand_over_url_does_not_exist_on_the_public_site(town_a, public_client):
    assert public_client.get(f"/willkommen/{_token_for(town_a)}/").status_code == 404
