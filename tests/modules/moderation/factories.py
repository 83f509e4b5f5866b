"""Factories for moderation: reports through the services (they open or join a case), the town's word filter."""

from __future__ import annotations

from typing import Any

import factory

from accounts.models import User
from modules.moderation.models import BlockedTerm, Report
from modules.moderation.services import report_create
from tests.accounts.factories import UserFactory


class ReportFactory(factory.django.DjangoModelFactory):
    """`reporter` reports the content `kind`/`object_id` (default: note 1 of the tests' fake kind, see
    the `fake_kind` fixture) as spam; reports on the same content join one case."""

    class Meta:
        model = Report

    kind = "test.note"
    object_id = 1
    category = "spam"
    text = "Spam"
    reporter = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class: type[Report], *, reporter: User, **fields: Any) -> Report:
        return report_create(acting_user=reporter, **fields)


class BlockedTermFactory(factory.django.DjangoModelFactory):
    """A word of the town's filter (stored lower-case)."""

    class Meta:
        model = BlockedTerm

    term = factory.Sequence(lambda n: f"schimpfwort{n}")
