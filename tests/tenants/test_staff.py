"""Platform staff on the public site: TOTP required, towns listed and switched, no town data (T11, T15)."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from django_tenants.utils import schema_context

from accounts.models import User
from tenants.models import Municipality, SignupStatus, TownSignup
from tests.helpers import TownClient
from tests.outbox_helpers import outbox_sends
from tests.tenants.factories import TownSignupFactory
from tests.tenants.helpers import STAFF_PASSWORD, make_staff


def test_anonymous_visitors_are_sent_to_the_login(public_client):
    response = public_client.get("/staff/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=/staff/")


def test_a_public_user_without_staff_flag_gets_403(public_client):
    public_client.force_login(make_staff("someone@example.org", is_staff=False))
    assert public_client.get("/staff/").status_code == 403


def test_staff_without_totp_are_sent_to_set_it_up_and_get_in_once_it_is_on(public_client):
    from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value

    # given: a staff member signs in with the password only
    make_staff(totp=False)
    login = public_client.post("/accounts/login/", {"login": "staff@dorfkern.example", "password": STAFF_PASSWORD})
    assert login.status_code == 302

    # when
    responses = [public_client.get("/staff/"), public_client.get("/"), public_client.post("/staff/gemeinden/1/aktiv/")]

    # then: every page but the account pages leads to the TOTP setup
    for response in responses:
        assert response.status_code == 302 and response["Location"] == "/accounts/2fa/totp/activate/"
    # allauth asks for the password once more before adding an authenticator
    setup = public_client.get("/accounts/2fa/totp/activate/")
    assert setup.status_code == 302 and setup["Location"].startswith("/accounts/reauthenticate/")
    assert public_client.post(setup["Location"], {"password": STAFF_PASSWORD}).status_code == 302
    assert public_client.get("/accounts/2fa/totp/activate/").status_code == 200

    # when: the authenticator app is set up with the code it shows
    import time

    secret = public_client.session[SECRET_SESSION_KEY]
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    activated = public_client.post("/accounts/2fa/totp/activate/", {"code": code})

    # then
    assert activated.status_code == 302, activated.context["form"].errors
    assert public_client.get("/staff/").status_code == 200


def test_staff_see_towns_and_signups_from_the_public_schema(staff_client, town_a, town_b):
    # given
    TownSignupFactory(
        status=SignupStatus.FAILED,
        error="Die Subdomain „neudorf“ ist bereits vergeben.",  # stored as the worker wrote it: German
    )

    # when
    response = staff_client.get("/staff/")

    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "Verbandsgemeinde Altdorf" in page and "altdorf.localhost" in page and "Stadt Bergdorf" in page
    towns = {town.slug: town for town in response.context["towns"]}
    assert set(towns) == {"altdorf", "bergdorf"}
    assert towns["altdorf"].module_count >= 1  # every module is on in the test towns
    assert "ist bereits vergeben" in page and "Erneut versuchen" in page


def test_staff_deactivate_a_town_and_its_host_answers_404(staff_client, town_a, client_a, client_b):
    # given
    assert client_a.get("/").status_code == 200  # the host lookup is now cached

    # when
    response = staff_client.post(f"/staff/gemeinden/{town_a.pk}/aktiv/", {"active": "0"})

    # then
    assert response.status_code == 302
    assert not Municipality.objects.get(pk=town_a.pk).is_active
    assert client_a.get("/").status_code == 404
    assert client_a.get("/news/").status_code == 404
    assert client_b.get("/").status_code == 200

    # and back
    staff_client.post(f"/staff/gemeinden/{town_a.pk}/aktiv/", {"active": "1"})
    assert client_a.get("/").status_code == 200


def test_staff_retry_a_failed_signup(staff_client, django_capture_on_commit_callbacks):
    # given
    signup = TownSignupFactory(status=SignupStatus.FAILED, error="boom", attempts=1)

    # when
    with django_capture_on_commit_callbacks() as callbacks:
        response = staff_client.post(f"/staff/registrierungen/{signup.pk}/erneut/")

    # then
    signup.refresh_from_db()
    assert response.status_code == 302
    assert signup.status == SignupStatus.QUEUED and signup.error == ""
    assert len(outbox_sends(callbacks)) == 1


def test_staff_actions_need_post_and_staff(public_client, town_a):
    public_client.force_login(make_staff("someone@example.org", is_staff=False))
    assert public_client.post(f"/staff/gemeinden/{town_a.pk}/aktiv/", {"active": "0"}).status_code == 403
    assert Municipality.objects.get(pk=town_a.pk).is_active


def test_staff_session_is_anonymous_on_a_town_host(staff_client, town_a):
    # given: the staff member's session cookie, replayed on town A's host
    town = TownClient(f"{town_a.slug}.localhost")
    town.cookies = staff_client.cookies

    # then: the town has no such session; staff can't reach its back office
    assert town.get("/backoffice/").status_code == 302
    assert town.get("/staff/").status_code == 404


def test_create_staff_user_command(town_a):
    # when
    call_command("create_staff_user", "Ops@Dorfkern.example", name="Olga Ops", password=STAFF_PASSWORD)

    # then
    user = User.objects.get(email="ops@dorfkern.example")
    assert user.is_staff and not user.is_superuser and user.check_password(STAFF_PASSWORD)
    assert user.emailaddress_set.get().verified
    with schema_context(town_a.schema_name):
        assert not User.objects.filter(email="ops@dorfkern.example").exists()


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("staff@dorfkern.example", STAFF_PASSWORD, "exists already"),
        ("not-an-address", STAFF_PASSWORD, "Not a valid e-mail"),
        ("new@dorfkern.example", "123", "too short"),
    ],
)
def test_create_staff_user_refuses(email, password, message, db):
    make_staff()
    with translation.override("en"), pytest.raises(CommandError, match=message):
        call_command("create_staff_user", email, password=password)
    assert User.objects.count() == 1


def test_staff_retry_a_stale_signup_removes_what_the_lost_worker_left(staff_client, django_capture_on_commit_callbacks):
    # given: a worker died after registering the subdomain, long ago
    from django.utils import timezone

    from tenants.models import Domain

    signup = TownSignupFactory(status=SignupStatus.PROVISIONING, attempts=1)
    TownSignup.objects.filter(pk=signup.pk).update(updated_at=timezone.now() - timezone.timedelta(hours=1))
    left = Municipality.objects.create(schema_name="t_neudorf", name="Neudorf", kind="gemeinde", slug="neudorf")
    Domain.objects.create(domain="neudorf.localhost", tenant=left, is_primary=True)
    assert "Erneut versuchen" in staff_client.get("/staff/").content.decode()

    # when
    with django_capture_on_commit_callbacks() as callbacks:
        staff_client.post(f"/staff/registrierungen/{signup.pk}/erneut/")

    # then
    signup.refresh_from_db()
    assert signup.status == SignupStatus.QUEUED and len(outbox_sends(callbacks)) == 1
    assert not Municipality.objects.filter(slug="neudorf").exists()
    assert not Domain.objects.filter(domain="neudorf.localhost").exists()


def test_a_signup_that_is_still_running_is_not_retried(staff_client):
    signup = TownSignupFactory(status=SignupStatus.PROVISIONING)
    response = staff_client.post(f"/staff/registrierungen/{signup.pk}/erneut/", follow=True)
    assert "Nur eine fehlgeschlagene Einrichtung kann wiederholt werden." in response.content.decode()
    signup.refresh_from_db()
    assert signup.status == SignupStatus.PROVISIONING
