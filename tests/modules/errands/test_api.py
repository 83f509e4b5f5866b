"""GET /api/v1/errands/requests/: open requests with a first name and village only, with ETag."""

from __future__ import annotations

from modules.errands import services
from tests.helpers import TownClient, host_of, logged_in_client
from tests.modules.errands.factories import ErrandFactory


def test_the_list_shows_no_personal_data_beyond_first_name_and_village(town_a, anna, bernd, villages):
    # given: one open request with a note and an amount, one already accepted
    open_one = ErrandFactory(
        requester=anna,
        ortsgemeinde=villages["kausen"],
        note="Hintereingang",
        estimated_amount_cents=900,
    )
    services.errand_request_accept(errand=ErrandFactory(requester=anna), acting_user=bernd)

    # when
    response = TownClient(host_of(town_a)).get("/api/v1/errands/requests/")

    # then
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    item = data["results"][0]
    assert set(item) == {"id", "first_name", "ortsgemeinde", "items", "shop", "window_start", "window_end", "url"}
    assert item["id"] == open_one.pk
    assert item["first_name"] == "Anna"
    assert item["ortsgemeinde"] == {"name": "Kausen", "slug": "kausen"}
    assert item["items"] == ["1 Roggenbrot", "6 Brötchen"]
    assert item["url"] == f"http://{host_of(town_a)}/errands/requests/{open_one.pk}/"
    body = response.content.decode()
    assert "Arndt" not in body and "anna@example.org" not in body and "Hintereingang" not in body


def test_the_list_answers_304_while_nothing_changed(town_a, anna):
    ErrandFactory(requester=anna)
    client = TownClient(host_of(town_a))
    first = client.get("/api/v1/errands/requests/")
    etag = first["ETag"]
    assert client.get("/api/v1/errands/requests/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    ErrandFactory(requester=anna, shop_name="Metzgerei")
    changed = client.get("/api/v1/errands/requests/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_the_list_filters_by_village_and_refuses_unknown_ones(town_a, anna, carla, villages):
    ErrandFactory(requester=anna, ortsgemeinde=villages["kausen"])
    ErrandFactory(requester=carla, ortsgemeinde=villages["elkenroth"])
    client = TownClient(host_of(town_a))
    assert client.get("/api/v1/errands/requests/", {"ortsgemeinde": "elkenroth"}).json()["count"] == 1
    assert client.get("/api/v1/errands/requests/", {"ortsgemeinde": "atlantis"}).status_code == 400


def test_a_signed_in_person_does_not_get_requests_of_people_they_blocked(town_a, anna, bernd):
    ErrandFactory(requester=anna)
    services.user_block(acting_user=bernd, blocked=anna)
    assert logged_in_client(town_a, bernd).get("/api/v1/errands/requests/").json()["count"] == 0
