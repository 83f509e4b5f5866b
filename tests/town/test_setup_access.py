"""Only a town's own admins reach its back office, and a back office only ever changes its own town."""

from __future__ import annotations

import pytest

from tests.accounts.factories import user_in_town
from tests.helpers import logged_in_client
from tests.town.helpers import branding_post, client_with_role, profile_of

ADMIN_PAGES = [
    "/backoffice/profile/",
    "/backoffice/contact/",
    "/backoffice/legal/",
    "/backoffice/ortsgemeinden/",
    "/backoffice/ortsgemeinden/new/",
    "/backoffice/ortsgemeinden/slug/?name=Au",
    "/backoffice/modules/",
]


@pytest.mark.parametrize("path", ["/backoffice/", *ADMIN_PAGES])
def test_anonymous_visitors_are_sent_to_the_login(client_a, path):
    response = client_a.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("path", ["/backoffice/", *ADMIN_PAGES])
def test_residents_are_refused(town_a, path):
    assert client_with_role(town_a, "resident").get(path).status_code == 403


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_moderators_see_the_overview_but_not_the_admin_pages(town_a, path):
    moderator = client_with_role(town_a, "moderator")

    assert moderator.get("/backoffice/").status_code == 200
    assert moderator.get(path).status_code == 403


def test_the_overview_shows_each_role_only_what_it_may_do(town_a, admin_client_a):
    moderator_page = client_with_role(town_a, "moderator").get("/backoffice/").content.decode()
    admin_page = admin_client_a.get("/backoffice/").content.decode()

    assert "/backoffice/profile/" not in moderator_page and "/backoffice/modules/" not in moderator_page
    assert "/backoffice/profile/" in admin_page and "/backoffice/modules/" in admin_page
    assert 'id="setup-heading"' in admin_page and 'id="setup-heading"' not in moderator_page


def test_the_header_links_the_back_office_only_for_those_who_may_use_it(town_a, admin_client_a):
    resident_page = client_with_role(town_a, "resident").get("/").content.decode()

    assert 'href="/backoffice/"' not in resident_page
    assert 'href="/backoffice/"' in admin_client_a.get("/").content.decode()


def test_posts_from_non_admins_change_nothing(town_a, client_a):
    for client in (client_a, client_with_role(town_a, "resident"), client_with_role(town_a, "moderator")):
        client.post("/backoffice/profile/", branding_post(name="Gekapert", primary_colour="#000000"))
        client.post("/backoffice/modules/news/toggle/", {"action": "disable"})
        client.post("/backoffice/ortsgemeinden/new/", {"name": "Gekapert"})

    assert profile_of(town_a).name == "Verbandsgemeinde Altdorf"
    from django_tenants.utils import schema_context

    from town.models import Ortsgemeinde

    with schema_context(town_a.schema_name):
        assert not Ortsgemeinde.objects.filter(name="Gekapert").exists()


def test_a_post_on_town_a_changes_only_town_a(admin_client_a, town_a, town_b):
    # given: both towns start alike (same admin e-mail, same default colours)
    before_b = profile_of(town_b)

    # when
    response = admin_client_a.post("/backoffice/profile/", branding_post(name="Altdorf neu", primary_colour="#6a1b9a"))
    admin_client_a.post("/backoffice/ortsgemeinden/new/", {"name": "Nur in Altdorf", "postal_codes": ""})

    # then
    assert response.status_code == 302
    assert profile_of(town_a).name == "Altdorf neu"
    after_b = profile_of(town_b)
    assert (after_b.name, after_b.primary_colour, after_b.updated_at) == (
        before_b.name, before_b.primary_colour, before_b.updated_at)
    from django_tenants.utils import schema_context

    from town.models import Ortsgemeinde

    with schema_context(town_b.schema_name):
        assert not Ortsgemeinde.objects.filter(name="Nur in Altdorf").exists()


def test_town_a_s_admin_session_is_anonymous_on_town_b(town_a, town_b):
    # The admin of A also exists in B (same e-mail): the session cookie of A must not open B's back office.
    client = logged_in_client(town_a, user_in_town(town_a, email="only-a@example.org", role="admin", name="A Admin"))
    cookie = client.cookies["sessionid"].value
    from tests.helpers import TownClient, host_of

    on_b = TownClient(host_of(town_b))
    on_b.cookies["sessionid"] = cookie

    assert on_b.get("/backoffice/profile/").status_code == 302
