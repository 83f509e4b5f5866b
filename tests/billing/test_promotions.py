"""Sponsored entries: only paid and active ones, the same order for everyone, at most the slot's maximum."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from billing import promotions
from billing.facade import PromotionSlot
from tests.billing.factories import PromotionFactory


@pytest.fixture
def slot(monkeypatch):
    slot = PromotionSlot(key="demo.top", label="Oben", max_entries=2, target="category")
    monkeypatch.setattr(promotions, "promotion_slot", lambda key: slot)
    return slot


def _promotion(town, name, *, minutes_ago=10, status="active", target_id=7, ends_in=None):

    now = timezone.now()
    with schema_context("public"):
        return PromotionFactory(
            tenant_id=town.pk, slot_key="demo.top", target_id=target_id, sponsor_organisation_id=1,
            sponsor_name=name, starts_at=now - timedelta(minutes=minutes_ago), status=status,
            ends_at=None if ends_in is None else now + timedelta(minutes=ends_in),
        )


def test_only_active_running_promotions_of_this_town_and_target_in_start_order(slot, town_a, town_b):
    _promotion(town_a, "Bäckerei Zweite", minutes_ago=5)
    _promotion(town_a, "Bäckerei Erste", minutes_ago=50)
    _promotion(town_a, "Dritte passt nicht mehr", minutes_ago=1)
    _promotion(town_a, "Pausiert", status="paused")
    _promotion(town_a, "Abgelaufen", ends_in=-1)
    _promotion(town_a, "Noch nicht", minutes_ago=-30)
    _promotion(town_a, "Andere Kategorie", target_id=8)
    _promotion(town_b, "Andere Gemeinde", minutes_ago=100)

    shown = promotions.active_promotions(slot_key="demo.top", target_id=7, tenant=town_a)

    assert [p.sponsor_name for p in shown] == ["Bäckerei Erste", "Bäckerei Zweite"]


def test_no_promotions_on_the_public_site(slot, db):
    assert promotions.active_promotions(slot_key="demo.top") == []
