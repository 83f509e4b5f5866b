"""The town admin's billing actions are in the town's audit log, with the settings before and after."""

from __future__ import annotations

from django_tenants.utils import schema_context

from town.models import AuditEntry


def test_changing_the_sponsorship_settings_is_logged_with_before_and_after(town_a, catalogue, admin_client_a):
    # given
    data = {"enabled": "on", "excluded_terms": "Bestattung"}
    for product in catalogue.values():
        data.update({f"{product.key}-offered": "on", f"{product.key}-monthly_price": "25.00",
                     f"{product.key}-slots": "3"})

    # when
    response = admin_client_a.post("/backoffice/sponsoring/", data)

    # then
    assert response.status_code == 302
    with schema_context(town_a.schema_name):
        entry = AuditEntry.objects.filter(action="billing.sponsorship_settings").get()
    assert entry.actor_name == "Anna Admin" and entry.ip_address == "127.0.0.1"
    assert entry.changes["excluded_terms"][1] == "Bestattung"
    assert entry.changes["offer:home-card"][1] == "25,00 € netto im Monat, 3 Plätze"
