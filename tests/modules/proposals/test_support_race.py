"""Supports pressed at the same moment count once each, and the threshold is crossed once (ISOLATION T20)."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_tenants.utils import schema_context

from modules.proposals.models import Proposal, Status, Support
from modules.proposals.services import support_add
from tests.accounts.factories import UserFactory
from tests.modules.proposals.factories import make_proposal

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def committed_town_a(town_a):
    from accounts.models import User

    with schema_context(town_a.schema_name):
        users_before = set(User.objects.values_list("pk", flat=True))
    yield town_a
    connection.set_schema_to_public()
    with schema_context(town_a.schema_name):
        Proposal.objects.all().delete()
        User.objects.exclude(pk__in=users_before).delete()


def test_double_supports_and_a_crowd_at_the_threshold_count_exactly(committed_town_a, monkeypatch):
    import modules.notifications.facade as facade

    town = committed_town_a
    with schema_context(town.schema_name):
        proposal = make_proposal(author=UserFactory(email="autorin-race@example.org"))
        Proposal.objects.filter(pk=proposal.pk).update(threshold=3)
        people = [UserFactory(email=f"race{n}@example.org") for n in range(4)]
    asked: list[dict] = []
    monkeypatch.setattr(facade, "notify", lambda **kwargs: asked.append(kwargs))
    # Four neighbours, the first of them pressing three times: 6 requests, 4 supports, threshold 3.
    attempts = [people[0], people[0], people[0], *people[1:]]
    start = threading.Barrier(len(attempts))
    outcome: list[str] = []

    def support(person) -> None:
        connection.set_tenant(town)
        try:
            start.wait()
            support_add(proposal=proposal, acting_user=person)
            outcome.append("counted")
        except ValidationError:
            outcome.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=support, args=(person,)) for person in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcome) == ["counted"] * 4 + ["refused"] * 2
    with schema_context(town.schema_name):
        proposal.refresh_from_db()
        assert proposal.support_count == Support.objects.filter(proposal=proposal).count() == 4
        assert proposal.status == Status.AWAITING
    assert len([call for call in asked if call["event"] == "proposals.threshold"]) == 1
