"""The provisioning sweeper and the fan-out never treat a half-made town as a town (issue 18 §3), no worker needed.

The real kill (a worker process SIGKILLed mid-provisioning) is in test_provisioning_outage.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
from celery import current_app
from django.utils import timezone

from core.models import OutboxMessage
from tenants.models import Municipality, SignupStatus
from tenants.services import MAX_PROVISIONING_ATTEMPTS, signups_recover_stale
from tests.tenants.factories import TownSignupFactory

pytestmark = pytest.mark.django_db


def _lost_worker_signup(**fields):
    signup = TownSignupFactory(**{"status": SignupStatus.PROVISIONING, "attempts": 1, **fields})
    # Its last step was long ago: no live task can still be working on it.
    type(signup).objects.filter(pk=signup.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=10))
    return signup


def test_a_half_made_town_is_removed_and_its_signup_queued_again():
    # given: the worker was lost after the town's row was written but before it was switched on
    signup = _lost_worker_signup()
    Municipality.objects.create(schema_name="t_neudorf", name="Neudorf", kind="gemeinde", slug="neudorf",
                                is_active=False)

    # when
    assert signups_recover_stale() == 1

    # then
    signup.refresh_from_db()
    assert signup.status == SignupStatus.QUEUED
    assert not Municipality.objects.filter(slug="neudorf").exists()
    assert OutboxMessage.objects.filter(task_name="tenants.tasks.town_provision", args=[str(signup.pk)]).exists()


def test_a_town_switched_on_before_the_worker_was_lost_is_kept_and_its_signup_marked_ready():
    signup = _lost_worker_signup()
    town = Municipality.objects.create(schema_name="t_neudorf", name="Neudorf", kind="gemeinde", slug="neudorf",
                                       is_active=True)

    assert signups_recover_stale() == 1

    signup.refresh_from_db()
    assert (signup.status, signup.tenant_id) == (SignupStatus.READY, town.pk)
    assert Municipality.objects.filter(pk=town.pk, is_active=True).exists()


def test_after_the_last_attempt_the_signup_fails_and_the_person_can_retry(public_client):
    signup = _lost_worker_signup(attempts=MAX_PROVISIONING_ATTEMPTS)
    session = public_client.session
    session["town_signups"] = [str(signup.pk)]
    session.save()

    signups_recover_stale()

    signup.refresh_from_db()
    assert signup.status == SignupStatus.FAILED
    page = public_client.get(f"/registrieren/{signup.pk}/").content.decode()
    assert "Erneut versuchen" in page


def test_a_signup_still_within_its_time_is_left_alone():
    signup = TownSignupFactory(status=SignupStatus.PROVISIONING, attempts=1)
    assert signups_recover_stale() == 0
    signup.refresh_from_db()
    assert signup.status == SignupStatus.PROVISIONING


def test_fan_out_skips_a_town_that_is_not_ready(town_a, monkeypatch):
    from core.tasks import fan_out

    sent: list[str] = []
    monkeypatch.setattr(current_app, "send_task", lambda name, headers, **kw: sent.append(headers["_schema_name"]))
    Municipality.objects.create(schema_name="t_neudorf", name="Neudorf", kind="gemeinde", slug="neudorf",
                                is_active=False)

    fan_out("notifications.release_deferred")

    assert town_a.schema_name in sent and "t_neudorf" not in sent
