"""What other modules (the Mitbringdienst) get from the directory."""

from __future__ import annotations

from modules.directory import facade
from tests.modules.directory.factories import BusinessFactory
from tests.modules.directory.helpers import ALWAYS


def test_business_choices_lists_visible_businesses_with_the_village_first(in_town_a, village, other_village):
    BusinessFactory(name="Aaa im Unterdorf", ortsgemeinde=other_village)
    near = BusinessFactory(name="Zzz im Oberdorf", ortsgemeinde=village, hours=ALWAYS)
    BusinessFactory(name="Wartet", approve=False, ortsgemeinde=village)
    assert [s.name for s in facade.business_choices()] == ["Aaa im Unterdorf", "Zzz im Oberdorf"]
    choices = facade.business_choices(ortsgemeinde_id=village.pk)
    assert [s.name for s in choices] == ["Zzz im Oberdorf", "Aaa im Unterdorf"]
    first = choices[0]
    assert first == facade.business_get(near.pk)
    assert (first.id, first.slug, first.ortsgemeinde_id, first.ortsgemeinde_name) == (
        near.pk, near.slug, village.pk, "Oberdorf"
    )
    assert first.is_open_now is True and choices[1].is_open_now is False
    assert first.url.startswith("http") and first.url.endswith(f"/directory/{near.slug}/")


def test_business_get_hides_what_is_not_public(in_town_a):
    pending = BusinessFactory(name="Wartet", approve=False)
    assert facade.business_get(pending.pk) is None
    assert facade.business_get(999_999) is None
