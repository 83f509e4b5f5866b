"""The Mitbringdienst's pages, clicked through with the test client: what each person sees and may do."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from modules.errands import services, shops
from modules.errands.models import ErrandBlock, ErrandReport, ErrandRequest
from tests.accounts.factories import UserFactory
from tests.helpers import TownClient, host_of, logged_in_client
from tests.modules.errands.factories import ErrandFactory, TripFactory


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def _ask(client, **fields):
    start = timezone.now() + timedelta(hours=3)
    data = {
        "items": "Roggenbrot\nButter",
        "shop_name": "Bäckerei Becker",
        "window_start": _local(start),
        "window_end": _local(start + timedelta(hours=5)),
        "note": "",
        "estimated_amount": "",
    }
    data.update(fields)
    return client.post("/errands/requests/new/", data)


# --- asking ---------------------------------------------------------------------------------------


def test_a_resident_asks_and_her_village_is_the_default(town_a, anna, villages):
    client = logged_in_client(town_a, anna)
    form = client.get("/errands/requests/new/")
    assert form.status_code == 200
    assert f'<option value="{villages["kausen"].pk}" selected>' in form.content.decode()

    response = _ask(client, ortsgemeinde=villages["kausen"].pk, estimated_amount="12,50")

    errand = ErrandRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/errands/requests/{errand.pk}/"
    assert (errand.requester, errand.ortsgemeinde, errand.estimated_amount_cents) == (anna, villages["kausen"], 1250)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"items": "   "}, "This field is required."),
        ({"window_start": _local(timezone.now() - timedelta(days=1))}, "The time window must lie in the future."),
        (
            {"window_end": _local(timezone.now() + timedelta(hours=1))},
            "“Until” must be after “from”.",
        ),
        ({"estimated_amount": "-3"}, "An amount cannot be negative."),
    ],
)
def test_bad_input_shows_a_message_and_stores_nothing(town_a, anna, villages, fields, message):
    client = logged_in_client(town_a, anna)
    response = _ask(client, ortsgemeinde=villages["kausen"].pk, **fields)
    assert response.status_code == 400
    assert _(message) in response.content.decode()
    assert not ErrandRequest.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login_to_ask(town_a):
    response = TownClient(host_of(town_a)).get("/errands/requests/new/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- the open list ------------------------------------------------------------------------------------


def test_the_list_shows_first_names_and_villages_own_village_first(town_a, anna, bernd, carla, villages):
    # given: Carla (Elkenroth) asked first, Anna (Kausen) later; Bernd lives in Kausen
    ErrandFactory(requester=carla, shop_name="Apotheke Elkenroth", ortsgemeinde=villages["elkenroth"])
    ErrandFactory(
        requester=anna,
        shop_name="Bäckerei Kausen",
        ortsgemeinde=villages["kausen"],
        window_start=timezone.now()
                + timedelta(hours=5),
    )

    # when
    page = logged_in_client(town_a, bernd).get("/errands/").content.decode()

    # then
    cards = page[page.index("errands-list"):]  # the shop filter above lists the names alphabetically
    assert cards.index("Bäckerei Kausen") < cards.index("Apotheke Elkenroth")
    assert "Anna" in page and "Arndt" not in page and "anna@example.org" not in page
    assert _("Requests from your Ortsgemeinde first, then the others in alphabetical order of their Ortsgemeinde.") \
        in page


def test_the_list_filters_by_village_and_shop(town_a, anna, carla, villages):
    ErrandFactory(requester=carla, shop_name="Apotheke", ortsgemeinde=villages["elkenroth"])
    ErrandFactory(requester=anna, shop_name="Bäckerei", ortsgemeinde=villages["kausen"])
    client = TownClient(host_of(town_a))
    by_village = client.get("/errands/", {"ortsgemeinde": "elkenroth"}).content.decode()
    assert "Apotheke" in by_village and "Von Bäckerei" not in by_village and "From Bäckerei" not in by_village
    by_shop = client.get("/errands/", {"shop": "Bäckerei"}).content.decode()
    assert "Carla" not in by_shop and "Anna" in by_shop
    assert client.get("/errands/", {"shop": "gibt es nicht"}).status_code == 200


# --- one request -------------------------------------------------------------------------------------------


def test_a_neighbour_sees_a_first_name_the_helper_the_full_name(town_a, anna, bernd, carla):
    errand = ErrandFactory(requester=anna)
    url = f"/errands/requests/{errand.pk}/"
    assert "Arndt" not in logged_in_client(town_a, carla).get(url).content.decode()
    services.errand_request_accept(errand=errand, acting_user=bernd)
    assert "Anna Arndt" in logged_in_client(town_a, bernd).get(url).content.decode()
    assert "Arndt" not in logged_in_client(town_a, carla).get(url).content.decode()


def test_accepting_needs_the_tick_and_then_works(town_a, anna, bernd):
    errand = ErrandFactory(requester=anna)
    client = logged_in_client(town_a, bernd)
    url = f"/errands/requests/{errand.pk}/accept/"

    refused = client.post(url, {})
    assert refused.status_code == 400
    assert _("Please confirm that you will bring the things.") in refused.content.decode()
    errand.refresh_from_db()
    assert errand.status == "open"

    accepted = client.post(url, {"confirm": "on"})
    assert accepted.status_code == 302
    errand.refresh_from_db()
    assert (errand.status, errand.helper) == ("accepted", bernd)


def test_the_loser_of_a_race_is_told_on_the_page(town_a, anna, bernd, carla):
    errand = ErrandFactory(requester=anna)
    services.errand_request_accept(errand=errand, acting_user=bernd)
    response = logged_in_client(town_a, carla).post(f"/errands/requests/{errand.pk}/accept/", {"confirm": "on"},
                                                    follow=True)
    assert _("Someone else was quicker and has already accepted this request.") in response.content.decode()
    errand.refresh_from_db()
    assert errand.helper == bernd


def test_the_whole_way_through_the_pages(town_a, anna, bernd):
    errand = ErrandFactory(requester=anna)
    helper = logged_in_client(town_a, bernd)
    requester = logged_in_client(town_a, anna)
    base = f"/errands/requests/{errand.pk}/"
    assert helper.post(base + "accept/", {"confirm": "on"}).status_code == 302
    assert requester.post(base + "messages/", {"text": "Hauptstraße 3, bitte klingeln"}).status_code == 302
    assert "Hauptstraße 3" in helper.get(base).content.decode()
    assert helper.post(base + "bought/", {"spent_amount": "7,80"}).status_code == 302
    assert helper.post(base + "delivered/").status_code == 302
    errand.refresh_from_db()
    assert (errand.status, errand.spent_amount_cents) == ("delivered", 780)
    page = requester.get(base).content.decode()
    assert _("Delivered") in page and "7,80 €" in page
    assert _("Delivered") in requester.get("/errands/mine/").content.decode()
    assert "Bäckerei Becker" in helper.get("/errands/deliveries/").content.decode()


@pytest.mark.parametrize("step", ["bought", "delivered", "release", "cancel"])
def test_a_third_neighbour_cannot_take_the_steps(town_a, anna, bernd, carla, step):
    errand = ErrandFactory(requester=anna)
    services.errand_request_accept(errand=errand, acting_user=bernd)
    response = logged_in_client(town_a, carla).post(f"/errands/requests/{errand.pk}/{step}/")
    assert response.status_code == 403
    errand.refresh_from_db()
    assert errand.status == "accepted"


def test_only_the_two_read_and_write_messages(town_a, anna, bernd, carla):
    errand = ErrandFactory(requester=anna)
    services.errand_request_accept(errand=errand, acting_user=bernd)
    services.errand_comment_add(errand=errand, acting_user=anna, text="Geheimer Klingelcode 4711")
    carla_client = logged_in_client(town_a, carla)
    assert "4711" not in carla_client.get(f"/errands/requests/{errand.pk}/").content.decode()
    assert carla_client.post(f"/errands/requests/{errand.pk}/messages/", {"text": "Hallo"}).status_code == 403


def test_report_and_moderation_through_the_pages(town_a, anna, bernd, villages):
    errand = ErrandFactory(requester=anna)
    reporter = logged_in_client(town_a, bernd)
    assert reporter.get(f"/errands/requests/{errand.pk}/report/").status_code == 200
    assert reporter.post(f"/errands/requests/{errand.pk}/report/", {"reason": ""}).status_code == 400
    assert not ErrandReport.objects.exists()
    assert reporter.post(f"/errands/requests/{errand.pk}/report/", {"reason": "Werbung"}).status_code == 302
    assert ErrandReport.objects.count() == 1

    assert reporter.get("/errands/manage/reports/").status_code == 403
    moderator = logged_in_client(town_a, UserFactory(email="moderatorin@example.org", role=Role.MODERATOR))
    assert "Werbung" in moderator.get("/errands/manage/reports/").content.decode()
    assert moderator.post(f"/errands/manage/requests/{errand.pk}/hide/").status_code == 302
    assert reporter.get(f"/errands/requests/{errand.pk}/").status_code == 404
    assert "Bäckerei Becker" not in reporter.get("/errands/").content.decode()
    assert moderator.post(f"/errands/manage/requests/{errand.pk}/restore/").status_code == 302
    assert reporter.get(f"/errands/requests/{errand.pk}/").status_code == 200


def test_blocking_through_the_pages(town_a, anna, bernd):
    errand = ErrandFactory(requester=anna)
    client = logged_in_client(town_a, bernd)
    assert client.get(f"/errands/requests/{errand.pk}/block/").status_code == 200
    assert client.post(f"/errands/requests/{errand.pk}/block/", {}).status_code == 400
    assert not ErrandBlock.objects.exists()
    assert client.post(f"/errands/requests/{errand.pk}/block/", {"confirm": "True"}).status_code == 302
    assert ErrandBlock.objects.filter(blocker=bernd, blocked=anna).exists()
    assert client.get(f"/errands/requests/{errand.pk}/").status_code == 404
    block = ErrandBlock.objects.get()
    assert "Anna Arndt" in client.get("/errands/blocks/").content.decode()
    assert logged_in_client(town_a, anna).post(f"/errands/blocks/{block.pk}/delete/").status_code == 404
    assert client.post(f"/errands/blocks/{block.pk}/delete/").status_code == 302
    assert client.get(f"/errands/requests/{errand.pk}/").status_code == 200


# --- trips --------------------------------------------------------------------------------------------------


def test_announce_and_join_a_trip_through_the_pages(town_a, anna, bernd, villages):
    helper = logged_in_client(town_a, bernd)
    departure = timezone.now() + timedelta(days=1)
    response = helper.post("/errands/trips/new/", {
        "destination": "Betzdorf", "shop_name": "Wasgau", "departure_at": _local(departure),
        "ortsgemeinden": [villages["kausen"].pk], "capacity": "2", "note": "",
    })
    assert response.status_code == 302
    trip_url = response["Location"]
    assert "Betzdorf" in TownClient(host_of(town_a)).get("/errands/trips/").content.decode()

    joiner = logged_in_client(town_a, anna)
    assert joiner.post(trip_url + "join/", {"items": ""}).status_code == 400
    joined = joiner.post(trip_url + "join/", {"items": "Kaffee", "note": "", "estimated_amount": ""})
    assert joined.status_code == 302
    errand = ErrandRequest.objects.get()
    assert (errand.status, errand.helper, errand.ortsgemeinde) == ("accepted", bernd, villages["kausen"])
    assert "Anna Arndt" in helper.get(trip_url).content.decode()


def test_a_bad_trip_is_refused_on_the_page(town_a, bernd):
    response = logged_in_client(town_a, bernd).post("/errands/trips/new/", {
        "destination": "Betzdorf", "departure_at": _local(timezone.now() - timedelta(hours=2)), "capacity": "2",
    })
    assert response.status_code == 400
    assert _("The departure must lie in the future.") in response.content.decode()


def test_only_the_helper_cancels_a_trip(town_a, anna, bernd):
    trip = TripFactory(helper=bernd)
    assert logged_in_client(town_a, anna).post(f"/errands/trips/{trip.pk}/cancel/").status_code == 403
    assert logged_in_client(town_a, bernd).post(f"/errands/trips/{trip.pk}/cancel/").status_code == 302
    trip.refresh_from_db()
    assert trip.is_cancelled


# --- shops from the directory -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Business:
    id: int
    name: str
    slug: str
    ortsgemeinde_id: int | None
    ortsgemeinde_name: str
    url: str
    is_open_now: bool


class _FakeDirectory:
    bakery = _Business(7, "Backstube Sonnental", "backstube", None, "Kausen", "http://x/directory/backstube/", True)

    def business_choices(self, *, ortsgemeinde_id=None):
        return [self.bakery]

    def business_get(self, business_id):
        return self.bakery if business_id == self.bakery.id else None


def test_a_shop_from_the_directory_is_offered_and_linked(town_a, anna, villages, monkeypatch):
    monkeypatch.setattr(shops, "_facade", lambda: _FakeDirectory())
    client = logged_in_client(town_a, anna)
    assert "Backstube Sonnental (Kausen)" in client.get("/errands/requests/new/").content.decode()
    response = _ask(client, business="7", shop_name="", ortsgemeinde=villages["kausen"].pk)
    assert response.status_code == 302
    errand = ErrandRequest.objects.get()
    assert (errand.business_id, errand.shop_name) == (7, "Backstube Sonnental")
    assert 'href="http://x/directory/backstube/"' in client.get(response["Location"]).content.decode()


def test_without_the_directory_the_shop_is_free_text(in_town_a, town_a, anna, villages):
    from tenants.services import tenant_module_disable

    tenant_module_disable(tenant=in_town_a, key="directory")
    client = logged_in_client(town_a, anna)
    form = client.get("/errands/requests/new/").content.decode()
    assert 'name="business"' not in form and 'name="shop_name"' in form
    assert _ask(client, ortsgemeinde=villages["kausen"].pk).status_code == 302


def test_a_vanished_directory_entry_is_refused(town_a, anna, villages, monkeypatch):
    monkeypatch.setattr(shops, "_facade", lambda: _FakeDirectory())
    with pytest.raises(Exception, match=re.escape(_("This shop is no longer in the directory."))):
        services.errand_request_create(
            acting_user=anna, items="Brot", business_id=99,
            window_start=timezone.now() + timedelta(hours=1), window_end=timezone.now() + timedelta(hours=2),
        )


# --- start page, other town -------------------------------------------------------------------------------


def test_the_start_page_shows_open_requests_to_signed_in_residents(town_a, anna, bernd):
    ErrandFactory(requester=anna, shop_name="Hofladen Schmidt")
    assert "Hofladen Schmidt" in logged_in_client(town_a, bernd).get("/").content.decode()
    assert "Hofladen Schmidt" not in logged_in_client(town_a, anna).get("/").content.decode()  # her own
    assert "Hofladen Schmidt" not in TownClient(host_of(town_a)).get("/").content.decode()


def test_a_request_of_town_a_does_not_exist_in_town_b(town_a, town_b, anna, admin_client_b):
    errand = ErrandFactory(requester=anna, shop_name="Nur in Altdorf")
    assert admin_client_b.get(f"/errands/requests/{errand.pk}/").status_code == 404
    assert "Nur in Altdorf" not in TownClient(host_of(town_b)).get("/errands/").content.decode()


@pytest.mark.parametrize(("typed", "cents"), [("6,50", 650), ("6.50", 650), ("1.250,00 €", 125000), ("7", 700)])
def test_amounts_are_understood_as_people_type_them(typed, cents):
    from modules.errands.forms import BoughtForm

    form = BoughtForm({"spent_amount": typed})
    assert form.is_valid(), form.errors
    from modules.errands.forms import euros_to_cents

    assert euros_to_cents(form.cleaned_data["spent_amount"]) == cents
