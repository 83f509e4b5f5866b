"""The platform's read endpoints: town profile, Ortsgemeinden, organisations; JSON errors."""

from __future__ import annotations

from django_tenants.utils import schema_context

from tests.town.factories import OrtsgemeindeFactory
from town.selectors import forget_town_profile


def test_town_profile_names_the_town_and_links_its_legal_pages(town_a, client_a):
    from town.models import TownProfile

    # given
    with schema_context(town_a.schema_name):
        TownProfile.objects.update(
            primary_colour="#123456",
            contact_name="Karl Kontakt",
            contact_email="karl@example.org",
            impressum="Verbandsgemeindeverwaltung Altdorf",
        )
        forget_town_profile()

    # when
    response = client_a.get("/api/v1/town/")

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Verbandsgemeinde Altdorf"
    assert body["kind"] == "verbandsgemeinde"
    assert body["primary_colour"] == "#123456"
    assert body["contact"]["name"] == "Karl Kontakt" and body["contact"]["email"] == "karl@example.org"
    assert body["impressum_url"] == "http://altdorf.localhost/impressum/"
    assert body["privacy_policy_url"] == "http://altdorf.localhost/datenschutz/"
    assert body["logo_url"] is None
    assert response["ETag"] and response["Last-Modified"]


def test_town_profile_logo_url_is_absolute_on_the_towns_host(town_a, client_a):
    from django.core.files.base import ContentFile

    from town.models import TownProfile

    # given
    with schema_context(town_a.schema_name):
        profile = TownProfile.objects.get()
        profile.logo.save("wappen.png", ContentFile(b"\x89PNG fake"), save=True)
        forget_town_profile()

    # when
    logo_url = client_a.get("/api/v1/town/").json()["logo_url"]

    # then
    assert logo_url.startswith("http://altdorf.localhost/media/")
    assert logo_url.endswith(".png") and "wappen" in logo_url
    assert client_a.get(logo_url.removeprefix("http://altdorf.localhost")).status_code == 200


def test_each_town_answers_with_its_own_profile(client_a, client_b):
    assert client_a.get("/api/v1/town/").json()["name"] == "Verbandsgemeinde Altdorf"
    assert client_b.get("/api/v1/town/").json()["name"] == "Stadt Bergdorf"


def test_etag_gives_304_when_nothing_changed_and_200_after_a_change(town_a, client_a, villages_a):
    # given
    first = client_a.get("/api/v1/ortsgemeinden/")
    etag = first["ETag"]

    # when
    unchanged = client_a.get("/api/v1/ortsgemeinden/", HTTP_IF_NONE_MATCH=etag)
    with schema_context(town_a.schema_name):
        OrtsgemeindeFactory(name="Mitteldorf", slug="mitteldorf")
    changed = client_a.get("/api/v1/ortsgemeinden/", HTTP_IF_NONE_MATCH=etag)

    # then
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_ortsgemeinden_are_listed_with_postal_codes_and_pagination(client_a, villages_a):
    body = client_a.get("/api/v1/ortsgemeinden/").json()
    assert body["count"] == 2
    assert body["results"][0] == {
        "slug": "oberdorf",
        "name": "Oberdorf",
        "postal_codes": ["57518", "57520"],
        "logo_url": None,
    }
    paged = client_a.get("/api/v1/ortsgemeinden/?page_size=1&page=2").json()
    assert [v["slug"] for v in paged["results"]] == ["unterdorf"] and paged["previous"]


def test_organisations_list_shows_only_approved_ones(client_a, organisations_a):
    body = client_a.get("/api/v1/organisations/").json()
    assert [o["slug"] for o in body["results"]] == ["ff-oberdorf", "sv-unterdorf"]
    feuerwehr = body["results"][0]
    assert feuerwehr["kind"] == "feuerwehr"
    assert feuerwehr["ortsgemeinde"] == {"slug": "oberdorf", "name": "Oberdorf"}
    assert feuerwehr["email"] == "wehr@example.org"


def test_organisations_filter_by_ortsgemeinde_and_kind(client_a, organisations_a):
    in_unterdorf = client_a.get("/api/v1/organisations/?ortsgemeinde=unterdorf").json()
    fire_brigades = client_a.get("/api/v1/organisations/?kind=feuerwehr").json()
    assert [o["slug"] for o in in_unterdorf["results"]] == ["sv-unterdorf"]
    assert [o["slug"] for o in fire_brigades["results"]] == ["ff-oberdorf"]


def test_unknown_filter_values_get_a_clear_400(client_a, organisations_a):
    unknown_village = client_a.get("/api/v1/organisations/?ortsgemeinde=atlantis")
    unknown_kind = client_a.get("/api/v1/organisations/?kind=raumschiff")
    assert unknown_village.status_code == 400 and "ortsgemeinde" in unknown_village.json()
    assert unknown_kind.status_code == 400 and "kind" in unknown_kind.json()


def test_organisation_detail_and_404_for_unapproved_or_unknown(client_a, organisations_a):
    assert client_a.get("/api/v1/organisations/ff-oberdorf/").json()["name"] == "Freiwillige Feuerwehr Oberdorf"
    for slug in ("unapproved", "gibt-es-nicht"):
        response = client_a.get(f"/api/v1/organisations/{slug}/")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"


def test_organisation_of_town_a_is_404_on_town_b(organisations_a, client_b):
    response = client_b.get("/api/v1/organisations/ff-oberdorf/")
    assert response.status_code == 404


def test_public_endpoints_carry_no_personal_data_of_residents(client_a, resident_a, organisations_a):
    # (The town's contact person is published on every page on purpose; residents are not.)
    for path in ("/api/v1/town/", "/api/v1/ortsgemeinden/", "/api/v1/organisations/"):
        content = client_a.get(path).content
        assert b"rita@example.org" not in content and b"Rita Resident" not in content


def test_errors_under_api_are_json_never_html(client_a):
    unknown = client_a.get("/api/v1/gibt-es-nicht/")
    bad_page = client_a.get("/api/v1/ortsgemeinden/?page=999")
    wrong_method = client_a.delete("/api/v1/town/")
    for response, status in ((unknown, 404), (bad_page, 404), (wrong_method, 405)):
        assert response.status_code == status
        assert response["Content-Type"] == "application/json"
        assert "detail" in response.json()


def test_a_crash_in_an_api_view_is_a_json_500_without_a_trace(client_a, monkeypatch):
    from api import apis

    def explode() -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(apis, "town_profile_get", explode)
    client_a.raise_request_exception = False

    response = client_a.get("/api/v1/town/")

    assert response.status_code == 500
    assert response.json() == {"detail": "Internal Server Error"}
    assert b"secret internals" not in response.content and b"Traceback" not in response.content
