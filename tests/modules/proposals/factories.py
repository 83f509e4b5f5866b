"""Proposals for tests, made through the services as residents make them (current schema)."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from modules.proposals.models import Proposal
from modules.proposals.services import proposal_create
from tests.accounts.factories import UserFactory


def make_proposal(*, author: User | None = None, title: str = "Bank an der Bushaltestelle",
                  text: str = "Eine Bank für die Wartenden.", ortsgemeinde: Any = None, **fields: Any) -> Proposal:
    return proposal_create(acting_user=author or UserFactory(), title=title, text=text, ortsgemeinde=ortsgemeinde,
                           category=fields.pop("category", None), **fields)


def supporters(count: int, prefix: str = "unterstuetzer") -> list[User]:
    return [UserFactory(email=f"{prefix}{n}@example.org") for n in range(count)]
