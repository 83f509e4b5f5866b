"""Issue 11 §4: inviting a Verein's first editor is one form (organisation chosen or created there,
no slug to type), open invitations are listed with resend/withdraw, and the new editor lands on
"write your first post" with the Verein preselected."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlparse

from django.utils import timezone
from django_tenants.utils import schema_context

from tests.accounts.factories import PASSWORD, UserFactory
from tests.accounts.helpers import links_in
from tests.helpers import TownClient, host_of, logged_in_client
from tests.town.factories import MembershipFactory, OrganisationFactory
from town.models import Invitation, Organisation, OrganisationMembership


def test_admin_invites_the_first_editor_of_a_new_verein_in_one_form(town_a, admin_client_a, mailoutbox):
    # when the admin invites Eva and names a Verein the town doesn't have yet
    response = admin_client_a.post("/backoffice/personen/invite/", {
        "email": "eva@example.org", "role": "editor", "organisation": "",
        "new_organisation_name": "Musikverein Kausen 1921", "new_organisation_kind": "verein",
    })

    # then the Verein exists with an address made from its name, Eva is mailed, and the
    # Verein's member page lists her invitation (not "no members" and nothing else)
    with schema_context(town_a.schema_name):
        verein = Organisation.objects.get(name="Musikverein Kausen 1921")
        assert verein.slug == "musikverein-kausen-1921" and verein.kind == "verein"
        assert Invitation.objects.get(email="eva@example.org").organisation == verein
    assert response.status_code == 302 and response.url == f"/backoffice/organisationen/{verein.slug}/members/"
    assert mailoutbox[-1].to == ["eva@example.org"]
    page = admin_client_a.get(response.url).content.decode()
    assert "eva@example.org" in page
    assert f"/backoffice/organisationen/{verein.slug}/invitations/" in page  # resend and withdraw


def test_a_second_verein_with_the_same_slug_gets_a_free_address(in_town_a):
    from tests.helpers import admin_of
    from town.people_services import organisation_create

    admin = admin_of(in_town_a)
    first = organisation_create(acting_user=admin, name="SV Grün-Weiß")
    second = organisation_create(acting_user=admin, name="SV Grün Weiß")
    assert (first.slug, second.slug) == ("sv-gruen-weiss", "sv-gruen-weiss-2")


def test_invite_form_refuses_both_or_a_known_name_and_changes_nothing(town_a, admin_client_a, mailoutbox):
    with schema_context(town_a.schema_name):
        brigade = OrganisationFactory(name="Feuerwehr Kausen")
        count = Organisation.objects.count()
    both = admin_client_a.post("/backoffice/personen/invite/", {
        "email": "e@example.org", "role": "editor", "organisation": brigade.pk,
        "new_organisation_name": "Noch ein Verein", "new_organisation_kind": "verein",
    })
    known = admin_client_a.post("/backoffice/personen/invite/", {
        "email": "e@example.org", "role": "editor", "organisation": "",
        "new_organisation_name": "feuerwehr kausen", "new_organisation_kind": "verein",
    })
    assert both.status_code == 200 and both.context["form"].errors["new_organisation_name"]
    assert known.status_code == 200 and known.context["form"].errors["new_organisation_name"]
    assert mailoutbox == []
    with schema_context(town_a.schema_name):
        assert Organisation.objects.count() == count and not Invitation.objects.exists()


def test_organisation_form_makes_the_slug_from_the_name(town_a, admin_client_a):
    response = admin_client_a.post("/backoffice/organisationen/new/", {
        "name": "Förderverein Grundschule", "slug": "", "kind": "verein",
    })
    assert response.status_code == 302
    with schema_context(town_a.schema_name):
        assert Organisation.objects.get(name="Förderverein Grundschule").slug == "foerderverein-grundschule"


def test_manager_resends_and_withdraws_an_invitation_of_their_verein(town_a, mailoutbox):
    with schema_context(town_a.schema_name):
        verein = OrganisationFactory(name="Heimatverein")
        other = OrganisationFactory(name="Sportverein")
        manager = MembershipFactory(organisation=verein, role="manager").user
        outsider = MembershipFactory(organisation=other, role="manager").user
    client = logged_in_client(town_a, manager)
    client.post(f"/backoffice/organisationen/{verein.slug}/members/", {"email": "neu@example.org", "role": "editor"})
    with schema_context(town_a.schema_name):
        invitation = Invitation.objects.get(email="neu@example.org")
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    base = f"/backoffice/organisationen/{verein.slug}/invitations/{invitation.pk}"

    # another Verein's manager can do neither
    assert logged_in_client(town_a, outsider).post(f"{base}/resend/").status_code == 403
    assert logged_in_client(town_a, outsider).post(
        f"/backoffice/organisationen/{other.slug}/invitations/{invitation.pk}/withdraw/").status_code == 404

    # resend: mailed again with the same link, valid for seven more days
    mails = len(mailoutbox)
    assert client.post(f"{base}/resend/").status_code == 302
    assert len(mailoutbox) == mails + 1 and any(invitation.token in url for url in links_in(mailoutbox[-1]))
    with schema_context(town_a.schema_name):
        assert Invitation.objects.get(pk=invitation.pk).expires_at > timezone.now() + timedelta(days=6)

    # withdraw: gone, the link no longer works
    assert client.post(f"{base}/withdraw/").status_code == 302
    with schema_context(town_a.schema_name):
        assert not Invitation.objects.filter(pk=invitation.pk).exists()


def test_admin_resends_from_the_people_page_and_b_cannot(town_a, town_b, admin_client_a, admin_client_b,
                                                         mailoutbox):
    admin_client_a.post("/backoffice/personen/invite/", {"email": "mod@example.org", "role": "moderator"})
    with schema_context(town_a.schema_name):
        invitation = Invitation.objects.get()
    people_page = admin_client_a.get("/backoffice/personen/").content.decode()
    assert f"/backoffice/invitations/{invitation.pk}/resend/" in people_page
    assert admin_client_b.post(f"/backoffice/invitations/{invitation.pk}/resend/").status_code == 404
    mails = len(mailoutbox)
    assert admin_client_a.post(f"/backoffice/invitations/{invitation.pk}/resend/").status_code == 302
    assert len(mailoutbox) == mails + 1


def test_new_editor_lands_on_write_your_first_post_with_the_verein_preselected(town_a, admin_client_a, mailoutbox):
    # given an invitation for a new Verein's editor
    admin_client_a.post("/backoffice/personen/invite/", {
        "email": "eddi@example.org", "role": "editor", "organisation": "",
        "new_organisation_name": "Theatergruppe Elkenroth", "new_organisation_kind": "verein",
    })
    path = urlparse(next(url for url in links_in(mailoutbox[-1]) if "/einladung/" in url)).path
    with schema_context(town_a.schema_name):
        verein = Organisation.objects.get(name="Theatergruppe Elkenroth")

    # when Eddi opens the link and signs up
    eddi = TownClient(host_of(town_a))
    eddi.get(path)
    response = eddi.post("/accounts/signup/", {
        "name": "Eddi Editor", "email": "eddi@example.org", "password1": PASSWORD, "privacy_consent": "on",
        "password2": PASSWORD,
    })

    # then he lands on the news form, titled for his first post, with his Verein chosen
    assert response.status_code == 302
    assert response.url == f"/news/manage/new/?organisation={verein.pk}&erster=1"
    page = eddi.get(response.url)
    assert page.status_code == 200 and page.context["first_post"]
    assert page.context["form"].initial["organisation"] == verein.pk
    assert "Theatergruppe Elkenroth" in page.content.decode()
    with schema_context(town_a.schema_name):
        assert OrganisationMembership.objects.filter(user__email="eddi@example.org", organisation=verein).exists()


def test_existing_person_accepting_also_lands_on_the_first_post(town_a, admin_client_a, mailoutbox):
    with schema_context(town_a.schema_name):
        mia = UserFactory(email="mia@example.org")
        verein = OrganisationFactory(name="Landfrauen")
    admin_client_a.post("/backoffice/personen/invite/", {"email": "mia@example.org", "role": "editor",
                                                         "organisation": verein.pk})
    path = urlparse(next(url for url in links_in(mailoutbox[-1]) if "/einladung/" in url)).path
    accepted = logged_in_client(town_a, mia).post(path)
    assert accepted.url == f"/news/manage/new/?organisation={verein.pk}&erster=1"


def test_an_ortsbuergermeister_is_invited_for_one_village(town_a, admin_client_a, mailoutbox):
    from tests.town.factories import OrtsgemeindeFactory
    from town.models import VillageEditor

    with schema_context(town_a.schema_name):
        village = OrtsgemeindeFactory(name="Kausen", slug="kausen-einladung")
        mayor = UserFactory(email="ob@example.org")
    missing = admin_client_a.post("/backoffice/personen/invite/", {"email": "ob@example.org", "role": "village"})
    assert missing.status_code == 200 and missing.context["form"].errors["ortsgemeinde"]

    admin_client_a.post("/backoffice/personen/invite/", {"email": "ob@example.org", "role": "village",
                                                         "ortsgemeinde": village.pk})
    path = urlparse(next(url for url in links_in(mailoutbox[-1]) if "/einladung/" in url)).path
    accepted = logged_in_client(town_a, mayor).post(path)

    assert accepted.url == f"/news/manage/new/?ortsgemeinde={village.pk}&erster=1"
    with schema_context(town_a.schema_name):
        assert list(VillageEditor.objects.filter(user=mayor).values_list("ortsgemeinde_id", flat=True)) == [village.pk]
        assert Invitation.objects.get(email="ob@example.org").accepted_at is not None
    assert "Kausen" in admin_client_a.get("/backoffice/personen/").content.decode()  # listed as its editor
