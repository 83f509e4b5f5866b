"""The back office's People page: list, search, role changes, deactivation, who may see it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from accounts.models import Role, User
from tests.accounts.factories import MembershipFactory, OrtsgemeindeFactory, UserFactory
from tests.helpers import ADMIN_EMAIL, TownClient, admin_of, host_of, logged_in_client
from tests.town.factories import ResidentProfileFactory
from town.people_services import user_deactivate, user_role_change


def test_admin_sees_people_with_role_and_ortsgemeinde(town_a, admin_client_a):
    # given a resident of Elkenroth and an editor of the fire brigade
    with schema_context(town_a.schema_name):
        rita = UserFactory(name="Rita Resident")
        ResidentProfileFactory(user=rita, ortsgemeinde=OrtsgemeindeFactory(name="Elkenroth"))
        MembershipFactory(user=UserFactory(name="Eddi Editor"), organisation__name="Feuerwehr Kausen")

    # when the admin opens People
    response = admin_client_a.get("/backoffice/personen/")

    # then everyone is listed with role, village and organisation
    html = response.content.decode()
    assert response.status_code == 200
    assert "Rita Resident" in html and "Elkenroth" in html
    assert "Eddi Editor" in html and "Feuerwehr Kausen" in html
    assert "Anna Admin" in html


def test_people_search_by_name_and_email(town_a, admin_client_a):
    with schema_context(town_a.schema_name):
        UserFactory(name="Rita Resident", email="rita@example.org")
        UserFactory(name="Bernd Bürger", email="bernd@example.org")
    by_name = admin_client_a.get("/backoffice/personen/", {"q": "rita"}).context["page"].object_list
    by_mail = admin_client_a.get("/backoffice/personen/", {"q": "bernd@"}).context["page"].object_list
    by_role = admin_client_a.get("/backoffice/personen/", {"role": "admin"}).context["page"].object_list
    assert [u.name for u in by_name] == ["Rita Resident"]
    assert [u.name for u in by_mail] == ["Bernd Bürger"]
    assert [u.email for u in by_role] == [ADMIN_EMAIL]


def test_people_list_query_count_does_not_grow(town_a, admin_client_a, django_assert_max_num_queries):
    with schema_context(town_a.schema_name):
        for _ in range(3):
            MembershipFactory(user__name="Someone")
    admin_client_a.get("/backoffice/personen/")  # warm caches (town profile, module list)
    # (each query comes with a SET search_path from django-tenants)
    with django_assert_max_num_queries(16) as few:
        admin_client_a.get("/backoffice/personen/")
    budget = len(few)  # read now: the next request resets Django's query log
    with schema_context(town_a.schema_name):
        for _ in range(10):
            ResidentProfileFactory(user=MembershipFactory().user, ortsgemeinde=OrtsgemeindeFactory())
    admin_client_a.get("/backoffice/personen/")  # new Ortsgemeinden dropped the cached town profile
    with django_assert_max_num_queries(budget):
        admin_client_a.get("/backoffice/personen/")


def test_admin_makes_a_resident_moderator(town_a, admin_client_a):
    with schema_context(town_a.schema_name):
        rita = UserFactory()
    response = admin_client_a.post(f"/backoffice/personen/{rita.pk}/", {"action": "role", "role": "moderator"})
    assert response.status_code == 302
    with schema_context(town_a.schema_name):
        assert User.objects.get(pk=rita.pk).role == Role.MODERATOR


def test_unknown_role_is_refused(town_a, admin_client_a):
    with schema_context(town_a.schema_name):
        rita = UserFactory()
    response = admin_client_a.post(f"/backoffice/personen/{rita.pk}/", {"action": "role", "role": "superuser"})
    assert response.status_code == 200 and response.context["role_form"].errors
    with schema_context(town_a.schema_name):
        assert User.objects.get(pk=rita.pk).role == Role.RESIDENT


def test_last_admin_cannot_demote_themselves(town_a, admin_client_a):
    admin = admin_of(town_a)
    response = admin_client_a.post(f"/backoffice/personen/{admin.pk}/", {"action": "role", "role": "resident"})
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    with schema_context(town_a.schema_name):
        assert User.objects.get(pk=admin.pk).role == Role.ADMIN


def test_admin_can_step_down_once_there_is_a_second_admin(town_a, admin_client_a):
    admin = admin_of(town_a)
    with schema_context(town_a.schema_name):
        UserFactory(role=Role.ADMIN)
    response = admin_client_a.post(f"/backoffice/personen/{admin.pk}/", {"action": "role", "role": "moderator"})
    assert response.status_code == 302
    with schema_context(town_a.schema_name):
        assert User.objects.get(pk=admin.pk).role == Role.MODERATOR
    # and having stepped down, the People page is closed to them
    assert admin_client_a.get("/backoffice/personen/").status_code == 403


def test_service_refuses_demoting_the_last_active_admin(in_town_a):
    admin = admin_of(in_town_a)
    # a deactivated second admin does not count
    UserFactory(role=Role.ADMIN, is_active=False)
    with pytest.raises(ValidationError):
        user_role_change(user=admin, role=Role.RESIDENT, acting_user=admin)
    with pytest.raises(ValidationError):
        user_deactivate(user=admin, acting_user=UserFactory(role=Role.ADMIN, is_active=False))


def test_deactivated_user_cannot_sign_in_and_loses_session(town_a, admin_client_a):
    # given a signed-in resident
    with schema_context(town_a.schema_name):
        rita = UserFactory()
    rita_client = logged_in_client(town_a, rita)
    assert rita_client.get("/konto/").status_code == 200

    # when the admin deactivates her
    response = admin_client_a.post(f"/backoffice/personen/{rita.pk}/", {"action": "deactivate"})

    # then her session no longer works and her password is refused
    assert response.status_code == 302
    assert rita_client.get("/konto/").status_code == 302
    from tests.accounts.factories import PASSWORD

    fresh = TownClient(host_of(town_a))
    fresh.post("/accounts/login/", {"login": rita.email, "password": PASSWORD})
    assert fresh.get("/konto/").status_code == 302
    # and reactivation lets her in again
    admin_client_a.post(f"/backoffice/personen/{rita.pk}/", {"action": "reactivate"})
    with schema_context(town_a.schema_name):
        assert User.objects.get(pk=rita.pk).is_active


def test_admin_cannot_deactivate_themselves(town_a, admin_client_a):
    admin = admin_of(town_a)
    response = admin_client_a.post(f"/backoffice/personen/{admin.pk}/", {"action": "deactivate"})
    assert response.status_code == 200
    with schema_context(town_a.schema_name):
        assert User.objects.get(pk=admin.pk).is_active


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.MODERATOR])
def test_residents_and_moderators_cannot_reach_people_admin(town_a, role):
    with schema_context(town_a.schema_name):
        person = UserFactory(role=role)
        other = UserFactory()
    client = logged_in_client(town_a, person)
    assert client.get("/backoffice/personen/").status_code == 403
    assert client.get(f"/backoffice/personen/{other.pk}/").status_code == 403
    assert client.post(f"/backoffice/personen/{other.pk}/", {"action": "role", "role": "admin"}).status_code == 403
    assert client.get("/backoffice/personen/invite/").status_code == 403
    with schema_context(town_a.schema_name):
        assert User.objects.get(pk=other.pk).role == Role.RESIDENT
        assert User.objects.get(pk=person.pk).role == role


def test_anonymous_visitors_are_sent_to_login(client_a):
    response = client_a.get("/backoffice/personen/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_admin_of_b_cannot_see_or_change_a_user_of_a(town_a, town_b, admin_client_b):
    # given a user in A whose pk does not exist in B
    with schema_context(town_a.schema_name):
        rita = UserFactory(name="Rita aus Altdorf")
    with schema_context(town_b.schema_name):
        assert not User.objects.filter(pk=rita.pk).exists()
    # then B's admin gets 404 and A is untouched
    assert admin_client_b.get(f"/backoffice/personen/{rita.pk}/").status_code == 404
    assert admin_client_b.post(f"/backoffice/personen/{rita.pk}/", {"action": "deactivate"}).status_code == 404
    assert "Rita aus Altdorf" not in admin_client_b.get("/backoffice/personen/").content.decode()
    with schema_context(town_a.schema_name):
        assert User.objects.get(pk=rita.pk).is_active


def test_back_office_pages_render_for_admins(town_a, admin_client_a):
    with schema_context(town_a.schema_name):
        rita = UserFactory(name="Rita Resident")
        club = MembershipFactory(user=rita, organisation__slug="musikverein").organisation
    pages = {
        f"/backoffice/personen/{rita.pk}/": "Rita Resident",
        "/backoffice/personen/invite/": 'name="email"',
        "/backoffice/organisationen/": club.name,
        "/backoffice/organisationen/new/": 'enctype="multipart/form-data"',
        "/backoffice/organisationen/musikverein/edit/": club.name,
        "/backoffice/organisationen/musikverein/members/": "Rita Resident",
    }
    for path, expected in pages.items():
        response = admin_client_a.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert expected in html, path
        assert 'href="/backoffice/personen/"' in html, path  # the back-office menu is there
