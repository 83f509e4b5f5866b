"""Vote secrecy by design: the stored data can't tell who voted what (schema and queries)."""

from __future__ import annotations

import uuid

from django.db import connection, models

from modules.polls.models import Ballot, BallotAnswer, Option, Participation, Poll, Question
from modules.polls.services import vote_cast
from tests.accounts.factories import UserFactory
from tests.modules.polls.factories import make_poll

BALLOT_MODELS = (Ballot, BallotAnswer)


def _columns(model) -> dict[str, str]:
    with connection.cursor() as cursor:
        return {column.name: column.type_code for column in
                connection.introspection.get_table_description(cursor, model._meta.db_table)}


def test_ballots_have_no_column_that_names_or_times_the_voter(in_town_a):
    # Columns as they are in the database, not only as the models say.
    assert set(_columns(Ballot)) == {"id", "poll_id", "day", "receipt_hash"}
    assert set(_columns(BallotAnswer)) == {"id", "ballot_id", "question_id", "option_id", "rating", "text"}
    for model in BALLOT_MODELS:
        for field in model._meta.concrete_fields:
            assert not isinstance(field, models.DateTimeField | models.TimeField), field
            if field.is_relation:
                assert field.related_model in (Poll, Question, Option, Ballot), field
        assert isinstance(model._meta.pk, models.UUIDField)  # no sequence that follows the order of voting
    # Who voted: no time finer than the day either, a random key, and nothing pointing at a ballot.
    assert {f.name for f in Participation._meta.concrete_fields} == {"id", "poll", "user", "day"}
    assert isinstance(Participation._meta.pk, models.UUIDField)


def test_no_foreign_key_in_the_database_joins_ballots_and_people(in_town_a):
    with connection.cursor() as cursor:
        constraints = {
            table: connection.introspection.get_constraints(cursor, table)
            for table in (Ballot._meta.db_table, BallotAnswer._meta.db_table, Participation._meta.db_table)
        }
    targets = {
        table: {c["foreign_key"][0] for c in found.values() if c["foreign_key"]}
        for table, found in constraints.items()
    }
    assert targets[Ballot._meta.db_table] == {Poll._meta.db_table}
    assert targets[BallotAnswer._meta.db_table] == {Ballot._meta.db_table, Question._meta.db_table,
                                                    Option._meta.db_table}
    assert Ballot._meta.db_table not in targets[Participation._meta.db_table]


def test_stored_rows_cannot_be_lined_up_with_who_voted(in_town_a):
    # given: eight residents vote one after another on the same day, each differently
    poll = make_poll()
    question = poll.questions.get()
    linde, brunnen = question.options.all()
    voters = [UserFactory(email=f"waehler{n}@example.org") for n in range(8)]
    for n, voter in enumerate(voters):
        vote_cast(poll=poll, acting_user=voter, answers={question.pk: (linde if n % 2 else brunnen).pk})

    # when: the town reads everything it has about the ballots and the participations
    ballots = list(Ballot.objects.filter(poll=poll).values("id", "poll_id", "day", "receipt_hash"))
    participations = list(Participation.objects.filter(poll=poll).values("id", "user_id", "day"))

    # then: the ballots differ in nothing but their random id; the only shared column, the day, is the same for all
    assert len({(b["poll_id"], b["day"], b["receipt_hash"]) for b in ballots}) == 1
    assert {p["day"] for p in participations} == {ballots[0]["day"]}
    assert all(uuid.UUID(str(b["id"])).version == 4 for b in ballots)
    # ... and sorting by id doesn't give the order of voting (8! orders; the chance of a match is 1 in 40,320)
    by_id = [row["option_id"] for row in BallotAnswer.objects.filter(ballot__poll=poll)
             .order_by("ballot_id").values("option_id")]
    voting_order = [(linde if n % 2 else brunnen).pk for n in range(8)]
    by_participation = [p["user_id"] for p in sorted(participations, key=lambda p: str(p["id"]))]
    assert by_id != voting_order or by_participation != [v.pk for v in voters]


def test_without_changeable_votes_no_receipt_exists(in_town_a):
    poll = make_poll(allow_change=False)
    question = poll.questions.get()

    result = vote_cast(poll=poll, acting_user=UserFactory(), answers={question.pk: question.options.first().pk})

    assert result.receipt is None and Ballot.objects.get().receipt_hash is None


def test_personal_data_holds_participations_never_ballots(in_town_a, erna):
    from modules.polls.personal_data import erase, export

    poll = make_poll(title="Dorfplatz")
    question = poll.questions.get()
    vote_cast(poll=poll, acting_user=erna, answers={question.pk: question.options.first().pk})

    data = export(erna)
    erase(erna)

    assert [p["poll"] for p in data["participations"]] == ["Dorfplatz"]
    assert "Lindenplatz" not in str(data) and "ballot" not in str(data).lower()
    assert not Participation.objects.exists() and Ballot.objects.count() == 1  # the count stays
