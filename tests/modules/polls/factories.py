"""Polls for tests, made through the services like the town's back office makes them (current schema)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from accounts.models import Role, User
from modules.polls.models import Poll
from modules.polls.services import QuestionInput, poll_create, poll_publish

DEFAULT_QUESTIONS = (
    QuestionInput(text="Wie soll der Dorfplatz heißen?", kind="single", options=["Lindenplatz", "Brunnenplatz"]),
)


def town_admin() -> User:
    return User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()  # type: ignore[return-value]


def make_poll(*, questions: Any = DEFAULT_QUESTIONS, publish: bool = True, opens_in: timedelta = -timedelta(hours=1),
              closes_in: timedelta = timedelta(days=7), **fields: Any) -> Poll:
    now = timezone.now()
    fields.setdefault("title", "Umfrage zum Dorfplatz")
    poll = poll_create(acting_user=town_admin(), opens_at=now + opens_in, closes_at=now + closes_in,
                       questions=list(questions), **fields)
    if publish:
        poll_publish(poll=poll, acting_user=town_admin())
    return poll
