"""Sessions, confirmation and password-reset links never work in another town (ISOLATION T3/T4).

Both towns hold a user with the same pk and e-mail address, so a link or
cookie that trusted an id alone would work on the wrong town.
"""

from __future__ import annotations

from urllib.parse import urlparse

from allauth.account.models import EmailAddress, EmailConfirmation
from django_tenants.utils import schema_context

from accounts.models import User
from tests.accounts.factories import PASSWORD, UserFactory
from tests.accounts.helpers import links_in
from tests.helpers import ADMIN_EMAIL, ADMIN_PASSWORD, TownClient, admin_of, host_of, logged_in_client


def _twin_users(town_a, town_b, **fields) -> tuple[User, User]:
    """One user in each town with the same pk and e-mail address."""
    with schema_context(town_a.schema_name):
        user_a = UserFactory(**fields)
    with schema_context(town_b.schema_name):
        # Same pk on purpose (per-schema sequences make this the normal case anyway).
        user_b = UserFactory(id=user_a.pk, **fields)
    assert user_a.pk == user_b.pk and user_a.email == user_b.email
    return user_a, user_b


def test_t3_session_cookie_of_a_is_anonymous_on_b(town_a, town_b):
    # given the admins of A and B share pk and e-mail, and A's admin is signed in on A
    assert admin_of(town_a).pk == admin_of(town_b).pk
    client_a = logged_in_client(town_a, admin_of(town_a))
    assert client_a.get("/konto/").status_code == 200
    cookie = client_a.cookies["sessionid"].value

    # when the same cookie is sent to B's host
    client_b = TownClient(host_of(town_b))
    client_b.cookies["sessionid"] = cookie
    response = client_b.get("/konto/")

    # then B sees an anonymous visitor
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert client_b.get("/backoffice/personen/").status_code == 302
    assert response.wsgi_request.user.is_anonymous


def test_t4_confirmation_key_of_a_does_nothing_on_b(town_a, town_b, mailoutbox):
    # given the same unconfirmed address in both towns, with the same user pk
    user_a, user_b = _twin_users(town_a, town_b, email="twin@example.org", verified=False)
    for town, user in ((town_a, user_a), (town_b, user_b)):
        with schema_context(town.schema_name):
            EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    client_a, client_b = TownClient(host_of(town_a)), TownClient(host_of(town_b))
    # A's user asks for a confirmation mail by trying to sign in
    client_a.post("/accounts/login/", {"login": "twin@example.org", "password": PASSWORD})
    assert len(mailoutbox) == 1
    link = next(url for url in links_in(mailoutbox[0]) if "/confirm-email/" in url)
    assert urlparse(link).hostname == host_of(town_a)
    path = urlparse(link).path

    # when the key is opened and submitted on B's host
    page = client_b.get(path)
    submit = client_b.post(path)

    # then B knows no such key and nothing in B changes
    assert page.context["confirmation"] is None  # allauth's "expired or invalid" page
    assert submit.status_code == 404
    with schema_context(town_b.schema_name):
        assert not EmailAddress.objects.get(user=user_b).verified
        assert not EmailConfirmation.objects.exists()
    # and the same key still works where it was issued
    assert client_a.post(path).status_code == 302
    with schema_context(town_a.schema_name):
        assert EmailAddress.objects.get(user=user_a).verified


def _reset_link(client: TownClient, email: str, mailoutbox) -> str:
    client.post("/accounts/password/reset/", {"email": email})
    assert len(mailoutbox) == 1
    return next(url for url in links_in(mailoutbox[-1]) if "/password/reset/key/" in url)


def test_t4_password_reset_link_of_a_does_nothing_on_b(town_a, town_b, mailoutbox):
    # given both admins share pk, e-mail and password
    link = _reset_link(TownClient(host_of(town_a)), ADMIN_EMAIL, mailoutbox)
    assert urlparse(link).hostname == host_of(town_a)
    path = urlparse(link).path

    # when A's link is used on B's host to set a new password
    client_b = TownClient(host_of(town_b))
    page = client_b.get(path, follow=True)
    client_b.post(page.redirect_chain[-1][0] if page.redirect_chain else path,
                  {"password1": "Ganz-Neues-Passwort-1", "password2": "Ganz-Neues-Passwort-1"})

    # then B refuses it and B's admin keeps the old password
    assert page.context["token_fail"]
    with schema_context(town_b.schema_name):
        assert User.objects.get(email=ADMIN_EMAIL).check_password(ADMIN_PASSWORD)


def test_password_reset_link_works_on_its_own_town(town_a, mailoutbox):
    client = TownClient(host_of(town_a))
    path = urlparse(_reset_link(client, ADMIN_EMAIL, mailoutbox)).path
    page = client.get(path, follow=True)
    assert page.context["form"] is not None  # the set-password form, not the "bad token" page
    done = client.post(page.redirect_chain[-1][0],
                       {"password1": "Ganz-Neues-Passwort-1", "password2": "Ganz-Neues-Passwort-1"})
    assert done.status_code == 302
    with schema_context(town_a.schema_name):
        assert User.objects.get(email=ADMIN_EMAIL).check_password("Ganz-Neues-Passwort-1")


def test_reset_token_made_for_a_is_invalid_for_b_even_in_code(town_a, town_b):
    from accounts.tokens import TownPasswordResetTokenGenerator

    generator = TownPasswordResetTokenGenerator()
    with schema_context(town_a.schema_name):
        token = generator.make_token(admin_of(town_a))
        assert generator.check_token(User.objects.get(email=ADMIN_EMAIL), token)
    with schema_context(town_b.schema_name):
        assert not generator.check_token(User.objects.get(email=ADMIN_EMAIL), token)
