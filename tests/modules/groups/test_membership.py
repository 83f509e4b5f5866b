"""Joining, asking to join, deciding, leaving, removing and making admin; a group never loses its last admin."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from modules.groups import services
from modules.groups.models import JoinRequest, MemberRole, Membership, RequestStatus
from tests.accounts.factories import UserFactory
from tests.helpers import logged_in_client, shown
from tests.modules.groups.factories import GroupMembershipFactory


def test_a_resident_joins_a_public_group_at_once_with_notifications_on(town_a, public_group, people):
    client = logged_in_client(town_a, people["outsider"])

    response = client.post("/groups/lauftreff-altdorf/join/", {"confirm": "on"})

    assert response.status_code == 302
    membership = Membership.objects.get(group=public_group, user=people["outsider"])
    assert membership.role == MemberRole.MEMBER and membership.notify_posts is True
    # Joining twice changes nothing.
    client.post("/groups/lauftreff-altdorf/join/", {"confirm": "on"})
    assert Membership.objects.filter(group=public_group, user=people["outsider"]).count() == 1


def test_an_empty_join_post_is_refused(town_a, public_group, people):
    response = logged_in_client(town_a, people["outsider"]).post("/groups/lauftreff-altdorf/join/")
    assert response.status_code == 400
    assert not Membership.objects.filter(group=public_group, user=people["outsider"]).exists()


def test_a_closed_group_takes_a_request_with_a_message_and_tells_its_admins(town_a, closed_group, people, sent):
    client = logged_in_client(town_a, people["outsider"])

    response = client.post("/groups/nachbarschaft-lindenweg/join/",
                           {"confirm": "on", "message": "Ich wohne in Nummer 7."})

    assert response.status_code == 302
    request = JoinRequest.objects.get(group=closed_group)
    assert (request.user, request.message, request.status) == (people["outsider"], "Ich wohne in Nummer 7.",
                                                               RequestStatus.PENDING)
    assert not Membership.objects.filter(group=closed_group, user=people["outsider"]).exists()
    (notice,) = sent
    assert notice["user_ids"] == [people["founder"].pk]
    assert notice["event"] == "groups.join_request"
    assert notice["url"] == "/groups/nachbarschaft-lindenweg/requests/"
    # Asking again while waiting is refused with a message.
    again = client.post("/groups/nachbarschaft-lindenweg/join/", {"confirm": "on"})
    assert again.status_code == 400
    assert JoinRequest.objects.filter(group=closed_group).count() == 1
    assert shown("You have already asked to join. The group admins will decide soon.") in again.content.decode()


def test_an_oversized_request_message_is_refused(closed_group, people):
    with pytest.raises(ValidationError) as error:
        services.join_request_create(group=closed_group, acting_user=people["outsider"], message="x" * 501)
    assert "message" in error.value.message_dict
    assert not JoinRequest.objects.exists()


def test_a_public_group_cannot_be_asked_and_a_closed_one_cannot_be_joined_directly(public_group, closed_group,
                                                                                     people):
    with pytest.raises(ValidationError):
        services.join_request_create(group=public_group, acting_user=people["outsider"])
    with pytest.raises(ValidationError):
        services.group_join(group=closed_group, acting_user=people["outsider"])
    assert not JoinRequest.objects.exists()
    assert not Membership.objects.filter(user=people["outsider"]).exists()


def test_approving_makes_a_member_and_tells_the_requester(town_a, closed_group, people, sent):
    request = services.join_request_create(group=closed_group, acting_user=people["outsider"])
    sent.clear()

    response = logged_in_client(town_a, people["founder"]).post(
        f"/groups/nachbarschaft-lindenweg/requests/{request.pk}/decide/", {"decision": "approve"})

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED and request.decided_by == people["founder"]
    assert Membership.objects.filter(group=closed_group, user=people["outsider"]).exists()
    (notice,) = sent
    assert notice["user_ids"] == [people["outsider"].pk] and notice["event"] == "groups.join_decision"
    # The new member now reads the feed.
    assert logged_in_client(
        town_a,
        people["outsider"],
    ).get("/groups/nachbarschaft-lindenweg/members/").status_code == 200


def test_declining_keeps_the_group_closed_and_tells_the_requester(town_a, closed_group, people, sent):
    request = services.join_request_create(group=closed_group, acting_user=people["outsider"])
    sent.clear()

    logged_in_client(town_a, people["founder"]).post(
        f"/groups/nachbarschaft-lindenweg/requests/{request.pk}/decide/", {"decision": "decline"})

    request.refresh_from_db()
    assert request.status == RequestStatus.DECLINED
    assert not Membership.objects.filter(group=closed_group, user=people["outsider"]).exists()
    assert [n["user_ids"] for n in sent] == [[people["outsider"].pk]]
    assert _("Your request to join %(group)s was declined.") % {"group": closed_group.name} == sent[0]["title"]
    # Deciding twice is refused.
    with pytest.raises(ValidationError):
        services.join_request_decide(join_request=request, acting_user=people["founder"], approve=True)


def test_plain_members_cannot_decide_requests(town_a, closed_group, people):
    request = services.join_request_create(group=closed_group, acting_user=people["outsider"])
    client = logged_in_client(town_a, people["member"])
    assert client.get("/groups/nachbarschaft-lindenweg/requests/").status_code == 403
    response = client.post(f"/groups/nachbarschaft-lindenweg/requests/{request.pk}/decide/",
                           {"decision": "approve"})
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING


def test_a_member_leaves(town_a, public_group, people):
    response = logged_in_client(town_a, people["member"]).post("/groups/lauftreff-altdorf/leave/", {"confirm": "on"})
    assert response.status_code == 302
    assert not Membership.objects.filter(group=public_group, user=people["member"]).exists()


def test_the_last_admin_can_neither_leave_nor_be_demoted_nor_removed(town_a, public_group, people):
    founder_membership = Membership.objects.get(group=public_group, user=people["founder"])
    client = logged_in_client(town_a, people["founder"])

    client.post("/groups/lauftreff-altdorf/leave/", {"confirm": "on"})
    client.post(f"/groups/lauftreff-altdorf/members/{founder_membership.pk}/role/", {"role": "member"})
    client.post(f"/groups/lauftreff-altdorf/members/{founder_membership.pk}/remove/", {"confirm": "on"})
    with pytest.raises(ValidationError) as error:
        services.membership_leave(group=public_group, acting_user=people["founder"])

    founder_membership.refresh_from_db()
    assert founder_membership.role == MemberRole.ADMIN
    assert error.value.code == "last_admin"


def test_an_admin_makes_another_member_admin_then_may_step_down(town_a, public_group, people):
    member = Membership.objects.get(group=public_group, user=people["member"])
    client = logged_in_client(town_a, people["founder"])

    client.post(f"/groups/lauftreff-altdorf/members/{member.pk}/role/", {"role": "admin"})
    client.post("/groups/lauftreff-altdorf/leave/", {"confirm": "on"})

    member.refresh_from_db()
    assert member.role == MemberRole.ADMIN
    assert not Membership.objects.filter(group=public_group, user=people["founder"]).exists()


def test_an_organisation_owned_group_may_lose_its_last_member_admin(public_group, people, feuerwehr, fire_manager):
    # The brigade's managers keep administering it.
    public_group.organisation = feuerwehr
    public_group.save()
    services.membership_leave(group=public_group, acting_user=people["founder"])
    assert not Membership.objects.filter(group=public_group, role=MemberRole.ADMIN).exists()


def test_admins_remove_members_but_members_cannot(town_a, public_group, people):
    other = UserFactory(email="zweites.mitglied@example.org")
    other_membership = GroupMembershipFactory(group=public_group, user=other)
    assert logged_in_client(town_a, people["member"]).post(
        f"/groups/lauftreff-altdorf/members/{other_membership.pk}/remove/", {"confirm": "on"}).status_code == 403
    assert Membership.objects.filter(pk=other_membership.pk).exists()

    logged_in_client(town_a, people["founder"]).post(
        f"/groups/lauftreff-altdorf/members/{other_membership.pk}/remove/", {"confirm": "on"})

    assert not Membership.objects.filter(pk=other_membership.pk).exists()


def test_members_list_is_for_members_of_closed_groups_and_for_everyone_signed_in_of_public_ones(
    town_a, client_a, public_group, closed_group, people
):
    outsider = logged_in_client(town_a, people["outsider"])
    public_page = outsider.get("/groups/lauftreff-altdorf/members/")
    assert public_page.status_code == 200
    assert "Max M." in public_page.content.decode()
    assert "max.mitglied@example.org" not in public_page.content.decode()
    assert outsider.get("/groups/nachbarschaft-lindenweg/members/").status_code == 404
    assert logged_in_client(
        town_a,
        people["member"],
    ).get("/groups/nachbarschaft-lindenweg/members/").status_code == 200
    anonymous = client_a.get("/groups/lauftreff-altdorf/members/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_the_notification_switch_on_the_group_page(town_a, public_group, people):
    client = logged_in_client(town_a, people["member"])
    client.post("/groups/lauftreff-altdorf/notifications/", {"notify": "off"})
    assert Membership.objects.get(group=public_group, user=people["member"]).notify_posts is False
    client.post("/groups/lauftreff-altdorf/notifications/", {"notify": "on"})
    assert Membership.objects.get(group=public_group, user=people["member"]).notify_posts is True


def test_an_outsider_cannot_act_as_admin(public_group, people):
    membership = Membership.objects.get(group=public_group, user=people["member"])
    with pytest.raises(PermissionDenied):
        services.membership_set_role(membership=membership, role="admin", acting_user=people["outsider"])
    membership.refresh_from_db()
    assert membership.role == MemberRole.MEMBER
