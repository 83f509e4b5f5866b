"""One vote per resident when the same vote arrives several times at once (ISOLATION T20), real transactions."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_tenants.utils import schema_context

from modules.polls.models import Ballot, BallotAnswer, Participation, Poll
from modules.polls.services import vote_cast
from tests.accounts.factories import UserFactory
from tests.modules.polls.factories import make_poll

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def committed_town_a(town_a):
    """Town A for transactional tests; what they commit there is removed afterwards."""
    from accounts.models import User

    with schema_context(town_a.schema_name):
        users_before = set(User.objects.values_list("pk", flat=True))
    yield town_a
    connection.set_schema_to_public()
    with schema_context(town_a.schema_name):
        Poll.objects.all().delete()
        User.objects.exclude(pk__in=users_before).delete()


def test_six_simultaneous_votes_of_one_resident_count_once(committed_town_a):
    town = committed_town_a
    with schema_context(town.schema_name):
        voter = UserFactory(email="doppelklick@example.org")
        poll = make_poll()
        question = poll.questions.get()
        choice = question.options.first().pk
    start = threading.Barrier(6)
    outcome: list[str] = []

    def vote() -> None:
        connection.set_tenant(town)
        try:
            start.wait()
            vote_cast(poll=poll, acting_user=voter, answers={question.pk: choice})
            outcome.append("counted")
        except ValidationError:
            outcome.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=vote) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcome) == ["counted"] + ["refused"] * 5
    with schema_context(town.schema_name):
        assert Participation.objects.filter(poll=poll).count() == 1
        assert Ballot.objects.filter(poll=poll).count() == 1 and BallotAnswer.objects.count() == 1
