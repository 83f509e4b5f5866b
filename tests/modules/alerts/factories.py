"""Factories of the alerts models (they write into whatever town schema is active)."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from modules.alerts.models import Notice, OfficialWarning


class NoticeFactory(factory.django.DjangoModelFactory):
    """A current Bekanntmachung, stored directly (no notification, like a non-urgent one)."""

    class Meta:
        model = Notice

    title = factory.Sequence(lambda n: f"Bekanntmachung {n}")
    kind = "road"
    body = "Wegen Bauarbeiten gesperrt."
    valid_from = factory.LazyFunction(timezone.localdate)
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))
    place = "Hauptstraße"


class OfficialWarningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficialWarning

    identifier = factory.Sequence(lambda n: f"mow.DE-RP-AK-TEST-{n:04d}")
    version = 1
    provider = "MOWAS"
    severity = "Severe"
    headline = factory.Sequence(lambda n: f"Gefahreninformation {n}")
