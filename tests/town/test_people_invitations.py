"""Admins invite editors, moderators and admins by e-mail; links are one-time, expire and stay in their town."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlparse

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import Role, User
from tests.accounts.factories import PASSWORD, OrganisationFactory, UserFactory
from tests.accounts.helpers import links_in
from tests.helpers import ADMIN_EMAIL, ADMIN_PASSWORD, TownClient, admin_of, host_of, logged_in_client
from town.models import Invitation, OrganisationMembership


def _invite(admin_client, mailoutbox, **data) -> str:
    """Send an invitation through the back office; return the path of the link in the mail."""
    response = admin_client.post("/backoffice/personen/invite/", data)
    assert response.status_code == 302, getattr(response, "context", None) and response.context["form"].errors
    link = next(url for url in links_in(mailoutbox[-1]) if "/einladung/" in url)
    assert urlparse(link).hostname == admin_client.host
    return urlparse(link).path


def test_new_person_accepts_editor_invitation_by_signing_up(town_a, admin_client_a, mailoutbox):
    # given the admin invites a new editor for the fire brigade
    with schema_context(town_a.schema_name):
        brigade = OrganisationFactory(name="Feuerwehr Kausen")
    path = _invite(admin_client_a, mailoutbox, email="Eddi@Example.org", role="editor", organisation=brigade.pk)
    assert mailoutbox[-1].to == ["eddi@example.org"]
    assert "Feuerwehr Kausen" in mailoutbox[-1].body

    # when Eddi opens the link and creates his account with the invited address
    eddi = TownClient(host_of(town_a))
    landing = eddi.get(path)
    assert landing.status_code == 200 and landing.context["signup_url"] == "/accounts/signup/"
    signup_page = eddi.get("/accounts/signup/")
    assert signup_page.context["form"].fields["email"].initial == "eddi@example.org"
    mails_before = len(mailoutbox)
    response = eddi.post("/accounts/signup/", {
        "name": "Eddi Editor", "email": "eddi@example.org", "password1": PASSWORD, "password2": PASSWORD,
        "privacy_consent": "on",
    })

    # then he is signed in at once (the invitation proved the address), is an editor
    # of the fire brigade, and the invitation is used up
    assert response.status_code == 302
    assert len(mailoutbox) == mails_before  # no second confirmation mail
    assert eddi.get("/konto/").status_code == 200
    with schema_context(town_a.schema_name):
        user = User.objects.get(email="eddi@example.org")
        assert user.role == Role.RESIDENT
        assert OrganisationMembership.objects.filter(user=user, organisation=brigade, role="editor").exists()
        assert EmailAddress.objects.get(user=user).verified
        assert Invitation.objects.get(email="eddi@example.org").accepted_at is not None
    # and the link does not work a second time
    assert TownClient(host_of(town_a)).get(path).status_code == 410


def test_signup_with_another_address_does_not_redeem_the_invitation(town_a, admin_client_a, mailoutbox):
    path = _invite(admin_client_a, mailoutbox, email="mod@example.org", role="moderator")
    visitor = TownClient(host_of(town_a))
    visitor.get(path)
    visitor.post("/accounts/signup/", {
        "name": "Somebody", "email": "other@example.org", "password1": PASSWORD, "password2": PASSWORD,
        "privacy_consent": "on",
    })
    with schema_context(town_a.schema_name):
        other = User.objects.get(email="other@example.org")
        assert other.role == Role.RESIDENT
        assert not EmailAddress.objects.get(user=other).verified  # must still confirm by mail
        assert Invitation.objects.get(email="mod@example.org").accepted_at is None


def test_existing_user_signs_in_and_accepts_moderator_invitation(town_a, admin_client_a, mailoutbox):
    # given Mia already has an account
    with schema_context(town_a.schema_name):
        mia = UserFactory(email="mia@example.org")
    path = _invite(admin_client_a, mailoutbox, email="mia@example.org", role="moderator")

    # when she opens the link, she is asked to sign in, and comes back to accept
    client = TownClient(host_of(town_a))
    landing = client.get(path)
    assert landing.context["login_url"] == f"/accounts/login/?next={path}"
    assert client.post(landing.context["login_url"], {"login": "mia@example.org", "password": PASSWORD}).url == path
    assert client.get(path).status_code == 200
    accepted = client.post(path)

    # then she is a moderator
    assert accepted.status_code == 302
    with schema_context(town_a.schema_name):
        assert User.objects.get(pk=mia.pk).role == Role.MODERATOR
    assert client.post(path).status_code == 410  # one time only


def test_admin_invitation_makes_an_admin(town_a, admin_client_a, mailoutbox):
    with schema_context(town_a.schema_name):
        rita = UserFactory(email="rita@example.org")
    path = _invite(admin_client_a, mailoutbox, email="rita@example.org", role="admin")
    logged_in_client(town_a, rita).post(path)
    with schema_context(town_a.schema_name):
        assert User.objects.get(pk=rita.pk).role == Role.ADMIN


def test_someone_else_signed_in_cannot_accept(town_a, admin_client_a, mailoutbox):
    with schema_context(town_a.schema_name):
        UserFactory(email="mia@example.org")
        bob = UserFactory(email="bob@example.org")
    path = _invite(admin_client_a, mailoutbox, email="mia@example.org", role="admin")
    response = logged_in_client(town_a, bob).post(path)
    assert response.status_code == 403
    with schema_context(town_a.schema_name):
        assert User.objects.get(pk=bob.pk).role == Role.RESIDENT
        assert Invitation.objects.get().accepted_at is None


def test_expired_invitation_changes_nothing(town_a, admin_client_a, mailoutbox):
    with schema_context(town_a.schema_name):
        mia = UserFactory(email="mia@example.org")
    path = _invite(admin_client_a, mailoutbox, email="mia@example.org", role="moderator")
    with schema_context(town_a.schema_name):
        Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    client = logged_in_client(town_a, mia)
    assert client.get(path).status_code == 410
    assert client.post(path).status_code == 410
    with schema_context(town_a.schema_name):
        assert User.objects.get(pk=mia.pk).role == Role.RESIDENT


def test_invitation_expires_after_seven_days(in_town_a, mailoutbox):
    from town.people_services import invitation_create

    invitation = invitation_create(email="x@example.org", role="moderator", acting_user=admin_of(in_town_a))
    assert timedelta(days=6, hours=23) < invitation.expires_at - timezone.now() <= timedelta(days=7)
    assert len(invitation.token) >= 40


def test_t4_invitation_link_of_a_does_nothing_on_b(town_a, town_b, admin_client_a, mailoutbox):
    # given A invites admin@example.org (the address both towns' admins share) ... as a fresh address
    with schema_context(town_b.schema_name):
        mia_b = UserFactory(email="mia@example.org")
    with schema_context(town_a.schema_name):
        UserFactory(email="mia@example.org")
    path = _invite(admin_client_a, mailoutbox, email="mia@example.org", role="admin")

    # when the link is opened on B's host by B's user with the same address
    client_b = logged_in_client(town_b, mia_b)
    page = client_b.get(path)
    post = client_b.post(path)

    # then B knows no such invitation and nothing in B changes
    assert page.status_code == 404 and post.status_code == 404
    assert page.context["reason"] == "unknown"
    with schema_context(town_b.schema_name):
        assert User.objects.get(pk=mia_b.pk).role == Role.RESIDENT
        assert not Invitation.objects.exists()
    # and an anonymous visitor on B gets nothing stashed for a signup
    anonymous = TownClient(host_of(town_b))
    anonymous.get(path)
    assert "account_verified_email" not in anonymous.session.keys()
    with schema_context(town_a.schema_name):
        assert Invitation.objects.get().accepted_at is None


def test_editor_invitation_needs_an_organisation(town_a, admin_client_a, mailoutbox):
    response = admin_client_a.post("/backoffice/personen/invite/", {"email": "e@example.org", "role": "editor"})
    assert response.status_code == 200 and response.context["form"].errors["organisation"]
    bad = admin_client_a.post("/backoffice/personen/invite/", {"email": "not-an-address", "role": "moderator"})
    assert bad.status_code == 200 and bad.context["form"].errors["email"]
    assert mailoutbox == []
    with schema_context(town_a.schema_name):
        assert not Invitation.objects.exists()


def test_admin_withdraws_an_invitation(town_a, admin_client_a, mailoutbox):
    path = _invite(admin_client_a, mailoutbox, email="mia@example.org", role="moderator")
    with schema_context(town_a.schema_name):
        invitation = Invitation.objects.get()
    assert "mia@example.org" in admin_client_a.get("/backoffice/personen/").content.decode()
    assert admin_client_a.post(f"/backoffice/invitations/{invitation.pk}/withdraw/").status_code == 302
    assert TownClient(host_of(town_a)).get(path).status_code == 404


def test_a_new_invitation_replaces_the_old_link(town_a, admin_client_a, mailoutbox):
    first = _invite(admin_client_a, mailoutbox, email="mia@example.org", role="moderator")
    second = _invite(admin_client_a, mailoutbox, email="mia@example.org", role="moderator")
    client = TownClient(host_of(town_a))
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


@pytest.mark.parametrize("token", ["x" * 65, "../../etc", "%00"])
def test_odd_tokens_are_a_friendly_404(client_a, token):
    response = client_a.get(f"/einladung/{token}/")
    assert response.status_code == 404


def test_invitation_accept_service_refuses_other_address(in_town_a):
    from town.people_services import InvitationInvalid, invitation_accept, invitation_create

    invitation = invitation_create(email="mia@example.org", role="admin", acting_user=admin_of(in_town_a))
    with pytest.raises(InvitationInvalid):
        invitation_accept(invitation=invitation, user=User.objects.get(email=ADMIN_EMAIL))
    assert ADMIN_PASSWORD  # the shared admin is untouched
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
