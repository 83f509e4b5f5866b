"""Rate limits: API calls per token and per address, wrong tokens, Stripe's webhook, and residents' writes.

Each limit is counted per town: using up town A's allowance never refuses anything in town B.
"""

from __future__ import annotations

from django.conf import settings
from django.test import override_settings

from tests.api.helpers import issue_token, token_client
from tests.helpers import TownClient, host_of

WRONG_TOKEN = "dk_nichtda_" + "x" * 32


def _rates(**rates: str):
    return override_settings(REST_FRAMEWORK={
        **settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                                                             **rates}})


def _assert_throttled(response) -> None:
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 3600
    assert response.json()["detail"].startswith("Zu viele Anfragen. Bitte warten Sie ")


def test_wrong_tokens_are_refused_with_429_after_n_in_that_town_only(town_a, town_b, resident_a):
    secret = issue_token(town_a, resident_a)
    with _rates(token_failure="10/hour"):
        wrong_a = token_client(town_a, WRONG_TOKEN)
        answers = [wrong_a.get("/api/v1/me/") for _ in range(30)]

        assert [answer.status_code for answer in answers[:10]] == [401] * 10
        for answer in answers[10:]:
            _assert_throttled(answer)
        # From that address even the right token waits: guessing can't go on with a real one in between.
        _assert_throttled(token_client(town_a, secret).get("/api/v1/me/"))
        # Town B counts for itself: the same address is still only told the token is wrong.
        assert token_client(town_b, WRONG_TOKEN).get("/api/v1/me/").status_code == 401
        # Another address in town A is not affected.
        other = TownClient(host_of(town_a), HTTP_AUTHORIZATION=f"Token {secret}", REMOTE_ADDR="198.51.100.9")
        assert other.get("/api/v1/me/").status_code == 200


def test_the_n_plus_first_call_of_a_token_gets_429_in_its_town_only(town_a, town_b, resident_a):
    secret = issue_token(town_a, resident_a)
    with _rates(user="3/min", anon="3/min"):
        client = token_client(town_a, secret)
        assert [client.get("/api/v1/town/").status_code for _ in range(3)] == [200] * 3
        _assert_throttled(client.get("/api/v1/town/"))
        # Each token counts on its own; anonymous calls from the same address count per address.
        assert token_client(town_a, issue_token(town_a, resident_a, name="Zweite App")).get(
            "/api/v1/town/").status_code == 200
        assert TownClient(host_of(town_b)).get("/api/v1/town/").status_code == 200


def test_anonymous_calls_are_counted_per_address_and_town(town_a, town_b):
    with _rates(anon="3/min"):
        client_a = TownClient(host_of(town_a))
        assert [client_a.get("/api/v1/ortsgemeinden/").status_code for _ in range(3)] == [200] * 3
        _assert_throttled(client_a.get("/api/v1/ortsgemeinden/"))
        # Same address, other town: a fresh allowance.
        client_b = TownClient(host_of(town_b))
        assert [client_b.get("/api/v1/ortsgemeinden/").status_code for _ in range(3)] == [200] * 3
        # Another address in town A still gets answers.
        assert TownClient(host_of(town_a), REMOTE_ADDR="198.51.100.9").get(
            "/api/v1/ortsgemeinden/").status_code == 200


@override_settings(STRIPE_WEBHOOK_RATE="3/min")
def test_the_stripe_webhook_is_limited_per_source_address(public_client):
    # Unsigned calls are refused (400) and count: a flood costs the server as much either way.
    answers = [public_client.post("/stripe/webhook/", data=b"{}", content_type="application/json")
               for _ in range(4)]
    assert [answer.status_code for answer in answers] == [400, 400, 400, 429]
    assert 1 <= int(answers[-1]["Retry-After"]) <= 60
    elsewhere = public_client.post("/stripe/webhook/", data=b"{}", content_type="application/json",
                                   REMOTE_ADDR="198.51.100.9")
    assert elsewhere.status_code == 400


def test_the_schema_documents_429_with_retry_after(client_a):
    schema = client_a.get("/api/schema/?format=json").json()
    answer = schema["paths"]["/api/v1/me/"]["get"]["responses"]["429"]
    assert "Retry-After" in answer["headers"]
