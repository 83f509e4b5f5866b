"""The town's settings: its regional key (as NINA expects it) and the place of legal publication."""

from __future__ import annotations

import pytest

from modules.alerts.forms import AlertsSettingsForm
from modules.alerts.personal_data import erase, export
from tests.accounts.factories import UserFactory
from tests.modules.alerts.factories import NoticeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("typed", "stored"), [
    ("071320000000", "071320000000"),
    ("0713 2500 1041", "071320000000"),  # a municipality's ARS: NINA answers per district
    ("", ""),
])
def test_the_regional_key_is_stored_at_district_level(typed, stored):
    form = AlertsSettingsForm(data={"ars": typed, "legal_publication": ""})
    assert form.is_valid() and form.cleaned_data["ars"] == stored


def test_a_wrong_regional_key_gets_a_clear_message(town_a, admin_client_a):
    response = admin_client_a.post("/backoffice/modules/alerts/settings/", {"ars": "07132", "legal_publication": ""})

    page = response.content.decode()
    assert "Der ARS hat genau 12 Ziffern" in page or "exactly 12 digits" in page
    from modules.alerts.apps import AlertsConfig  # noqa: F401 (the module is installed)
    from tenants.models import TenantModule

    row = TenantModule.objects.filter(tenant_id=town_a.pk, key="alerts").first()
    assert row is None or not (row.config or {}).get("ars")


def test_personal_data_lists_the_notices_an_admin_published_and_erasure_keeps_them(in_town_a):
    clerk = UserFactory(email="clerk@example.org")
    notice = NoticeFactory(created_by=clerk, title="Ratssitzung")

    assert [n["title"] for n in export(clerk)["notices_published"]] == ["Ratssitzung"]
    erase(clerk)
    notice.refresh_from_db()
    assert notice.created_by is None and notice.title == "Ratssitzung"
