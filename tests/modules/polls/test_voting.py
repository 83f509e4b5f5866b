"""Residents vote: once, only in their Ortsgemeinde's polls, only while open; changes only with the receipt.

Pages are compared in German, as a resident sees them.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from modules.polls.models import Ballot, BallotAnswer, Participation
from modules.polls.selectors import poll_results
from modules.polls.services import QuestionInput, vote_cast
from tests.helpers import logged_in_client
from tests.modules.polls.factories import make_poll


def _choice(poll, text):
    return poll.questions.get().options.get(text=text).pk


def test_a_resident_votes_once(in_town_a, erna):
    poll = make_poll()
    q = poll.questions.get()

    vote_cast(poll=poll, acting_user=erna, answers={q.pk: _choice(poll, "Lindenplatz")})
    with pytest.raises(ValidationError, match="already voted"):
        vote_cast(poll=poll, acting_user=erna, answers={q.pk: _choice(poll, "Brunnenplatz")})

    assert Participation.objects.count() == 1 and Ballot.objects.count() == 1
    assert [(r.label, r.count) for r in poll_results(poll=poll).questions[0].rows] == [
        ("Lindenplatz", 1), ("Brunnenplatz", 0)]


def test_only_residents_of_the_polls_ortsgemeinde_may_vote(in_town_a, villages, erna, sven):
    poll = make_poll(audience="ortsgemeinde", ortsgemeinde_id=villages["e"].pk)
    q = poll.questions.get()

    with pytest.raises(ValidationError, match="Only residents of Elkenroth"):
        vote_cast(poll=poll, acting_user=sven, answers={q.pk: _choice(poll, "Lindenplatz")})
    vote_cast(poll=poll, acting_user=erna, answers={q.pk: _choice(poll, "Lindenplatz")})

    assert Ballot.objects.count() == 1


@pytest.mark.parametrize(("opens_in", "closes_in", "message"), [
    (timedelta(hours=1), timedelta(days=1), "hasn't opened"),
    (-timedelta(days=2), -timedelta(days=1), "has closed"),
])
def test_no_votes_before_opening_or_after_closing(in_town_a, erna, opens_in, closes_in, message):
    poll = make_poll(opens_in=opens_in, closes_in=closes_in)

    with pytest.raises(ValidationError, match=message):
        vote_cast(poll=poll, acting_user=erna, answers={poll.questions.get().pk: _choice(poll, "Lindenplatz")})
    assert not Ballot.objects.exists() and not Participation.objects.exists()


def test_answers_are_checked_for_every_kind(in_town_a, erna):
    poll = make_poll(questions=[
        QuestionInput(text="Eins", kind="single", options=["A", "B"]),
        QuestionInput(text="Mehrere", kind="multiple", options=["X", "Y", "Z"]),
        QuestionInput(text="Note", kind="rating"),
        QuestionInput(text="Text", kind="text"),
    ])
    single, multiple, rating, text = poll.questions.all()
    a = single.options.first().pk

    with pytest.raises(ValidationError) as error:
        vote_cast(poll=poll, acting_user=erna, answers={
            single.pk: [a, single.options.last().pk], multiple.pk: [999999], rating.pk: 7, text.pk: ""})

    assert set(error.value.message_dict) == {f"q_{q.pk}" for q in (single, multiple, rating, text)}
    assert not Ballot.objects.exists() and not Participation.objects.exists()

    x, y, _z = multiple.options.all()
    vote_cast(poll=poll, acting_user=erna, answers={
        single.pk: a, multiple.pk: [x.pk, y.pk], rating.pk: "4", text.pk: "Mehr Schatten"})
    results = poll_results(poll=poll, with_texts=True).questions
    assert [r.count for r in results[1].rows] == [1, 1, 0]
    assert results[2].average == 4.0 and results[3].texts == ["Mehr Schatten"]


def test_a_vote_can_be_changed_with_the_receipt_until_closing(in_town_a, erna):
    poll = make_poll(allow_change=True)
    q = poll.questions.get()

    first = vote_cast(poll=poll, acting_user=erna, answers={q.pk: _choice(poll, "Lindenplatz")})
    assert first.receipt
    with pytest.raises(ValidationError, match="enter the code"):
        vote_cast(poll=poll, acting_user=erna, answers={q.pk: _choice(poll, "Brunnenplatz")})
    with pytest.raises(ValidationError, match="doesn't belong"):
        vote_cast(poll=poll, acting_user=erna, answers={q.pk: _choice(poll, "Brunnenplatz")}, receipt="falsch")
    changed = vote_cast(poll=poll, acting_user=erna, answers={q.pk: _choice(poll, "Brunnenplatz")},
                        receipt=first.receipt)

    assert changed.changed
    assert Ballot.objects.count() == 1 and BallotAnswer.objects.get().option.text == "Brunnenplatz"
    assert not Ballot.objects.filter(receipt_hash=first.receipt).exists()  # only the hash is stored


def test_voting_page_sets_the_receipt_cookie_and_prefills_the_change(town_a, villages, erna):
    poll = make_poll(allow_change=True)
    q = poll.questions.get()
    client = logged_in_client(town_a, erna)

    response = client.post(poll.get_absolute_url(), {f"q_{q.pk}": _choice(poll, "Lindenplatz")})
    page = client.get(poll.get_absolute_url()).content.decode()

    assert response.status_code == 302
    assert "Meine Stimme ändern" in page and 'checked' in page
    response = client.post(poll.get_absolute_url(), {f"q_{q.pk}": _choice(poll, "Brunnenplatz")})
    assert response.status_code == 302
    assert BallotAnswer.objects.get().option.text == "Brunnenplatz" and Ballot.objects.count() == 1


def test_resident_of_another_village_sees_why_they_cannot_vote(town_a, villages, sven):
    poll = make_poll(audience="ortsgemeinde", ortsgemeinde_id=villages["e"].pk)
    client = logged_in_client(town_a, sven)

    page = client.get(poll.get_absolute_url()).content.decode()
    response = client.post(poll.get_absolute_url(), {f"q_{poll.questions.get().pk}": _choice(poll, "Lindenplatz")})

    assert "nur Einwohner von Elkenroth" in page and "<fieldset" not in page
    assert response.status_code == 403 and not Ballot.objects.exists()


def test_results_wait_for_the_closing_when_the_town_says_so(town_a, client_a, villages, erna):
    later = make_poll(title="Später", results_visibility="after_close")
    live = make_poll(title="Live", results_visibility="live")
    for poll in (later, live):
        vote_cast(poll=poll, acting_user=erna, answers={poll.questions.get().pk: _choice(poll, "Lindenplatz")})

    hidden = client_a.get(f"/polls/{later.key}/results/").content.decode()
    shown = client_a.get(f"/polls/{live.key}/results/").content.decode()

    assert "Lindenplatz" not in hidden and "sobald die Umfrage beendet ist" in hidden
    assert "Lindenplatz" in shown and 'width="100"' in shown and "Zwischenstand" in shown


def test_link_polls_take_anonymous_votes_once_per_browser_and_are_marked_unverified(town_a, client_a, in_town_a):
    poll = make_poll(audience="link", results_visibility="live")
    q = poll.questions.get()

    first = client_a.post(poll.get_absolute_url(), {f"q_{q.pk}": _choice(poll, "Lindenplatz")})
    second = client_a.post(poll.get_absolute_url(), {f"q_{q.pk}": _choice(poll, "Lindenplatz")})
    results = client_a.get(f"/polls/{poll.key}/results/").content.decode()

    assert (first.status_code, second.status_code) == (302, 403)
    assert Ballot.objects.count() == 1 and not Participation.objects.exists()
    assert "nicht überprüft" in results
    assert poll.title not in client_a.get("/polls/").content.decode()  # unlisted


def test_anonymous_link_votes_are_limited_per_ip(town_a, in_town_a, settings):
    from modules.polls import views

    poll = make_poll(audience="link")
    answer = {f"q_{poll.questions.get().pk}": _choice(poll, "Lindenplatz")}
    statuses = []
    for _ in range(views.LINK_VOTES_PER_IP + 1):
        from tests.helpers import TownClient, host_of

        statuses.append(TownClient(host_of(town_a)).post(poll.get_absolute_url(), answer).status_code)

    assert statuses[-1] == 429 and statuses.count(302) == views.LINK_VOTES_PER_IP
    assert Ballot.objects.count() == views.LINK_VOTES_PER_IP


def test_signed_out_visitors_must_sign_in_for_resident_polls(town_a, client_a, in_town_a):
    poll = make_poll()

    response = client_a.post(poll.get_absolute_url(), {f"q_{poll.questions.get().pk}": _choice(poll, "Lindenplatz")})

    assert response.status_code == 403 and not Ballot.objects.exists()
    assert "Bitte melden Sie sich an" in client_a.get(poll.get_absolute_url()).content.decode()
