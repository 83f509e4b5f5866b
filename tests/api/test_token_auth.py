"""Token authentication: works in its own town only, and only while usable (ISOLATION T5)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from tests.accounts.factories import user_in_town
from tests.api.helpers import issue_token, token_client
from tests.helpers import ADMIN_EMAIL, TownClient, admin_of, host_of


def test_a_token_identifies_its_owner_on_me(town_a, resident_a):
    # given
    secret = issue_token(town_a, resident_a)

    # when
    response = token_client(town_a, secret).get("/api/v1/me/")

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "rita@example.org"
    assert body["role"] == "resident"
    assert body["authenticated_by"] == "token"
    assert body["is_town_admin"] is False


def test_me_without_credentials_is_401_with_a_token_challenge(client_a):
    response = client_a.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"]


def test_me_works_with_the_site_session_too(admin_client_a):
    response = admin_client_a.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["authenticated_by"] == "session"
    assert response.json()["is_town_admin"] is True


def test_token_from_town_a_is_401_on_town_b_even_with_a_twin_user(town_a, town_b):
    """T5: B has a user with the same pk and e-mail as the token's owner in A."""
    # given
    owner_a = admin_of(town_a)
    twin_b = admin_of(town_b)
    assert (owner_a.pk, owner_a.email) == (twin_b.pk, twin_b.email) == (owner_a.pk, ADMIN_EMAIL)
    secret = issue_token(town_a, owner_a)

    # when
    on_b = token_client(town_b, secret).get("/api/v1/me/")
    on_a = token_client(town_a, secret).get("/api/v1/me/")

    # then
    assert on_b.status_code == 401
    assert on_a.status_code == 200


def test_token_row_copied_into_town_b_still_does_not_match(town_a, town_b):
    """Even a copied row (same prefix and hash) can't authenticate in B: the hash covers the schema name."""
    from api.models import ApiToken

    # given
    secret = issue_token(town_a, admin_of(town_a))
    with schema_context(town_a.schema_name):
        row = ApiToken.objects.get()
    with schema_context(town_b.schema_name):
        ApiToken.objects.create(user=admin_of(town_b), name=row.name, prefix=row.prefix, key_hash=row.key_hash)

    # when
    response = token_client(town_b, secret).get("/api/v1/me/")

    # then
    assert response.status_code == 401


def test_revoked_token_is_401(town_a, resident_a):
    from api.models import ApiToken
    from api.services import api_token_revoke

    # given
    secret = issue_token(town_a, resident_a)
    with schema_context(town_a.schema_name):
        api_token_revoke(token=ApiToken.objects.get(user=resident_a), acting_user=resident_a)

    # when
    response = token_client(town_a, secret).get("/api/v1/me/")

    # then
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")


def test_expired_token_is_401(town_a, resident_a):
    from api.models import ApiToken

    # given
    secret = issue_token(town_a, resident_a, expires_in=timedelta(days=1))
    with schema_context(town_a.schema_name):
        ApiToken.objects.filter(user=resident_a).update(expires_at=timezone.now() - timedelta(seconds=1))

    # when
    response = token_client(town_a, secret).get("/api/v1/me/")

    # then
    assert response.status_code == 401


def test_token_of_a_deactivated_user_is_401(town_a, resident_a):
    # given
    secret = issue_token(town_a, resident_a)
    with schema_context(town_a.schema_name):
        resident_a.is_active = False
        resident_a.save(update_fields=["is_active"])

    # when
    response = token_client(town_a, secret).get("/api/v1/me/")

    # then
    assert response.status_code == 401


def test_a_bad_token_on_a_public_endpoint_is_401_not_anonymous(town_a):
    # A typo'd token must not silently fall back to anonymous access.
    response = token_client(town_a, "dk_00000000_" + "x" * 43).get("/api/v1/town/")
    assert response.status_code == 401


def test_malformed_authorization_headers_are_401(town_a):
    for header in ("Token", "Token a b", "Token nonsense", "Token dk_zzzzzzzz_short", "Token dk_éééééééé_x"):
        response = TownClient(host_of(town_a), HTTP_AUTHORIZATION=header).get("/api/v1/me/")
        assert response.status_code == 401, header


def test_only_a_hash_of_the_secret_is_stored(town_a, resident_a):
    from api.models import ApiToken
    from api.services import api_token_hash
    from django.db import connection

    # given
    secret = issue_token(town_a, resident_a)
    random_part = secret.split("_", 2)[2]

    # when
    with schema_context(town_a.schema_name):
        token = ApiToken.objects.get(user=resident_a)
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM api_apitoken")
            raw_rows = repr(cursor.fetchall())
        expected = api_token_hash(secret=secret)

    # then
    assert random_part not in raw_rows and secret not in raw_rows
    assert token.key_hash == expected
    assert secret.startswith(f"dk_{token.prefix}_")
    assert api_token_hash(secret=secret, schema_name=town_a.schema_name) != api_token_hash(
        secret=secret, schema_name="t_other"
    )


def test_last_used_is_written_at_most_once_a_minute(town_a, resident_a, django_assert_max_num_queries):
    from api.models import ApiToken

    # given
    secret = issue_token(town_a, resident_a)
    client = token_client(town_a, secret)

    # when
    client.get("/api/v1/me/")
    with schema_context(town_a.schema_name):
        first_use = ApiToken.objects.get(user=resident_a).last_used_at
    client.get("/api/v1/me/")
    with schema_context(town_a.schema_name):
        second_use = ApiToken.objects.get(user=resident_a).last_used_at
        ApiToken.objects.filter(user=resident_a).update(last_used_at=first_use - timedelta(minutes=2))
    client.get("/api/v1/me/")
    with schema_context(town_a.schema_name):
        third_use = ApiToken.objects.get(user=resident_a).last_used_at

    # then
    assert first_use is not None
    assert second_use == first_use
    assert third_use > first_use


def test_tokens_are_not_accepted_on_the_public_site(public_client, town_a, resident_a):
    secret = issue_token(town_a, resident_a)
    response = public_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {secret}")
    assert response.status_code in (401, 404)


def test_a_moderator_sees_their_role(town_a):
    moderator = user_in_town(town_a, email="mo@example.org", name="Mo Moderator", role="moderator")
    body = token_client(town_a, issue_token(town_a, moderator)).get("/api/v1/me/").json()
    assert body["role"] == "moderator" and body["is_moderator"] is True and body["name"] == "Mo Moderator"
