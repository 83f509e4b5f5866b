"""Pickup areas: a whole Ortsgemeinde or some of its streets; a street is in one area only."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from modules.waste import selectors, services


def test_a_street_in_two_areas_is_refused(admin, areas, places):
    with pytest.raises(ValidationError) as exc:
        services.area_create(acting_user=admin, name="Doppelt", ortsgemeinde=places["gebhardshain"],
                             streets=[places["streets"]["Hauptstraße"]])
    assert "“Hauptstraße” is already in the pickup area “Gebhardshain Nord”" in " ".join(exc.value.messages)


def test_a_whole_village_area_and_street_areas_do_not_mix(admin, areas, places):
    with pytest.raises(ValidationError):
        services.area_create(acting_user=admin, name="Ganz Gebhardshain", ortsgemeinde=places["gebhardshain"])


def test_residents_pick_a_street_or_a_whole_village(areas):
    groups = {group.label: [choice.label for choice in group.choices] for group in selectors.place_choices()}
    assert groups == {"Gebhardshain": ["Am Sportplatz, Gebhardshain", "Hauptstraße, Gebhardshain",
                                       "Schulstraße, Gebhardshain"], "Kausen": ["Kausen"]}
    street = areas["sued"].area_streets.get().street
    assert selectors.choice_resolve(f"s{street.pk}") == (areas["sued"], street)
    assert selectors.choice_resolve("s999999") is None and selectors.choice_resolve("x1") is None
