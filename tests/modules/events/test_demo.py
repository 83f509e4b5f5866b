"""The demo content loads once and stays as it is when loaded again."""

from __future__ import annotations

import pytest

from modules.events import demo
from modules.events.models import Event, EventStatus, Venue

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once(in_town_a):
    first = demo.load()
    assert first >= len(demo.VENUES) + 1
    assert Venue.objects.count() == len(demo.VENUES)
    assert Event.objects.filter(title="Bauernmarkt am Rathaus", status=EventStatus.PUBLISHED).exists()
    assert demo.load() == 0
