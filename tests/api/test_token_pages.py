"""A signed-in person creates, lists and revokes their own API tokens."""

from __future__ import annotations

import re

from django_tenants.utils import schema_context

from tests.accounts.factories import user_in_town
from tests.api.helpers import issue_token, token_client
from tests.helpers import logged_in_client

PAGE = "/konto/api-tokens/"


def _tokens(town, user):
    from api.models import ApiToken

    with schema_context(town.schema_name):
        return list(ApiToken.objects.filter(user=user))


def test_anonymous_visitors_are_sent_to_sign_in(client_a):
    response = client_a.get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_creating_a_token_shows_the_secret_once_and_it_works(town_a, resident_a):
    # given
    client = logged_in_client(town_a, resident_a)

    # when
    created = client.post(PAGE, {"name": "Vereinswebsite", "expires": "90"})
    html = created.content.decode()
    secret = re.search(r'value="(dk_[0-9a-f]{8}_[A-Za-z0-9_-]+)"', html).group(1)
    listed = client.get(PAGE).content.decode()

    # then
    assert created.status_code == 200
    assert "no-store" in created["Cache-Control"] or "no-cache" in created["Cache-Control"]
    assert "Vereinswebsite" in listed and secret not in listed  # shown once only
    assert f"dk_{secret.split('_')[1]}_" in listed  # the prefix identifies it in the list
    token = _tokens(town_a, resident_a)[0]
    assert token.name == "Vereinswebsite" and token.expires_at is not None
    assert token_client(town_a, secret).get("/api/v1/me/").json()["email"] == "rita@example.org"


def test_a_token_without_expiry_can_be_made(town_a, resident_a):
    logged_in_client(town_a, resident_a).post(PAGE, {"name": "Home Assistant", "expires": "never"})
    assert _tokens(town_a, resident_a)[0].expires_at is None


def test_bad_input_shows_a_message_and_creates_nothing(town_a, resident_a):
    client = logged_in_client(town_a, resident_a)
    for data in ({"name": "   ", "expires": "90"}, {"name": "x" * 81, "expires": "90"}, {"name": "ok", "expires": "7"}):
        response = client.post(PAGE, data)
        assert response.status_code == 400
        assert 'class="errorlist' in response.content.decode()
    assert _tokens(town_a, resident_a) == []


def test_the_number_of_active_tokens_is_limited_with_a_clear_message(town_a, resident_a):
    from api.services import MAX_ACTIVE_TOKENS_PER_USER

    # given
    for number in range(MAX_ACTIVE_TOKENS_PER_USER):
        issue_token(town_a, resident_a, name=f"app {number}")

    # when
    response = logged_in_client(town_a, resident_a).post(PAGE, {"name": "one too many", "expires": "30"})

    # then
    assert response.status_code == 400
    assert "Widerrufen Sie zuerst einen, den Sie nicht mehr brauchen." in response.content.decode()
    assert len(_tokens(town_a, resident_a)) == MAX_ACTIVE_TOKENS_PER_USER


def test_creating_needs_the_csrf_token(town_a, resident_a):
    from tests.helpers import TownClient, host_of

    client = TownClient(host_of(town_a), enforce_csrf_checks=True)
    with schema_context(town_a.schema_name):
        client.force_login(resident_a)
    response = client.post(PAGE, {"name": "sneaky", "expires": "30"})
    assert response.status_code == 403
    assert _tokens(town_a, resident_a) == []


def test_revoking_ends_the_token_and_keeps_it_listed_as_revoked(town_a, resident_a):
    # given
    secret = issue_token(town_a, resident_a, name="Altes Handy")
    token = _tokens(town_a, resident_a)[0]
    client = logged_in_client(town_a, resident_a)

    # when
    response = client.post(f"{PAGE}{token.pk}/revoke/", follow=True)

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "Altes Handy" in html and ("revoked" in html.lower() or "widerrufen" in html.lower())
    assert _tokens(town_a, resident_a)[0].revoked_at is not None
    assert token_client(town_a, secret).get("/api/v1/me/").status_code == 401


def test_nobody_can_revoke_someone_elses_token(town_a, resident_a):
    # given
    secret = issue_token(town_a, resident_a)
    token = _tokens(town_a, resident_a)[0]
    other = user_in_town(town_a, email="otto@example.org", name="Otto")

    # when
    response = logged_in_client(town_a, other).post(f"{PAGE}{token.pk}/revoke/")

    # then
    assert response.status_code == 404
    assert token_client(town_a, secret).get("/api/v1/me/").status_code == 200


def test_the_list_shows_only_ones_own_tokens(town_a, resident_a):
    issue_token(town_a, resident_a, name="Ritas App")
    other = user_in_town(town_a, email="otto@example.org", name="Otto")
    html = logged_in_client(town_a, other).get(PAGE).content.decode()
    assert "Ritas App" not in html


def test_revoking_by_get_is_not_allowed(town_a, resident_a):
    issue_token(town_a, resident_a)
    token = _tokens(town_a, resident_a)[0]
    response = logged_in_client(town_a, resident_a).get(f"{PAGE}{token.pk}/revoke/")
    assert response.status_code == 405
    assert _tokens(town_a, resident_a)[0].revoked_at is None
