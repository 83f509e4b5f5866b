"""Fixtures for the directory tests: villages, and notification tasks run at once (town A)."""

from __future__ import annotations

import pytest

from tests.town.factories import OrtsgemeindeFactory
from town.models import Ortsgemeinde


@pytest.fixture
def village(in_town_a) -> Ortsgemeinde:
    return OrtsgemeindeFactory(name="Oberdorf", slug="oberdorf", postal_codes="57520")


@pytest.fixture
def other_village(in_town_a) -> Ortsgemeinde:
    return OrtsgemeindeFactory(name="Unterdorf", slug="unterdorf", postal_codes="57521")


@pytest.fixture
def mails_sent_now(notifications_off, celery_eager):
    """Run the notification task (queued through the outbox) at commit instead of through the broker.

    In a town without the notifications module, so the task sends its own e-mails.
    """
