"""A municipality signs itself up, end to end, with a real Celery worker (issue 2 item 1, ISOLATION T18)."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

from tenants.models import Domain, Municipality, SignupStatus, TenantModule, TownSignup
from tests.fixtures_celery import wait_for
from tests.helpers import TownClient
from tests.tenants.helpers import SIGNUP_PASSWORD, confirm_path_from_mail, path_of, signup_data

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def _signup_and_confirm(client, **overrides) -> TownSignup:
    before = len(mail.outbox)
    response = client.post("/registrieren/", signup_data(**overrides))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    # The worker sends the confirmation mail (through the outbox), not the request.
    wait_for(lambda: len(mail.outbox) > before, timeout=30)
    confirm = confirm_path_from_mail(mail.outbox[-1])
    # Opening the link only asks; a mail scanner fetching it starts nothing.
    assert client.get(confirm).status_code == 200
    signup = TownSignup.objects.get(slug=overrides.get("slug", "neudorf"))
    assert signup.status == SignupStatus.AWAITING_CONFIRMATION
    assert client.post(confirm)["Location"] == f"/registrieren/{signup.pk}/"
    return signup


def _finished(signup_id) -> TownSignup | None:
    connection.set_schema_to_public()
    signup = TownSignup.objects.get(pk=signup_id)
    return signup if signup.status in (SignupStatus.READY, SignupStatus.FAILED) else None


def test_happy_path_from_form_to_back_office(celery_worker, public_client, drop_towns):
    drop_towns.append("neudorf")

    # given: the form is sent and the address confirmed
    signup = _signup_and_confirm(public_client)

    # when: the worker provisions the town
    signup = wait_for(lambda: _finished(signup.pk))

    # then: the signup is ready and the town exists with its own schema and admin
    assert signup.status == SignupStatus.READY, signup.error
    assert signup.attempts == 1 and signup.confirmed_at is not None
    town = Municipality.objects.get(slug="neudorf")
    assert signup.tenant_id == town.pk
    assert (town.name, town.kind, town.is_active) == ("Ortsgemeinde Neudorf", "gemeinde", True)
    assert Domain.objects.filter(tenant=town, domain="neudorf.localhost", is_primary=True).exists()
    assert schema_exists(town.schema_name)
    with schema_context(town.schema_name):
        from accounts.models import User

        admin = User.objects.get(email="nora@neudorf.example")
        assert admin.is_town_admin and admin.check_password(SIGNUP_PASSWORD)

    status = json.loads(public_client.get(f"/registrieren/{signup.pk}/status.json").content)
    assert status["status"] == "ready" and status["finished"] and all(s["done"] for s in status["steps"])
    page = public_client.get(f"/registrieren/{signup.pk}/").content.decode()
    assert "Zu Ihrer Gemeinde" in page

    # when: the browser that signed up follows the hand-over
    handover = public_client.post(f"/registrieren/{signup.pk}/weiter/")
    assert handover.status_code == 302
    assert handover["Location"].startswith("http://neudorf.localhost/willkommen/")
    town_client = TownClient("neudorf.localhost")
    landed = town_client.get(path_of(handover["Location"]))

    # then: the admin is signed in on the town's host and the back office answers
    assert landed.status_code == 302 and landed["Location"] == "/backoffice/"
    assert town_client.get("/backoffice/").status_code == 200

    # and the link is dead now, also in another browser
    replay = TownClient("neudorf.localhost").get(path_of(handover["Location"]))
    assert replay.status_code == 403
    assert "Der Link wurde bereits verwendet." in replay.content.decode()


def test_provisioning_that_fails_half_way_leaves_nothing_and_a_retry_succeeds(
    celery_worker, public_client, drop_towns, monkeypatch
):
    drop_towns.append("neudorf")
    modules_before = TenantModule.objects.count()

    # given: seeding the town breaks after the schema was created and migrated
    def broken_seed(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("tenants.services._seed_town", broken_seed)

    # when
    signup = _signup_and_confirm(public_client)
    signup = wait_for(lambda: _finished(signup.pk))

    # then: failed with a readable message, and nothing is left behind
    assert signup.status == SignupStatus.FAILED
    assert "technischen Problems" in signup.error and "disk full" not in signup.error
    assert signup.attempts == 1
    assert not Municipality.objects.filter(slug="neudorf").exists()
    assert not Domain.objects.filter(domain="neudorf.localhost").exists()
    assert TenantModule.objects.count() == modules_before
    assert not schema_exists(Municipality.schema_name_for("neudorf"))
    page = public_client.get(f"/registrieren/{signup.pk}/").content.decode()
    assert "technischen Problems" in page and "Erneut versuchen" in page
    assert TownClient("neudorf.localhost").get("/").status_code == 404

    # when: the cause is gone and the user tries again
    monkeypatch.undo()
    assert public_client.post(f"/registrieren/{signup.pk}/erneut/").status_code == 302
    signup = wait_for(lambda: _finished(signup.pk))

    # then
    assert signup.status == SignupStatus.READY, signup.error
    assert signup.attempts == 2 and signup.error == ""
    assert schema_exists(Municipality.schema_name_for("neudorf"))
    assert TownClient("neudorf.localhost").get("/").status_code == 200


def test_a_subdomain_taken_while_waiting_fails_with_a_clear_message(celery_worker, public_client, drop_towns):
    drop_towns.append("neudorf")
    # given: the signup is in, but before provisioning someone creates the town directly
    public_client.post("/registrieren/", signup_data())
    signup = TownSignup.objects.get()
    TownSignup.objects.filter(pk=signup.pk).update(status=SignupStatus.QUEUED)
    from tenants.services import town_create

    town_create(name="Neudorf", kind="gemeinde", slug="neudorf", admin_name="X", admin_email="x@example.org",
                admin_password=SIGNUP_PASSWORD)
    from tenants.tasks import town_provision

    # when
    town_provision.delay(str(signup.pk))
    signup = wait_for(lambda: _finished(signup.pk))

    # then
    assert signup.status == SignupStatus.FAILED
    assert "ist bereits vergeben" in signup.error
    assert Municipality.objects.filter(slug="neudorf").count() == 1
