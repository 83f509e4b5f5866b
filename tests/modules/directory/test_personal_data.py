"""Branchenbuch in a person's export and erasure: the entry is the business's and stays, without her name."""

from __future__ import annotations

import pytest

from core.personal_data import personal_data_erase
from modules.directory.models import Business
from tests.core.personal_data_helpers import flat, person, section
from town.models import Organisation

pytestmark = pytest.mark.django_db


def _business(name: str, slug: str, **people) -> Business:
    organisation = Organisation.objects.create(name=name, slug=slug, kind="business")
    return Business.objects.create(organisation=organisation, name=name, slug=slug, **people)


def test_export_lists_her_applications_and_erase_keeps_the_entries(in_town_a):
    anna, bert = person("anna@example.org", "Anna Albers"), person("bert@example.org", "Bert Brandt")
    bakery = _business("Bäckerei Albers", "baeckerei-albers", applicant=anna, reviewed_by=bert)
    butcher = _business("Metzgerei Brandt", "metzgerei-brandt", applicant=bert, reviewed_by=anna)

    data = section(anna, "directory")
    assert [b["name"] for b in data["applications"]] == ["Bäckerei Albers"]
    assert "Metzgerei" not in flat(data)

    personal_data_erase(anna)

    bakery.refresh_from_db()
    butcher.refresh_from_db()
    assert (bakery.name, bakery.applicant_id, bakery.reviewed_by_id) == ("Bäckerei Albers", None, bert.pk)
    assert (butcher.applicant_id, butcher.reviewed_by_id) == (bert.pk, None)
