"""The town sets up polls: questions of four kinds; bad input is refused with nothing stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from modules.polls.models import Poll, Question
from modules.polls.services import QuestionInput, poll_create
from tests.modules.polls.factories import make_poll, town_admin

FOUR_KINDS = [
    QuestionInput(text="Welcher Name?", kind="single", options=["Linde", "Brunnen"]),
    QuestionInput(text="Was soll hin?", kind="multiple", options=["Bank", "Baum", "Brunnen"]),
    QuestionInput(text="Wie gefällt Ihnen der Platz heute?", kind="rating"),
    QuestionInput(text="Was fehlt?", kind="text", required=False),
]


def test_a_poll_holds_questions_of_every_kind(in_town_a):
    poll = make_poll(questions=FOUR_KINDS)

    kinds = [(q.kind, q.options.count()) for q in poll.questions.all()]
    assert kinds == [("single", 2), ("multiple", 3), ("rating", 0), ("text", 0)]


@pytest.mark.parametrize(("change", "field"), [
    ({"questions": []}, "questions"),
    ({"questions": [QuestionInput(text="Welcher?", kind="single", options=["Nur eine"])]}, "questions"),
    ({"questions": [QuestionInput(text="Welcher?", kind="multiple", options=[])]}, "questions"),
    ({"closes_in": -timedelta(hours=2)}, "closes_at"),
    ({"audience": "ortsgemeinde"}, "ortsgemeinde"),
    ({"title": "  "}, "title"),
])
def test_bad_polls_are_refused_and_nothing_is_stored(in_town_a, change, field):
    now = timezone.now()
    data = {"title": "Umfrage", "questions": FOUR_KINDS, "audience": "town", "closes_in": timedelta(days=1)}
    data.update(change)
    closes_in = data.pop("closes_in")

    with pytest.raises(ValidationError) as error:
        poll_create(acting_user=town_admin(), opens_at=now, closes_at=now + closes_in, **data)

    assert field in error.value.message_dict
    assert not Poll.objects.exists() and not Question.objects.exists()


def test_residents_cannot_create_polls(in_town_a, erna):
    with pytest.raises(PermissionDenied):
        poll_create(acting_user=erna, title="Meine Umfrage", opens_at=timezone.now(),
                    closes_at=timezone.now() + timedelta(days=1), questions=FOUR_KINDS)


def test_back_office_form_creates_edits_and_publishes_a_poll(in_town_a, admin_client_a, villages):
    response = admin_client_a.post("/polls/manage/polls/new/", {
        "title": "Dorfplatz Elkenroth", "description": "Wie soll er aussehen?", "audience": "ortsgemeinde",
        "ortsgemeinde": villages["e"].pk, "opens_at": "2026-01-01T10:00", "closes_at": "2036-01-01T10:00",
        "results_visibility": "after_close", "question_1": "Was soll hin?", "kind_1": "multiple",
        "options_1": "Bank\nBaum\nBrunnen", "question_2": "", "kind_2": "single",
    })
    poll = Poll.objects.get()
    assert response.status_code == 302
    assert poll.ortsgemeinde == villages["e"] and not poll.is_published
    assert [o.text for o in poll.questions.get().options.all()] == ["Bank", "Baum", "Brunnen"]

    admin_client_a.post(f"/polls/manage/polls/{poll.pk}/publish/")
    poll.refresh_from_db()
    assert poll.is_published


def test_the_form_says_in_german_when_closing_comes_before_opening(in_town_a, admin_client_a):
    admin_client_a.cookies["django_language"] = "de"
    response = admin_client_a.post("/polls/manage/polls/new/", {
        "title": "Zeitreise", "audience": "town", "opens_at": "2030-01-02T10:00", "closes_at": "2030-01-01T10:00",
        "results_visibility": "live", "question_1": "Ja?", "kind_1": "single", "options_1": "Ja\nNein",
    }, HTTP_ACCEPT_LANGUAGE="de")

    assert response.status_code == 400
    assert "nach dem Beginn" in response.content.decode()
    assert not Poll.objects.exists()


def test_after_the_first_vote_only_title_text_closing_and_results_change(in_town_a, admin_client_a, erna):
    from modules.polls.services import vote_cast

    poll = make_poll(title="Alt")
    question = poll.questions.get()
    vote_cast(poll=poll, acting_user=erna, answers={question.pk: question.options.first().pk})
    form = {"title": "Neu", "audience": "town", "results_visibility": "live",
            "opens_at": timezone.localtime(poll.opens_at).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": "2036-01-01T10:00"}

    saved = admin_client_a.post(f"/polls/manage/polls/{poll.pk}/", form)
    moved = admin_client_a.post(f"/polls/manage/polls/{poll.pk}/", {**form, "opens_at": "2020-01-01T10:00"})

    poll.refresh_from_db()
    assert (saved.status_code, moved.status_code) == (302, 400)
    assert poll.title == "Neu" and poll.results_visibility == "live" and poll.questions.count() == 1
