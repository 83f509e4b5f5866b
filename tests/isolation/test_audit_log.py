"""Audit logs per town (ISOLATION T1, T14, T15): A's entries are neither on B's page nor in B's download."""

from __future__ import annotations

from django_tenants.utils import schema_context

from tests.accounts.factories import UserFactory


def test_town_a_s_log_entries_are_not_shown_or_downloaded_in_town_b(town_a, town_b, admin_client_a, admin_client_b):
    # given: an admin action in A on a person whose pk and name exist in B as well
    with schema_context(town_a.schema_name):
        in_a = UserFactory(name="Gleicher Name", email="gleich@example.org")
    with schema_context(town_b.schema_name):
        in_b = UserFactory(name="Gleicher Name", email="gleich@example.org")
    admin_client_a.post(f"/backoffice/personen/{in_a.pk}/", {"action": "role", "role": "moderator"})

    # when
    page_a = admin_client_a.get("/backoffice/protokoll/").content.decode()
    page_b = admin_client_b.get("/backoffice/protokoll/").content.decode()
    csv_b = admin_client_b.get("/backoffice/protokoll/export.csv").content.decode("utf-8-sig")

    # then
    assert "Gleicher Name" in page_a
    assert "Gleicher Name" not in page_b and "Gleicher Name" not in csv_b
    filtered_b = admin_client_b.get("/backoffice/protokoll/", {"action": "user.role"})
    assert all(entry.target_label != "Gleicher Name" for entry in filtered_b.context["page"].object_list)
    with schema_context(town_b.schema_name):
        in_b.refresh_from_db()
        assert in_b.role == "resident"
