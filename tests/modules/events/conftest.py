"""Fixtures for the events tests (current schema: town A)."""

from __future__ import annotations

import pytest

from accounts.models import User
from tests.accounts.factories import UserFactory
from tests.town.factories import MembershipFactory, OrganisationFactory, OrtsgemeindeFactory
from town.models import MembershipRole, Organisation, Ortsgemeinde


@pytest.fixture
def villages(in_town_a) -> dict[str, Ortsgemeinde]:
    return {
        "x": OrtsgemeindeFactory(name="Xanten-Au", slug="xanten-au", postal_codes="57580"),
        "y": OrtsgemeindeFactory(name="Ypsdorf", slug="ypsdorf", postal_codes="57581"),
    }


@pytest.fixture
def tus(in_town_a) -> Organisation:
    return OrganisationFactory(name="TuS Altdorf", slug="tus-altdorf", kind="verein")


@pytest.fixture
def tus_editor(tus) -> User:
    """An editor of the TuS, and of nothing else."""
    return MembershipFactory(user=UserFactory(email="trainer@example.org", name="Tom Trainer"), organisation=tus,
                             role=MembershipRole.EDITOR).user


@pytest.fixture
def resident(in_town_a) -> User:
    return UserFactory(email="rita@example.org", name="Rita Resident")


@pytest.fixture(autouse=True)
def _mails_at_once(celery_eager) -> None:
    """The events' mails go through the outbox (core.mail.town_mail_enqueue); here they run at commit, like a worker."""
