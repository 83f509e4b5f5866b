"""Confirmation link, status page and who gets the hand-over (no worker needed here)."""

from __future__ import annotations

import html
import json
import re
import time

import pytest
from django.core import mail
from django.db import transaction
from django.utils import translation

from core.models import OutboxMessage
from tenants.models import SignupStatus, TownSignup
from tenants.services import town_signup_provision, town_signup_retry
from tenants.tokens import CONFIRM_MAX_AGE, signup_confirm_token_make
from tests.helpers import ADMIN_EMAIL, TownClient
from tests.outbox_helpers import outbox_run_pending, outbox_sends
from tests.tenants.factories import TownSignupFactory
from tests.tenants.helpers import confirm_path_from_mail, signup_data


@pytest.fixture
def submitted(public_client) -> TownSignup:
    assert public_client.post("/registrieren/", signup_data()).status_code == 302
    outbox_run_pending()  # the worker's job: the confirmation mail
    return TownSignup.objects.get()


def _ready_signup_for(town, **fields) -> TownSignup:
    """A signup row that provisioned `town` (town A's admin e-mail is ADMIN_EMAIL)."""
    defaults = {
        "name": town.name, "kind": town.kind, "slug": town.slug, "admin_name": "Anna Admin",
        "admin_email": ADMIN_EMAIL,
        "status": SignupStatus.READY, "tenant_id": town.pk, "progress_step": 5, "attempts": 1,
    }
    defaults.update(fields)
    return TownSignupFactory(**defaults)


def _own(client, signup: TownSignup) -> None:
    session = client.session
    session["town_signups"] = [str(signup.pk)]
    session.save()


def test_status_page_waits_for_the_confirmation(public_client, submitted):
    page = public_client.get(f"/registrieren/{submitted.pk}/").content.decode()
    assert "nora@neudorf.example" in page
    assert 'aria-live="polite"' in page and 'http-equiv="refresh"' in page
    assert "E-Mail erneut senden" in page
    data = json.loads(public_client.get(f"/registrieren/{submitted.pk}/status.json").content)
    assert data["status"] == "awaiting_confirmation" and data["step"] == 0 and not data["finished"]


def test_confirming_queues_provisioning_once(public_client, submitted, django_capture_on_commit_callbacks):
    # given
    path = confirm_path_from_mail(mail.outbox[0])

    # when: confirmed twice (double click)
    with django_capture_on_commit_callbacks() as callbacks:
        first = TownClient("localhost").post(path)
        second = TownClient("localhost").post(path)

    # then
    submitted.refresh_from_db()
    assert first.status_code == second.status_code == 302
    assert submitted.status == SignupStatus.QUEUED and submitted.confirmed_at is not None
    assert len(outbox_sends(callbacks)) == 1  # one task enqueued
    assert OutboxMessage.objects.filter(task_name="tenants.tasks.town_provision", sent_at=None).count() == 1


@pytest.mark.parametrize("tamper", ["other-signup", "garbage", "expired"])
def test_a_bad_confirmation_link_changes_nothing(public_client, submitted, tamper, monkeypatch):
    # given
    if tamper == "other-signup":
        other = TownSignupFactory(**{k: v for k, v in signup_data(slug="altneudorf").items()
                                     if not k.startswith("accept") and k != "password"})
        token = signup_confirm_token_make(signup_id=str(other.pk), email=other.admin_email)
    elif tamper == "garbage":
        token = "abc:def:ghi"
    else:
        token = signup_confirm_token_make(signup_id=str(submitted.pk), email=submitted.admin_email)
        later = time.time() + CONFIRM_MAX_AGE.total_seconds() + 1
        monkeypatch.setattr("django.core.signing.time.time", lambda: later)

    # when
    response = public_client.post(f"/registrieren/{submitted.pk}/bestaetigen/{token}/")

    # then
    assert response.status_code == 400
    assert "Dieser Bestätigungslink ist ungültig oder abgelaufen." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == SignupStatus.AWAITING_CONFIRMATION and submitted.confirmed_at is None


def test_only_the_browser_that_signed_up_gets_the_hand_over(town_a, public_client):
    # given
    signup = _ready_signup_for(town_a)
    stranger = TownClient("localhost")
    _own(public_client, signup)

    # when
    owner_page = public_client.get(f"/registrieren/{signup.pk}/").content.decode()
    stranger_page = stranger.get(f"/registrieren/{signup.pk}/").content.decode()

    # then
    assert "Zu Ihrer Gemeinde" in owner_page
    assert "Zu Ihrer Gemeinde" not in stranger_page and "http://altdorf.localhost/accounts/login/" in stranger_page
    assert stranger.post(f"/registrieren/{signup.pk}/weiter/").status_code == 404
    response = public_client.post(f"/registrieren/{signup.pk}/weiter/")
    assert response.status_code == 302 and response["Location"].startswith("http://altdorf.localhost/willkommen/")


def test_no_hand_over_for_a_deactivated_town(town_a, public_client):
    from tenants.services import town_set_active

    signup = _ready_signup_for(town_a)
    _own(public_client, signup)
    town_set_active(tenant=town_a, active=False)

    response = public_client.post(f"/registrieren/{signup.pk}/weiter/")
    assert response.status_code == 302 and response["Location"] == f"/registrieren/{signup.pk}/"


def test_a_second_delivery_for_a_ready_signup_does_nothing(town_a, monkeypatch):
    # given
    signup = _ready_signup_for(town_a)
    monkeypatch.setattr("tenants.services.town_create", lambda **kw: pytest.fail("must not provision again"))

    # when
    result = town_signup_provision(signup_id=str(signup.pk))

    # then
    signup.refresh_from_db()
    assert result == SignupStatus.READY
    assert signup.attempts == 1


def test_an_unconfirmed_signup_is_never_provisioned(submitted, monkeypatch):
    monkeypatch.setattr("tenants.services.town_create", lambda **kw: pytest.fail("must not provision"))
    assert town_signup_provision(signup_id=str(submitted.pk)) == SignupStatus.AWAITING_CONFIRMATION


def test_only_a_failed_signup_can_be_retried(town_a, public_client):
    # given
    signup = _ready_signup_for(town_a)
    _own(public_client, signup)

    # when
    response = public_client.post(f"/registrieren/{signup.pk}/erneut/", follow=True)

    # then
    assert "Nur eine fehlgeschlagene Einrichtung kann wiederholt werden." in response.content.decode()
    signup.refresh_from_db()
    assert signup.status == SignupStatus.READY


def test_retry_refuses_when_the_subdomain_was_registered_again_meanwhile(db):
    # given: the first signup failed and somebody else registered the same name
    failed = TownSignupFactory(admin_name="X", admin_email="x@example.org", status=SignupStatus.FAILED)
    TownSignupFactory(admin_name="Y", admin_email="y@example.org")

    # when / then
    with transaction.atomic(), pytest.raises(Exception, match="jemand anderes diese Subdomain registriert"):
        town_signup_retry(signup=failed)
    failed.refresh_from_db()
    assert failed.status == SignupStatus.FAILED


def test_resend_is_limited_to_once_a_minute(public_client, submitted):
    public_client.post(f"/registrieren/{submitted.pk}/mail/")
    public_client.post(f"/registrieren/{submitted.pk}/mail/")
    outbox_run_pending()
    assert len(mail.outbox) == 2  # the original and one resend


def test_unknown_signup_is_404(public_client):
    assert public_client.get("/registrieren/00000000-0000-0000-0000-000000000000/").status_code == 404


@pytest.mark.parametrize("token", ["%00", "x" * 3000, "a:b"])
def test_odd_confirmation_tokens_get_the_friendly_page(public_client, submitted, token):
    assert public_client.get(f"/registrieren/{submitted.pk}/bestaetigen/{token}/").status_code == 400


def _visible_text(page: str) -> str:
    """What a person reads on the page: the main area without tags, attributes or scripts."""
    main = page[page.index("<main"):page.index("</main>")]
    main = re.sub(r"<script.*?</script>", " ", main, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", main))


JARGON = ("worker", "hintergrundprozess", "queued", "subdomain", "datenbank", "database", "warteschlange")


@pytest.mark.parametrize(
    ("status", "step", "progress"),
    [
        (SignupStatus.AWAITING_CONFIRMATION, 0, ""),
        (SignupStatus.QUEUED, 1, ""),
        (SignupStatus.PROVISIONING, 2, "Die Internetadresse Ihrer Gemeinde wird reserviert"),
        (SignupStatus.PROVISIONING, 3, "Ein geschützter Platz für die Daten Ihrer Gemeinde wird angelegt"),
        (SignupStatus.READY, 5, ""),
    ],
)
def test_status_page_speaks_plain_german(public_client, status, step, progress):
    from tenants.services import SIGNUP_STEPS

    signup = TownSignupFactory(status=status, progress_step=step, progress=progress)

    text = _visible_text(public_client.get(f"/registrieren/{signup.pk}/").content.decode())
    data = json.loads(public_client.get(f"/registrieren/{signup.pk}/status.json").content)

    shown = " ".join([text, data["progress"], *(s["label"] for s in data["steps"])]).lower()
    assert not [word for word in JARGON if word in shown]
    # every step is named in German, not left in English
    for label in SIGNUP_STEPS:
        with translation.override("en"):
            english = str(label)
        with translation.override("de"):
            german = str(label)
        assert english not in text and german in text
    assert "E-Mail-Adresse bestätigen" in text and "Ihre Gemeinde ist bereit" in text


def test_status_page_says_how_long_setting_up_takes(public_client):
    signup = TownSignupFactory(status=SignupStatus.PROVISIONING, progress_step=2)

    text = _visible_text(public_client.get(f"/registrieren/{signup.pk}/").content.decode())

    assert "Ihre Gemeinde wird eingerichtet. Das dauert meist weniger als eine Minute." in text
