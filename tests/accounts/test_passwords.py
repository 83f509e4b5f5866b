"""New passwords are refused when they are guessable here: the town's words, the person's own, leaked lists."""

from __future__ import annotations

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from accounts.models import User
from demo import data as demo_data
from tests.accounts.factories import PASSWORD, OrtsgemeindeFactory
from tests.helpers import ADMIN_EMAIL, ADMIN_PASSWORD, TownClient, host_of, logged_in_client
from tests.tenants.helpers import SIGNUP_PASSWORD, STAFF_PASSWORD


def _refusals(password: str, **user: str) -> list[str]:
    try:
        password_validation.validate_password(password, user=User(**user) if user else None)
    except ValidationError as exc:
        return list(exc.messages)
    return []


def _signup(client: TownClient, password: str, *, name: str = "Rita Resident", email: str = "rita@example.org"):
    return client.post("/accounts/signup/", {"name": name, "email": email, "password1": password,
                                             "privacy_consent": "on"})


def test_the_town_the_villages_and_the_platform_are_refused_in_german(in_town_a):
    OrtsgemeindeFactory(name="Betzdorf", slug="betzdorf")
    for password in ("Betzdorf2026", "dorfkerndorfkern", "Altdorf-2026!", "B3tzd0rf!!"):
        messages = _refusals(password, email="rita@example.org", name="Rita Resident")
        assert any("Namen der Gemeinde, eines Ortes oder „Dorfkern“" in m for m in messages), password


def test_the_persons_own_name_and_address_are_refused(in_town_a):
    messages = _refusals("Walburga.Einzigartig", email="walli@example.org", name="Walburga Einzigartig")
    assert any("aus Ihrem Namen oder Ihrer E-Mail-Adresse" in m for m in messages)
    assert _refusals("walli1984walli", email="walli@example.org", name="Walburga Einzigartig")


def test_leaked_and_guessable_passwords_get_zxcvbn_advice_in_german(in_town_a):
    # In zxcvbn's leaked list, not in Django's: refused as common.
    assert "Dieses Passwort ist zu üblich." in _refusals("WebSolutions")
    messages = _refusals("Hallo12345", email="rita@example.org")
    assert any(m.startswith("Dieses Passwort ist leicht zu erraten.") and "Fügen Sie ein oder zwei Wörter hinzu" in m
               for m in messages)


def test_a_long_passphrase_and_the_suites_passwords_pass(in_town_a):
    OrtsgemeindeFactory(name="Betzdorf", slug="betzdorf")
    assert _refusals("Laterne Gurke Wolke Fahrrad am Betzdorfer Bach", email="rita@example.org",
                     name="Rita Resident") == []
    # The passwords the tests and the demo sign in with stay valid.
    for password in (ADMIN_PASSWORD, PASSWORD, SIGNUP_PASSWORD, STAFF_PASSWORD, demo_data.PASSWORD):
        assert _refusals(password, email=ADMIN_EMAIL, name="Anna Admin") == [], password


def test_signup_refuses_the_persons_name_and_stores_nothing(town_a, mailoutbox):
    client = TownClient(host_of(town_a))
    page = client.get("/accounts/signup/")
    assert "mindestens 10 Zeichen" in page.content.decode() and "drei oder vier Wörter" in page.content.decode()
    response = _signup(client, "Rita-Resident-Rita", name="Rita Resident")
    assert response.status_code == 200
    assert any("aus Ihrem Namen" in error for error in response.context["form"].errors["password1"])
    with schema_context(town_a.schema_name):
        assert not User.objects.filter(email="rita@example.org").exists()
    assert mailoutbox == []


@pytest.mark.parametrize("password", ["Altdorf2026", "dorfkerndorfkern"])
def test_changing_to_a_town_word_is_refused(town_a, password):
    with schema_context(town_a.schema_name):
        admin = User.objects.get(email=ADMIN_EMAIL)
    client = logged_in_client(town_a, admin)
    response = client.post("/accounts/password/change/", {
        "oldpassword": ADMIN_PASSWORD, "password1": password, "password2": password})
    assert response.status_code == 200
    assert "Namen der Gemeinde" in response.content.decode()
    assert "drei oder vier Wörter" in response.content.decode()  # the short hint, not every rule
    with schema_context(town_a.schema_name):
        assert User.objects.get(email=ADMIN_EMAIL).check_password(ADMIN_PASSWORD)


def test_town_signup_refuses_the_new_towns_own_name(public_client):
    from tests.tenants.helpers import signup_data

    response = public_client.post("/registrieren/", signup_data(password="Sonnental2026!", name="Sonnental"))
    assert response.status_code == 200
    assert "Namen der Gemeinde" in response.content.decode()
