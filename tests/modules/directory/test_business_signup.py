"""A business signs up, the town approves or rejects it (with a reason by e-mail), the owner runs the entry."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.models import Role
from modules.directory import services
from modules.directory.models import Business, BusinessStatus
from tests.accounts.factories import UserFactory, town_admin
from tests.helpers import logged_in_client
from tests.modules.directory.factories import BusinessCategoryFactory, BusinessFactory
from town.models import MembershipRole, Organisation, OrganisationKind, OrganisationMembership
from town.people_services import user_can_publish_for


def test_signup_creates_an_unapproved_business_organisation(
    in_town_a, village, client_a, mails_sent_now, django_capture_on_commit_callbacks
):
    # given
    baker = UserFactory(email="baecker@example.org", ortsgemeinde=village)
    moderator = UserFactory(email="moderatorin@example.org", role=Role.MODERATOR)
    client = logged_in_client(in_town_a, baker)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/directory/register/", {
            "name": "Bäckerei Klein", "description": "Brot aus dem Holzofen.", "categories": [BusinessCategoryFactory(
                slug="baeckerei",
            ).pk],
            "street": "Hauptstraße 3", "postal_code": "57520", "locality": "Oberdorf", "ortsgemeinde": village.pk,
            "phone": "02741 1234", "website": "https://baeckerei-klein.example", "delivers": "on",
        })
    # then
    business = Business.objects.get(name="Bäckerei Klein")
    assert response.status_code == 302
    assert response["Location"] == f"/directory/manage/{business.slug}/"
    assert business.status == BusinessStatus.PENDING
    organisation = business.organisation
    assert organisation.kind == OrganisationKind.BUSINESS
    assert organisation.is_approved is False
    assert business.applicant == baker
    # no membership yet: it would let the applicant publish news in the organisation's name
    assert not OrganisationMembership.objects.filter(organisation=organisation).exists()
    assert not user_can_publish_for(baker, organisation)
    # but the applicant may complete the entry meanwhile
    assert client.get(f"/directory/manage/{business.slug}/hours/").status_code == 200
    assert business.name in client.get("/directory/mine/").content.decode()
    # the town's moderators and admins hear about it, each in a mail of their own
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert moderator.email in recipients and town_admin().email in recipients
    assert all(len(message.to) == 1 for message in mail.outbox)
    # invisible until approved
    assert client_a.get(f"/directory/{business.slug}/").status_code == 404
    assert business.name not in client_a.get("/directory/").content.decode()


def test_signing_up_needs_an_account(client_a):
    response = client_a.get("/directory/register/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_moderator_approves_and_the_applicant_is_told(in_town_a, client_a, mails_sent_now,
                                                        django_capture_on_commit_callbacks):
    # given
    owner = UserFactory(email="hofladen@example.org")
    business = BusinessFactory(name="Hofladen Wiese", owner=owner, approve=False)
    moderator = UserFactory(email="mod@example.org", role=Role.MODERATOR)
    back_office = logged_in_client(in_town_a, moderator)
    assert business.name in back_office.get("/directory/manage/applications/").content.decode()
    mail.outbox.clear()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = back_office.post(f"/directory/manage/applications/{business.slug}/approve/")
    # then
    assert response.status_code == 302
    business.refresh_from_db()
    assert business.status == BusinessStatus.APPROVED
    assert business.reviewed_by == moderator
    assert Organisation.objects.get(pk=business.organisation_id).is_approved
    membership = OrganisationMembership.objects.get(organisation_id=business.organisation_id)
    assert (membership.user, membership.role) == (owner, MembershipRole.MANAGER)
    assert [message.to for message in mail.outbox] == [[owner.email]]
    assert f"/directory/manage/{business.slug}/" in mail.outbox[0].body
    assert client_a.get(f"/directory/{business.slug}/").status_code == 200


def test_rejection_needs_a_reason_and_sends_it_to_the_applicant(in_town_a, mails_sent_now,
                                                                django_capture_on_commit_callbacks):
    # given
    owner = UserFactory(email="imbiss@example.org")
    business = BusinessFactory(name="Imbiss Ecke", owner=owner, approve=False)
    back_office = logged_in_client(in_town_a, town_admin())
    mail.outbox.clear()
    # when: no reason
    response = back_office.post(f"/directory/manage/applications/{business.slug}/reject/", {"reason": "  "})
    # then: a clear message, nothing changed, nobody mailed
    assert response.status_code == 400
    assert _("This field is required.") in response.content.decode()
    business.refresh_from_db()
    assert business.status == BusinessStatus.PENDING
    assert mail.outbox == []
    # when: with a reason
    with django_capture_on_commit_callbacks(execute=True):
        response = back_office.post(f"/directory/manage/applications/{business.slug}/reject/",
                                    {"reason": "Bitte die vollständige Adresse angeben."})
    # then
    assert response.status_code == 302
    business.refresh_from_db()
    assert business.status == BusinessStatus.REJECTED
    assert [message.to for message in mail.outbox] == [[owner.email]]
    assert "Bitte die vollständige Adresse angeben." in mail.outbox[0].body
    # the owner sees the reason, corrects the entry and submits again
    owner_client = logged_in_client(in_town_a, owner)
    page = owner_client.get(f"/directory/manage/{business.slug}/").content.decode()
    assert "Bitte die vollständige Adresse angeben." in page
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(f"/directory/manage/{business.slug}/resubmit/")
    business.refresh_from_db()
    assert business.status == BusinessStatus.PENDING


def test_residents_cannot_review(in_town_a):
    business = BusinessFactory(name="Kiosk", approve=False)
    resident = UserFactory(email="neugierig@example.org")
    client = logged_in_client(in_town_a, resident)
    assert client.get("/directory/manage/applications/").status_code == 403
    assert client.post(f"/directory/manage/applications/{business.slug}/approve/").status_code == 403
    business.refresh_from_db()
    assert business.status == BusinessStatus.PENDING
    with pytest.raises(PermissionDenied):
        services.business_approve(business=business, acting_user=resident)


def test_the_owner_edits_the_entry_and_others_cannot(in_town_a, village, client_a):
    # given
    owner = UserFactory(email="metzger@example.org")
    business = BusinessFactory(name="Metzgerei Roth", owner=owner)
    owner_client = logged_in_client(in_town_a, owner)
    # when
    response = owner_client.post(f"/directory/manage/{business.slug}/", {
        "name": "Metzgerei Roth & Sohn", "description": "Wurst aus eigener Schlachtung.",
        "categories": [BusinessCategoryFactory(
            slug="metzgerei",
        ).pk], "ortsgemeinde": village.pk, "phone": "02741 999",
        "pickup": "on", "is_published": "on", "latitude": "50.704520", "longitude": "7.795100",
    })
    # then
    assert response.status_code == 302
    business.refresh_from_db()
    assert business.name == "Metzgerei Roth & Sohn"
    assert business.pickup and not business.delivers
    assert Organisation.objects.get(pk=business.organisation_id).name == "Metzgerei Roth & Sohn"
    assert "Wurst aus eigener Schlachtung" in client_a.get(f"/directory/{business.slug}/").content.decode()
    # another resident is refused, and the entry stays as it is
    stranger = logged_in_client(in_town_a, UserFactory(email="fremd@example.org"))
    assert stranger.get(f"/directory/manage/{business.slug}/").status_code == 403
    assert stranger.post(f"/directory/manage/{business.slug}/", {"name": "Übernommen"}).status_code == 403
    business.refresh_from_db()
    assert business.name == "Metzgerei Roth & Sohn"


def test_the_owner_can_take_the_entry_offline(in_town_a, client_a):
    owner = UserFactory(email="pause@example.org")
    business = BusinessFactory(name="Café Pause", owner=owner)
    services.business_update(business=business, acting_user=owner, data={"is_published": False})
    assert client_a.get(f"/directory/{business.slug}/").status_code == 404


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "Laden", "website": "javascript:alert(1)"}, "website"),
        ({"name": "Laden", "postal_code": "123"}, "postal_code"),
        ({"name": "Laden", "latitude": "50.1"}, "latitude"),
        ({"name": "Laden", "latitude": "95", "longitude": "7"}, "latitude"),
    ],
)
def test_bad_entries_are_refused_with_a_message_and_nothing_is_stored(in_town_a, data, field):
    # given
    applicant = UserFactory(email="falsch@example.org")
    client = logged_in_client(in_town_a, applicant)
    organisations = Organisation.objects.count()
    # when
    response = client.post("/directory/register/", data)
    # then
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert Business.objects.count() == 0
    assert Organisation.objects.count() == organisations
    with pytest.raises(ValidationError) as error:
        services.business_register(acting_user=applicant, **data)
    assert field in error.value.message_dict


def test_business_slugs_never_shadow_the_modules_own_paths(in_town_a):
    business = BusinessFactory(name="Register")
    assert business.slug == "register-2"
