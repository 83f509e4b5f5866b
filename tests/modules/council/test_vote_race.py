"""Votes of council members pressed at the same moment count once each (ISOLATION T20)."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_tenants.utils import schema_context

from modules.council.models import Member, Recommendation, RecommendationStatus, RecommendationVote
from modules.council.services import recommendation_vote
from tests.accounts.factories import UserFactory
from tests.modules.council.factories import make_member, make_recommendation

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def committed_town_a(town_a):
    from accounts.models import User

    with schema_context(town_a.schema_name):
        users_before = set(User.objects.values_list("pk", flat=True))
    yield town_a
    connection.set_schema_to_public()
    with schema_context(town_a.schema_name):
        Recommendation.objects.all().delete()
        Member.objects.all().delete()
        User.objects.exclude(pk__in=users_before).delete()


def test_a_member_pressing_three_times_among_others_counts_once(committed_town_a):
    town = committed_town_a
    with schema_context(town.schema_name):
        recommendation = make_recommendation(status=RecommendationStatus.VOTING)
        people = [UserFactory(email=f"rat-race{n}@example.org") for n in range(3)]
        for person in people:
            make_member(user=person, name=person.name)
    attempts = [people[0], people[0], people[0], *people[1:]]
    start = threading.Barrier(len(attempts))
    outcome: list[str] = []

    def vote(person) -> None:
        connection.set_tenant(town)
        try:
            start.wait()
            recommendation_vote(acting_user=person, recommendation=recommendation, choice="yes")
            outcome.append("counted")
        except ValidationError:
            outcome.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(person,)) for person in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcome) == ["counted"] * 3 + ["refused"] * 2
    with schema_context(town.schema_name):
        recommendation.refresh_from_db()
        assert recommendation.yes_count == RecommendationVote.objects.filter(recommendation=recommendation).count() == 3
