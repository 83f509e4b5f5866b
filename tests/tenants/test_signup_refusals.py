"""Every refused signup says why and creates nothing (issue 2, ISOLATION T12)."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import check_password
from django.core import mail
from django.core.exceptions import ValidationError

from tenants.models import SignupStatus, TownSignup
from tenants.services import town_signup_create
from tests.outbox_helpers import outbox_run_pending
from tests.tenants.factories import TownSignupFactory
from tests.tenants.helpers import SIGNUP_PASSWORD, public_counts, signup_data

SIGNUP_URL = "/registrieren/"


def _post_refused(client, data: dict, field: str) -> list[str]:
    before = public_counts()
    response = client.post(SIGNUP_URL, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert public_counts() == before
    assert mail.outbox == []
    return errors[field]


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("www", "ist reserviert"),
        ("admin", "ist reserviert"),
        ("api", "ist reserviert"),
        ("mail", "ist reserviert"),
        ("static", "ist reserviert"),
        ("public", "ist reserviert"),
        ("altdorf", "ist bereits vergeben"),  # town A
        ("Grossdorf", "Kleinbuchstaben"),
        ("müllerdorf", "keine Umlaute"),
        ("a" * 41, "zwischen 3 und 40"),
        ("ab", "zwischen 3 und 40"),
        ("-abcdorf", "keinen Bindestrich am Anfang"),
        ("abcdorf-", "keinen Bindestrich am Anfang"),
        ("ab_dorf", "Verwenden Sie nur Kleinbuchstaben a–z"),
        ("ab--dorf", "Zwei Bindestriche"),
        ("xn--dorf", "Zwei Bindestriche"),  # punycode never gets through
    ],
)
def test_malformed_reserved_or_taken_subdomain_is_refused(public_client, slug, expected):
    # when
    errors = _post_refused(public_client, signup_data(slug=slug), "slug")

    # then
    assert any(expected in str(error) for error in errors), errors


def test_bad_email_is_refused(public_client):
    errors = _post_refused(public_client, signup_data(admin_email="nora-at-neudorf"), "admin_email")
    assert errors


@pytest.mark.parametrize(
    "password",
    ["kurz1", "password123", "12345678901234", "nora@neudorf.example"],
    ids=["too-short", "common", "numeric", "like-the-email"],
)
def test_weak_password_is_refused(public_client, password):
    errors = _post_refused(public_client, signup_data(password=password), "password")
    assert errors


@pytest.mark.parametrize("consent", ["accept_terms", "accept_dpa"])
def test_missing_consent_is_refused(public_client, consent):
    errors = _post_refused(public_client, signup_data(**{consent: None}), consent)
    assert "Bitte akzeptieren Sie" in errors[0]


def test_missing_name_and_kind_are_refused(public_client):
    before = public_counts()
    response = public_client.post(SIGNUP_URL, signup_data(name="", kind="dorf"))
    assert set(response.context["form"].errors) == {"name", "kind"}
    assert public_counts() == before


def test_duplicate_submission_is_refused_with_a_clear_message(public_client):
    # given: the form was sent once
    first = public_client.post(SIGNUP_URL, signup_data())
    assert first.status_code == 302
    outbox_run_pending()
    assert len(mail.outbox) == 1
    before = public_counts()

    # when: it is sent again (double click, back button)
    errors = public_client.post(SIGNUP_URL, signup_data()).context["form"].errors

    # then
    assert "läuft bereits eine Registrierung" in errors["slug"][0]
    assert public_counts() == before
    outbox_run_pending()
    assert len(mail.outbox) == 1


def test_a_race_past_the_form_is_caught_by_the_service(db):
    # given
    town_signup_create(**{k: v for k, v in signup_data().items() if not k.startswith("accept")})

    # when / then: the service refuses what the form would have refused
    with pytest.raises(ValidationError, match="läuft bereits eine Registrierung"):
        town_signup_create(**{k: v for k, v in signup_data().items() if not k.startswith("accept")})
    assert TownSignup.objects.count() == 1


def test_a_failed_signup_frees_the_subdomain(public_client):
    # given
    TownSignupFactory(admin_name="X", admin_email="x@example.org", status=SignupStatus.FAILED)

    # when
    response = public_client.post(SIGNUP_URL, signup_data())

    # then
    assert response.status_code == 302
    assert TownSignup.objects.filter(slug="neudorf").count() == 2


def test_an_accepted_signup_stores_only_a_password_hash(public_client):
    # when
    response = public_client.post(SIGNUP_URL, signup_data(admin_email="Nora@Neudorf.Example"))

    # then
    signup = TownSignup.objects.get()
    assert response["Location"] == f"/registrieren/{signup.pk}/"
    assert signup.status == SignupStatus.AWAITING_CONFIRMATION
    assert signup.admin_email == "nora@neudorf.example"
    assert SIGNUP_PASSWORD not in signup.admin_password_hash
    assert check_password(SIGNUP_PASSWORD, signup.admin_password_hash)
    assert signup.accepted_terms_at is not None
    # The mail is the worker's job, never the request's (a stuck mail relay must not hold a web worker).
    assert mail.outbox == []
    outbox_run_pending()
    assert mail.outbox[0].to == ["nora@neudorf.example"]
    assert f"/registrieren/{signup.pk}/bestaetigen/" in mail.outbox[0].body


def test_signup_form_page_renders(public_client):
    response = public_client.get(SIGNUP_URL)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="slug"' in body and 'href="/nutzungsbedingungen/"' in body and 'href="/av-vertrag/"' in body


def test_signup_is_not_offered_on_a_town_host(client_a):
    assert client_a.get(SIGNUP_URL).status_code == 404
