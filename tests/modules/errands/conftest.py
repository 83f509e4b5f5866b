"""Fixtures for the Mitbringdienst tests: villages, residents with old and new accounts, requests via the services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from accounts.models import Role, User
from modules.errands import services, tasks
from modules.errands.models import ErrandRequest, Trip
from town.models import Ortsgemeinde, ResidentProfile


def user_make(
    email: str,
    *,
    name: str | None = None,
    ortsgemeinde: Ortsgemeinde | None = None,
    days_old: int = 30,
    role: str = Role.RESIDENT,
) -> User:
    """A resident; `days_old` < 7 makes a new account that the daily limits apply to."""
    user = User.objects.create_user(
        email=email, password="Ein-langes-Passwort-1", name=name or email.split("@")[0].title() + " Muster", role=role
    )
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=days_old))
    user.refresh_from_db()
    if ortsgemeinde is not None:
        ResidentProfile.objects.create(user=user, ortsgemeinde=ortsgemeinde)
    return user


def soon(hours: float = 2) -> datetime:
    return timezone.now() + timedelta(hours=hours)


def errand_make(requester: User, **fields) -> ErrandRequest:
    """An open request made through the service: bread from the bakery, in two hours for six hours."""
    start = fields.pop("window_start", soon())
    data = {
        "items": "1 Roggenbrot\n6 Brötchen",
        "shop_name": "Bäckerei Becker",
        "window_start": start,
        "window_end": fields.pop("window_end", start + timedelta(hours=6)),
    }
    data.update(fields)
    return services.errand_request_create(acting_user=requester, **data)


def trip_make(helper: User, **fields) -> Trip:
    data = {"destination": "Betzdorf", "departure_at": soon(20), "capacity": 2}
    data.update(fields)
    return services.trip_create(acting_user=helper, **data)


@pytest.fixture
def villages(in_town_a) -> dict[str, Ortsgemeinde]:
    return {
        "kausen": Ortsgemeinde.objects.create(name="Kausen", slug="kausen"),
        "elkenroth": Ortsgemeinde.objects.create(name="Elkenroth", slug="elkenroth"),
        "nauroth": Ortsgemeinde.objects.create(name="Nauroth", slug="nauroth"),
    }


@pytest.fixture
def anna(villages) -> User:
    """Asks for things; lives in Kausen."""
    return user_make("anna@example.org", name="Anna Arndt", ortsgemeinde=villages["kausen"])


@pytest.fixture
def bernd(villages) -> User:
    """Drives to the shops anyway; lives in Kausen too."""
    return user_make("bernd@example.org", name="Bernd Becker", ortsgemeinde=villages["kausen"])


@pytest.fixture
def carla(villages) -> User:
    """Another neighbour, from Elkenroth."""
    return user_make("carla@example.org", name="Carla Conrad", ortsgemeinde=villages["elkenroth"])


@pytest.fixture
def make_errand(in_town_a) -> Callable[..., ErrandRequest]:
    return errand_make


@pytest.fixture
def mail_tasks_inline(monkeypatch, notifications_off):
    """Run the mail tasks right where they are queued (after commit), in the current town's schema.

    In a town without the notifications module, so the tasks send their own e-mails.
    """
    monkeypatch.setattr(tasks.send_step_mail, "delay", lambda *args: tasks.send_step_mail.apply(args=args))
    monkeypatch.setattr(tasks.send_report_mail, "delay", lambda *args: tasks.send_report_mail.apply(args=args))


@pytest.fixture
def committed_town_a(town_a):
    """Town A for transactional tests: what the test commits there (errands, people, villages) is removed after.

    The suite's flush after a transactional test only empties the public schema,
    so rows committed in a town would otherwise leak into later tests.
    """
    from django.db import connection
    from django_tenants.utils import schema_context

    from modules.errands.models import ErrandBlock

    with schema_context(town_a.schema_name):
        users_before = set(User.objects.values_list("pk", flat=True))
        villages_before = set(Ortsgemeinde.objects.values_list("pk", flat=True))
    yield town_a
    connection.set_schema_to_public()
    with schema_context(town_a.schema_name):
        ErrandRequest.objects.all().delete()
        Trip.objects.all().delete()
        ErrandBlock.objects.all().delete()
        User.objects.exclude(pk__in=users_before).delete()
        Ortsgemeinde.objects.exclude(pk__in=villages_before).delete()
