"""The town's audit log (issue 17 §6): an entry for every admin action; read-only, per town, downloadable."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import timedelta
from unittest.mock import ANY

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import Resolver404, resolve
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import Role
from core.models import AuditLogRefused
from tests.accounts.factories import UserFactory
from tests.helpers import TownClient, host_of, logged_in_client
from tests.town.factories import MembershipFactory, OrganisationFactory, OrtsgemeindeFactory
from town.models import AuditEntry, Invitation, InvitationRole, OrganisationMembership

# --- one entry per admin action -----------------------------------------------------------------
# Each case does one thing through the back office, as an admin would, and names the entry it expects:
# (action key, text in the object's label, {field: [before, after]} that must be among the changes).

Case = Callable[[object], tuple[str, str, dict]]


def _role(client) -> tuple[str, str, dict]:
    person = UserFactory(name="Rita Rolle")
    client.post(f"/backoffice/personen/{person.pk}/", {"action": "role", "role": Role.MODERATOR})
    return "user.role", "Rita Rolle", {"role": [Role.RESIDENT, Role.MODERATOR]}


def _deactivate(client) -> tuple[str, str, dict]:
    person = UserFactory(name="Dieter Sperre")
    client.post(f"/backoffice/personen/{person.pk}/", {"action": "deactivate"})
    return "user.deactivate", "Dieter Sperre", {"is_active": [True, False]}


def _reactivate(client) -> tuple[str, str, dict]:
    person = UserFactory(name="Rena Zurück", is_active=False)
    client.post(f"/backoffice/personen/{person.pk}/", {"action": "reactivate"})
    return "user.reactivate", "Rena Zurück", {"is_active": [False, True]}


def _invite(client) -> tuple[str, str, dict]:
    client.post("/backoffice/personen/invite/", {"email": "neu@example.org", "role": InvitationRole.MODERATOR})
    return "invitation.create", "neu@example.org", {"role": [None, InvitationRole.MODERATOR]}


def _withdraw(client) -> tuple[str, str, dict]:
    invitation = Invitation.objects.create(email="weg@example.org", role=InvitationRole.ADMIN,
                                           expires_at=timezone.now() + timedelta(days=7))
    client.post(f"/backoffice/invitations/{invitation.pk}/withdraw/")
    return "invitation.revoke", "weg@example.org", {"email": ["weg@example.org", None]}


def _organisation_create(client) -> tuple[str, str, dict]:
    client.post("/backoffice/organisationen/new/", {"name": "Schützenverein", "slug": "schuetzen", "kind": "verein"})
    return "organisation.create", "Schützenverein", {"name": [None, "Schützenverein"]}


def _organisation_delete(client) -> tuple[str, str, dict]:
    OrganisationFactory(name="Kegelclub", slug="kegelclub")
    client.post("/backoffice/organisationen/kegelclub/delete/")
    return "organisation.delete", "Kegelclub", {"name": ["Kegelclub", None]}


def _member_add(client) -> tuple[str, str, dict]:
    OrganisationFactory(name="Chor", slug="chor")
    UserFactory(name="Sabine Sängerin", email="sabine@example.org")
    client.post("/backoffice/organisationen/chor/members/", {"email": "sabine@example.org", "role": "manager"})
    return "membership.add", "Sabine Sängerin", {"role": [None, "manager"]}


def _member_remove(client) -> tuple[str, str, dict]:
    membership = MembershipFactory(organisation__slug="tafel", user__name="Theo Tafel")
    client.post(f"/backoffice/organisationen/tafel/members/{membership.pk}/remove/")
    return "membership.remove", "Theo Tafel", {"role": ["editor", None]}


def _contact(client) -> tuple[str, str, dict]:
    client.post("/backoffice/contact/", {"contact_name": "Frau Ansprech", "contact_role": "Bürgerbüro"})
    return "profile.update", "", {"contact_name": [ANY, "Frau Ansprech"]}


def _ortsgemeinde_create(client) -> tuple[str, str, dict]:
    client.post("/backoffice/ortsgemeinden/new/", {"name": "Neudorf", "slug": "neudorf", "postal_codes": "57520"})
    return "ortsgemeinde.create", "Neudorf", {"postal_codes": [None, "57520"]}


def _ortsgemeinde_delete(client) -> tuple[str, str, dict]:
    village = OrtsgemeindeFactory(name="Altweiler")
    client.post(f"/backoffice/ortsgemeinden/{village.pk}/delete/")
    return "ortsgemeinde.delete", "Altweiler", {"name": ["Altweiler", None]}


def _module_off(client) -> tuple[str, str, dict]:
    client.post("/backoffice/modules/news/toggle/", {"action": "disable"})
    return "module.disable", "news", {"enabled": [True, False]}


def _organisation_update(client) -> tuple[str, str, dict]:
    OrganisationFactory(name="Turnverein", slug="turnverein")
    client.post("/backoffice/organisationen/turnverein/edit/", {"name": "TV 1860", "slug": "turnverein",
                                                                 "kind": "verein"})
    return "organisation.update", "TV 1860", {"name": ["Turnverein", "TV 1860"]}


def _ortsgemeinde_update(client) -> tuple[str, str, dict]:
    village = OrtsgemeindeFactory(name="Oberdorf", slug="oberdorf")
    client.post(f"/backoffice/ortsgemeinden/{village.pk}/", {"name": "Oberdorf", "slug": "oberdorf",
                                                              "postal_codes": "57580"})
    return "ortsgemeinde.update", "Oberdorf", {"postal_codes": ["", "57580"]}


def _module_on(client) -> tuple[str, str, dict]:
    from tenants.services import tenant_module_disable

    tenant_module_disable(tenant=connection.tenant, key="news")
    client.post("/backoffice/modules/news/toggle/", {"action": "enable"})
    return "module.enable", "news", {"enabled": [False, True]}


def _notification_defaults(client) -> tuple[str, str, dict]:
    page = client.get("/notifications/manage/defaults/")
    decided = page.context["form"].initial["decided"]
    client.post("/notifications/manage/defaults/", {"subscribed": [], "decided": decided})
    return "module.configure", "notifications", {"subscribed": [ANY, []]}


def _module_settings(client) -> tuple[str, str, dict]:
    client.post("/backoffice/modules/moderation/settings/", {
        "new_account_days": 30, "posts_per_day": 5, "comments_per_day": 20, "messages_per_day": 20,
        "groups_per_day": 1,
    })
    return "module.configure", "moderation", {"new_account_days": [ANY, 30]}


CASES: dict[str, Case] = {
    "role": _role, "deactivate": _deactivate, "reactivate": _reactivate, "invite": _invite, "withdraw": _withdraw,
    "organisation-create": _organisation_create, "organisation-delete": _organisation_delete,
    "member-add": _member_add, "member-remove": _member_remove, "contact-person": _contact,
    "ortsgemeinde-create": _ortsgemeinde_create, "ortsgemeinde-delete": _ortsgemeinde_delete,
    "module-off": _module_off, "module-settings": _module_settings, "organisation-update": _organisation_update,
    "ortsgemeinde-update": _ortsgemeinde_update, "module-on": _module_on,
    "notification-defaults": _notification_defaults,
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_each_admin_action_leaves_one_entry_with_who_what_and_from_where(case, town_a, admin_client_a):
    # given
    with schema_context(town_a.schema_name):
        known = set(AuditEntry.objects.values_list("pk", flat=True))
        connection.set_tenant(town_a)
        try:
            action, label, changes = case(admin_client_a)
        finally:
            connection.set_schema_to_public()

    # then
    with schema_context(town_a.schema_name):
        new = list(AuditEntry.objects.exclude(pk__in=known).filter(action=action))
    assert len(new) == 1, f"expected one {action} entry, found {[e.action for e in new]}"
    entry = new[0]
    assert entry.actor_name == "Anna Admin" and entry.actor_id is not None
    assert entry.ip_address == "127.0.0.1"
    assert label.lower() in (entry.target_label + entry.target_id).lower()
    for name, values in changes.items():
        assert entry.changes.get(name) == values, entry.changes


def test_the_log_page_filters_by_person_action_and_day_with_a_fixed_number_of_queries(
        town_a, admin_client_a, django_assert_max_num_queries):
    # given
    with schema_context(town_a.schema_name):
        for n in range(3):
            AuditEntry.objects.create(actor_id=900 + n, actor_name=f"Person {n}", action="user.role",
                                      target_label=f"Ziel {n}")
        AuditEntry.objects.create(actor_id=901, actor_name="Person 1", action="module.enable", target_label="News",
                                  created_at=timezone.now() - timedelta(days=10))
    admin_client_a.get("/backoffice/protokoll/")

    # when
    with django_assert_max_num_queries(20) as few:
        page = admin_client_a.get("/backoffice/protokoll/")
    budget = len(few)
    with schema_context(town_a.schema_name):
        for n in range(30):
            AuditEntry.objects.create(actor_id=950 + n, actor_name=f"Mehr {n}", action="user.deactivate")
    with django_assert_max_num_queries(budget):
        admin_client_a.get("/backoffice/protokoll/")

    # then
    html = page.content.decode()
    assert page.status_code == 200 and "Ziel 2" in html and "Rolle geändert" in html
    by_person = admin_client_a.get("/backoffice/protokoll/", {"actor": 901}).context["page"].object_list
    assert {e.target_label for e in by_person} == {"Ziel 1", "News"}
    by_action = admin_client_a.get("/backoffice/protokoll/", {"action": "module.enable"}).context["page"].object_list
    assert [e.target_label for e in by_action] == ["News"]
    today = timezone.localdate().isoformat()
    by_day = admin_client_a.get("/backoffice/protokoll/", {"date_from": today, "actor": 901}).context["page"]
    assert [e.target_label for e in by_day.object_list] == ["Ziel 1"]


def test_bad_filters_are_a_german_message_not_an_error(admin_client_a):
    response = admin_client_a.get("/backoffice/protokoll/", {"date_from": "2026-05-02", "date_to": "2026-05-01",
                                                             "actor": "x"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Das Enddatum darf nicht vor dem Anfangsdatum liegen." in html


def test_the_csv_holds_the_filtered_entries_and_no_formula(town_a, admin_client_a):
    # given
    with schema_context(town_a.schema_name):
        AuditEntry.objects.create(actor_id=1, actor_name="=HYPERLINK(\"x\")", action="organisation.create",
                                  target_label="@Verein", changes={"name": [None, "+Verein"]}, ip_address="10.0.0.1")
        AuditEntry.objects.create(actor_id=1, actor_name="Anna", action="user.role", target_label="Andere")

    # when
    response = admin_client_a.get("/backoffice/protokoll/export.csv", {"action": "organisation.create"})

    # then
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Zeit", "Person", "Aktion"]
    assert not any("Andere" in row for row in rows)
    rows = [row for row in rows if row[3] == "'@Verein"]
    assert rows[0][1] == "'=HYPERLINK(\"x\")" and rows[0][2] == "Organisation angelegt"
    assert rows[0][5] == "10.0.0.1" and "+Verein" in rows[0][4]


def test_only_the_towns_admins_read_the_log(town_a):
    with schema_context(town_a.schema_name):
        moderator = UserFactory(role=Role.MODERATOR)
    anonymous = TownClient(host_of(town_a))
    assert anonymous.get("/backoffice/protokoll/").status_code == 302
    assert anonymous.get("/backoffice/protokoll/export.csv").status_code == 302
    as_moderator = logged_in_client(town_a, moderator)
    assert as_moderator.get("/backoffice/protokoll/").status_code == 403
    assert as_moderator.get("/backoffice/protokoll/export.csv").status_code == 403


def test_the_back_office_menu_links_the_log(admin_client_a):
    assert 'href="/backoffice/protokoll/"' in admin_client_a.get("/backoffice/").content.decode()


# --- append-only ----------------------------------------------------------------------------------


def test_no_route_changes_or_deletes_an_entry(town_a, admin_client_a):
    # given
    with schema_context(town_a.schema_name):
        entry = AuditEntry.objects.create(actor_name="Anna", action="user.role", target_label="Bleibt")

    # when: every method on the log's routes, and the paths an edit or delete would have
    for method in ("post", "put", "patch", "delete"):
        for path in ("/backoffice/protokoll/", "/backoffice/protokoll/export.csv"):
            assert getattr(admin_client_a, method)(path).status_code == 405
    for path in (f"/backoffice/protokoll/{entry.pk}/", f"/backoffice/protokoll/{entry.pk}/delete/"):
        with pytest.raises(Resolver404):
            resolve(path, urlconf="config.urls_tenant")

    # then
    with schema_context(town_a.schema_name):
        assert AuditEntry.objects.get(pk=entry.pk).target_label == "Bleibt"


def test_the_model_and_the_database_refuse_changes_and_deletes(in_town_a):
    entry = AuditEntry.objects.create(actor_name="Anna", action="user.role", target_label="Bleibt")
    entry.target_label = "Geändert"
    with pytest.raises(AuditLogRefused):
        entry.save()
    with pytest.raises(AuditLogRefused):
        entry.delete()
    with pytest.raises(AuditLogRefused):
        AuditEntry.objects.filter(pk=entry.pk).update(target_label="Geändert")
    with pytest.raises(AuditLogRefused):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    # Around the model: raw SQL is refused by the table's trigger.
    for statement in ("UPDATE town_auditentry SET target_label = 'x' WHERE id = %s",
                      "DELETE FROM town_auditentry WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).target_label == "Bleibt"


def test_a_person_deleted_from_the_town_keeps_their_entries(in_town_a):
    # No foreign key: the log names who did it even after the account is gone.
    person = UserFactory(name="Gisela Geht")
    membership = MembershipFactory(user=person)
    from core.audit import audit_record

    audit_record(person, "membership.remove", membership)
    OrganisationMembership.objects.filter(user=person).delete()
    person.delete()
    assert AuditEntry.objects.filter(actor_name="Gisela Geht").count() == 1


def test_a_persons_data_export_lists_what_they_did_without_naming_others(in_town_a):
    from core.audit import audit_record
    from core.personal_data import personal_data_collect

    admin = UserFactory(name="Olga Ordnung", role=Role.ADMIN)
    audit_record(admin, "user.role", UserFactory(name="Paul Privat"), before={"role": "resident"},
                 after={"role": "moderator"})
    data = personal_data_collect(admin)["town"]["audit_log"]
    assert [row["action"] for row in data] == ["user.role"]
    assert "Paul Privat" not in str(data)
