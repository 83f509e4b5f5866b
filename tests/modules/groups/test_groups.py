"""Starting, listing and editing groups: any resident can start one, its admins (and the town) edit it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from modules.groups import services
from modules.groups.models import Group, MemberRole, Membership
from tests.accounts.factories import UserFactory
from tests.helpers import logged_in_client, shown
from tests.modules.groups.factories import GroupFactory
from tests.town.factories import MembershipFactory


def test_a_resident_starts_a_group_and_becomes_its_admin(town_a, people, villages):
    # given
    client = logged_in_client(town_a, people["outsider"])

    # when
    response = client.post("/groups/new/", {"name": "Strickkreis Ypsdorf", "description": "Dienstags im Café.",
                                            "visibility": "public", "ortsgemeinde": villages["y"].pk})

    # then
    group = Group.objects.get(name="Strickkreis Ypsdorf")
    assert response.status_code == 302 and response["Location"] == "/groups/strickkreis-ypsdorf/"
    assert group.ortsgemeinde == villages["y"]
    assert Membership.objects.get(group=group).user == people["outsider"]
    assert Membership.objects.get(group=group).role == MemberRole.ADMIN
    page = client.get(response["Location"])
    assert "Strickkreis Ypsdorf" in page.content.decode() and "Dienstags im Café." in page.content.decode()


@pytest.mark.parametrize("name", ["Lauftreff Altdorf", "lauftreff altdorf", "Lauftreff  Altdorf!"])
def test_a_duplicate_name_or_address_is_refused_with_a_message_and_nothing_stored(town_a, public_group, people,
                                                                                  name):
    client = logged_in_client(town_a, people["outsider"])
    response = client.post("/groups/new/", {"name": name, "visibility": "public"})
    assert response.status_code == 400
    page = response.content.decode()
    assert shown("A group with this name already exists.") in page or shown(
        "A group with a very similar name already exists. Please choose another name.") in page
    assert Group.objects.count() == 1


def test_the_address_spells_out_umlauts(people):
    group = services.group_create(acting_user=people["outsider"], name="Nachbarschaft Hauptstraße Öhringen")
    assert group.slug == "nachbarschaft-hauptstrasse-oehringen"


def test_a_reserved_address_is_refused(people):
    with pytest.raises(ValidationError):
        services.group_create(acting_user=people["outsider"], name="New")
    assert not Group.objects.exists()


@pytest.mark.parametrize(("fields", "field"), [
    ({"name": "", "visibility": "public"}, "name"),
    ({"name": "x" * 81, "visibility": "public"}, "name"),
    ({"name": "Gute Gruppe", "description": "y" * 2001, "visibility": "public"}, "description"),
])
def test_empty_or_oversized_group_fields_are_refused(people, fields, field):
    with pytest.raises(ValidationError) as error:
        services.group_create(acting_user=people["outsider"], **fields)
    assert field in error.value.message_dict
    assert not Group.objects.exists()


def test_the_list_searches_by_name_and_filters_by_ortsgemeinde(town_a, people, villages):
    GroupFactory(admin=people["founder"], name="Lauftreff Xanten", ortsgemeinde=villages["x"])
    GroupFactory(admin=people["member"], name="Chor Ypsdorf", ortsgemeinde=villages["y"])
    client = logged_in_client(town_a, people["outsider"])

    by_name = client.get("/groups/?q=lauf").content.decode()
    by_place = client.get("/groups/?ortsgemeinde=ypsdorf").content.decode()

    assert "Lauftreff Xanten" in by_name and "Chor Ypsdorf" not in by_name
    assert "Chor Ypsdorf" in by_place and "Lauftreff Xanten" not in by_place


def test_the_list_shows_closed_groups_by_name_but_not_their_posts(town_a, closed_group, people):
    from tests.modules.groups.factories import PostFactory

    PostFactory(group=closed_group, author=people["member"], text="Geheimer Schlüssel liegt unter der Matte")
    page = logged_in_client(town_a, people["outsider"]).get("/groups/").content.decode()
    assert "Nachbarschaft Lindenweg" in page
    assert "Schlüssel" not in page


def test_only_group_admins_and_the_town_edit_a_group(town_a, public_group, people):
    form = {"name": "Lauftreff Altdorf e.V.", "visibility": "closed", "description": "Neu"}
    assert logged_in_client(town_a, people["member"]).post("/groups/lauftreff-altdorf/edit/", form).status_code == 403
    assert logged_in_client(town_a, people["outsider"]).get("/groups/lauftreff-altdorf/edit/").status_code == 403
    public_group.refresh_from_db()
    assert public_group.name == "Lauftreff Altdorf"

    response = logged_in_client(town_a, people["moderator"]).post("/groups/lauftreff-altdorf/edit/", form)

    assert response.status_code == 302
    public_group.refresh_from_db()
    assert (public_group.name, public_group.visibility, public_group.slug) == (
        "Lauftreff Altdorf e.V.", "closed", "lauftreff-altdorf")


def test_managers_of_the_owning_organisation_administer_its_group(town_a, people, feuerwehr, fire_manager):
    # given: a resident who edits for the fire brigade starts its group
    editor = UserFactory(email="jugendwart@example.org")

    MembershipFactory(user=editor, organisation=feuerwehr, role="editor")
    group = GroupFactory(admin=editor, name="Jugendfeuerwehr Altdorf", organisation=feuerwehr, visibility="closed")

    # when: the brigade's manager, who never joined, opens and edits it
    client = logged_in_client(town_a, fire_manager)
    feed = client.get(f"/groups/{group.slug}/")
    edit = client.post(f"/groups/{group.slug}/edit/", {"name": "Jugendfeuerwehr", "visibility": "closed",
                                                       "organisation": feuerwehr.pk})

    # then
    assert feed.status_code == 200
    assert f'action="/groups/{group.slug}/posts/new/"' in feed.content.decode()
    assert edit.status_code == 302
    group.refresh_from_db()
    assert group.name == "Jugendfeuerwehr"
    assert not Membership.objects.filter(group=group, user=fire_manager).exists()


def test_only_people_who_speak_for_an_organisation_can_name_it(people, feuerwehr):
    with pytest.raises(ValidationError) as error:
        services.group_create(acting_user=people["outsider"], name="Falsche Wehr", organisation=feuerwehr)
    assert "organisation" in error.value.message_dict
    assert not Group.objects.exists()


def test_signed_out_visitors_must_sign_in_to_start_a_group(client_a, in_town_a):
    response = client_a.post("/groups/new/", {"name": "Anonym", "visibility": "public"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Group.objects.exists()


def test_deactivated_people_cannot_start_groups(people):
    people["outsider"].is_active = False
    with pytest.raises(PermissionDenied):
        services.group_create(acting_user=people["outsider"], name="Geister")


def test_group_admins_and_the_towns_moderators_delete_a_group_members_cannot(town_a, public_group, closed_group,
                                                                             people):
    from tests.modules.groups.factories import PostFactory

    PostFactory(group=public_group, author=people["member"])
    assert logged_in_client(town_a, people["member"]).post("/groups/lauftreff-altdorf/delete/",
                                                     {"confirm": "on"}).status_code == 403
    assert logged_in_client(town_a, people["outsider"]).post("/groups/nachbarschaft-lindenweg/delete/",
                                                       {"confirm": "on"}).status_code == 404
    assert Group.objects.count() == 2

    logged_in_client(town_a, people["founder"]).post("/groups/lauftreff-altdorf/delete/", {"confirm": "on"})
    logged_in_client(town_a, people["moderator"]).post("/groups/nachbarschaft-lindenweg/delete/", {"confirm": "on"})

    assert not Group.objects.exists()


def test_the_town_admin_manages_a_closed_group_without_being_a_member(town_a, admin_client_a, closed_group, people):
    from modules.groups.models import Post
    from tests.modules.groups.factories import PostFactory

    post = PostFactory(group=closed_group, author=people["member"], text="Bitte löschen")
    assert admin_client_a.get("/groups/nachbarschaft-lindenweg/members/").status_code == 200
    assert admin_client_a.get("/groups/nachbarschaft-lindenweg/requests/").status_code == 200
    response = admin_client_a.post(f"/groups/nachbarschaft-lindenweg/posts/{post.pk}/delete/", {"confirm": "on"})
    assert response.status_code == 302
    assert not Post.objects.exists()


def test_a_name_taken_in_the_same_moment_is_refused_with_a_message(people, monkeypatch):
    # given: the check for existing names misses the twin made a moment ago by another request
    Group.objects.create(name="Boule-Freunde", slug="boule-freunde")
    monkeypatch.setattr(services, "_group_fields", lambda **kwargs: {
        "name": "Boule-Freunde", "slug": "boule-freunde", "description": "", "visibility": "public",
        "organisation": None, "ortsgemeinde": None})

    with pytest.raises(ValidationError) as error:
        services.group_create(acting_user=people["outsider"], name="Boule-Freunde")

    assert "name" in error.value.message_dict
    assert Group.objects.count() == 1 and not Membership.objects.exists()
