"""The platform's own providers: account, town, API tokens and billing in a person's export and erasure."""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from api.models import ApiToken
from api.services import api_token_create
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from billing.models import StripeCustomer
from core.personal_data import personal_data_erase
from tests.accounts.factories import MembershipFactory, OrganisationFactory, OrtsgemeindeFactory
from tests.core.personal_data_helpers import flat, person, section
from town.models import Invitation, OrganisationMembership, ResidentProfile

pytestmark = pytest.mark.django_db


def test_account_export_names_her_addresses_and_second_factor_but_no_secret(in_town_a):
    anna = person("anna@example.org", "Anna Albers")
    person("bert@example.org", "Bert Brandt")
    Authenticator.objects.create(user=anna, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})

    data = section(anna, "account")

    assert data["profile"]["name"] == "Anna Albers"
    assert data["email_addresses"] == [{"email": "anna@example.org", "verified": True, "primary": True}]
    assert [factor["type"] for factor in data["two_factor"]] == ["totp"]
    assert "JBSWY3DPEHPK3PXP" not in flat(data) and "bert" not in flat(data)


@pytest.fixture
def town_people(in_town_a):
    anna, bert = person("anna@example.org", "Anna Albers"), person("bert@example.org", "Bert Brandt")
    village = OrtsgemeindeFactory(name="Kausen")
    ResidentProfile.objects.create(user=anna, ortsgemeinde=village)
    ResidentProfile.objects.create(user=bert, ortsgemeinde=village)
    club = OrganisationFactory(name="TuS Kausen")
    MembershipFactory(organisation=club, user=anna)
    MembershipFactory(organisation=club, user=bert)
    expires = timezone.now() + timedelta(days=7)
    Invitation.objects.create(email="Anna@example.org", role="editor", organisation=club, expires_at=expires)
    sent = Invitation.objects.create(email="carla@example.org", role="editor", organisation=club,
                                     invited_by=anna, expires_at=expires)
    return {"anna": anna, "bert": bert, "club": club, "sent": sent}


def test_town_export_holds_her_village_memberships_and_invitations(town_people):
    data = section(town_people["anna"], "town")

    assert data["ortsgemeinde"] == "Kausen"
    assert [m["organisation"] for m in data["memberships"]] == ["TuS Kausen"]
    assert [i["role"] for i in data["invitations_received"]] == ["editor"]
    assert len(data["invitations_sent"]) == 1
    assert "carla@example.org" not in flat(data) and "token" not in flat(data)


def test_town_erase_removes_her_ties_and_keeps_the_club_and_berts(town_people):
    personal_data_erase(town_people["anna"])

    assert list(ResidentProfile.objects.values_list("user_id", flat=True)) == [town_people["bert"].pk]
    assert list(OrganisationMembership.objects.values_list("user_id", flat=True)) == [town_people["bert"].pk]
    assert list(Invitation.objects.values_list("email", "invited_by")) == [("carla@example.org", None)]


def test_api_export_lists_tokens_without_their_secrets(in_town_a):
    anna, bert = person("anna@example.org"), person("bert@example.org")
    issued = api_token_create(user=anna, name="Kalender-App")
    api_token_create(user=bert, name="Berts App")

    data = section(anna, "api")

    assert [(t["name"], t["prefix"]) for t in data["tokens"]] == [("Kalender-App", issued.token.prefix)]
    assert issued.secret not in flat(data) and issued.token.key_hash not in flat(data)
    assert "Berts App" not in flat(data)
    personal_data_erase(anna)
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["Berts App"]


def test_billing_exports_her_invoice_contact_in_this_town_only_and_keeps_it(town_a, town_b):
    with schema_context("public"):
        for town, city in ((town_a, "Altdorf"), (town_b, "Bergdorf")):
            StripeCustomer.objects.create(tenant=town, organisation_id=1, name="Bäckerei Albers",
                                          email="anna@example.org", city=city)
    with tenant_context(town_a):
        anna = person("anna@example.org", "Anna Albers")

        data = section(anna, "billing")
        assert [c["city"] for c in data["invoice_contacts"]] == ["Altdorf"]

        personal_data_erase(anna)
    # Invoices and their contacts are kept for ten years (§ 147 AO), in both towns.
    with schema_context("public"):
        assert StripeCustomer.objects.filter(email="anna@example.org").count() == 2
