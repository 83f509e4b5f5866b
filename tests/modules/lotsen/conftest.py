"""Fixtures of the Digitallotsen tests: an appointed Lotse in town A (whose legal texts are published)."""

from __future__ import annotations

import pytest

from accounts.models import User
from modules.lotsen.models import Lotse
from modules.lotsen.services import lotse_appoint
from tests.accounts.factories import UserFactory
from tests.helpers import admin_of, legal_texts_fill


@pytest.fixture
def lotse(in_town_a, town_a) -> User:
    legal_texts_fill(town_a)
    person = UserFactory(email="lotte@example.org", name="Lotte Lotse")
    lotse_appoint(acting_user=admin_of(town_a), email=person.email, where_to_find="Dienstags im DGH")
    assert Lotse.objects.filter(user=person).exists()
    return person
