"""A resident's own data: the copy they download, the deletion of their account (GDPR Art. 15, 17, 20)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from accounts.models import User
from core.models import OutboxMessage
from core.personal_data import personal_data_providers
from core.storage import private_storage
from tests.accounts.factories import PASSWORD, UserFactory
from tests.helpers import ADMIN_PASSWORD, TownClient, admin_of, host_of, logged_in_client, shown
from tests.town.privacy_helpers import something_everywhere
from town.models import DataExport, DataExportStatus
from town.privacy_selectors import retained_tables
from town.privacy_services import data_export_build, data_export_ready_mail_send

pytestmark = pytest.mark.django_db

ANNA = {"email": "anna@example.org", "name": "Anna Albers"}
STORES_NOTHING = {"display"}


@pytest.fixture(autouse=True)
def _archives_removed_afterwards():
    """The rows roll back with the test; the archives the tests built are removed here."""
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.PRIVATE_MEDIA_ROOT)
    before = set(root.glob("*/exports/*"))
    yield
    for path in set(root.glob("*/exports/*")) - before:
        path.unlink(missing_ok=True)


def _flat(data) -> str:
    return json.dumps(data, default=str, ensure_ascii=False)


def _built_export(town, user) -> DataExport:
    """What the resident's button and the task do: request, then build (the task's service)."""
    client = logged_in_client(town, user)
    assert client.post("/konto/meine-daten/").status_code == 302
    with tenant_context(town):
        export = DataExport.objects.get(user=user)
        return data_export_build(export_id=export.pk)


def _download(client, export) -> tuple[dict, dict[str, bytes]]:
    response = client.get(f"/konto/meine-daten/{export.pk}/herunterladen/")
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/zip" and "no-store" in response["Cache-Control"]
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as zf:
        entries = {name: zf.read(name) for name in zf.namelist()}
    return json.loads(entries.pop("data.json")), entries


def test_the_download_holds_every_module_and_nothing_of_a_namesake_or_the_other_town(town_a, town_b):
    # given: Anna, a second Anna Albers in her town, and the same address in the other town
    with tenant_context(town_b):
        bergdorf_anna = UserFactory(**ANNA)
        something_everywhere(bergdorf_anna, tag="BERGDORF", neighbour=admin_of(town_b), town=town_b)
    with tenant_context(town_a):
        anna = UserFactory(**ANNA)
        namesake = UserFactory(email="a.albers@example.org", name=ANNA["name"])
        something_everywhere(anna, tag="ANNA", neighbour=namesake, town=town_a)
        something_everywhere(namesake, tag="NAMESAKE", neighbour=anna, town=town_a)

    # when
    export = _built_export(town_a, anna)
    data, files = _download(logged_in_client(town_a, anna), export)

    # then: every app's section, each with something in it, and only hers
    sections = data["sections"]
    assert set(sections) == {provider.key for provider in personal_data_providers()}
    # The Schaukasten names nobody (modules/display/personal_data.py): its section is empty by design.
    empty = [key for key, section in sections.items()
             if key not in STORES_NOTHING and not any(value for value in section.values())]
    assert not empty, f"sections without Anna's data: {empty}"
    assert "ANNA" in _flat(data)
    assert "NAMESAKE" not in _flat(data) and "a.albers@example.org" not in _flat(data)
    assert "BERGDORF" not in _flat(data) and data["town"] == town_a.schema_name
    assert all(b"NAMESAKE" not in content for content in files.values())


def test_the_ready_mail_links_to_the_page_and_the_file_stays_private(town_a):
    with tenant_context(town_a):
        anna = UserFactory(**ANNA)
    export = _built_export(town_a, anna)

    with tenant_context(town_a):
        assert OutboxMessage.objects.filter(task_name="town.data_export_ready_mail", args=[export.pk]).exists()
        assert data_export_ready_mail_send(export_id=export.pk)
        stored = private_storage().path(export.file_name)
    [sent] = mail.outbox
    assert sent.to == [ANNA["email"]] and f"http://{host_of(town_a)}/konto/meine-daten/" in sent.body
    assert export.status == DataExportStatus.READY and export.size_bytes > 0
    assert export.expires_at - timezone.now() > timedelta(days=6)
    # not under the public media folder, and /media/ can't reach it
    from django.conf import settings

    assert not stored.startswith(settings.MEDIA_ROOT)
    assert TownClient(host_of(town_a)).get(f"/media/{export.file_name}").status_code == 404


def test_the_download_works_only_for_its_owner_in_her_town_and_until_it_expires(town_a, town_b):
    with tenant_context(town_a):
        anna, bert = UserFactory(**ANNA), UserFactory(email="bert@example.org", name="Bert Brandt")
    with tenant_context(town_b):
        # the same address, and likely the same id, in the other town
        bergdorf_anna = UserFactory(**ANNA)
    export = _built_export(town_a, anna)
    url = f"/konto/meine-daten/{export.pk}/herunterladen/"

    assert logged_in_client(town_a, anna).get(url).status_code == 200
    assert logged_in_client(town_a, bert).get(url).status_code == 404
    assert logged_in_client(town_b, bergdorf_anna).get(url).status_code == 404
    assert logged_in_client(town_b, admin_of(town_b)).get(url).status_code == 404
    anonymous = TownClient(host_of(town_a)).get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]

    with tenant_context(town_a):
        DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert logged_in_client(town_a, anna).get(url).status_code == 404


def test_the_page_shows_the_status_and_a_second_request_waits_for_the_first(town_a):
    with tenant_context(town_a):
        anna = UserFactory(**ANNA)
    client = logged_in_client(town_a, anna)

    assert shown("Prepare a copy of my data") in client.get("/konto/meine-daten/").content.decode()
    client.post("/konto/meine-daten/")
    again = client.post("/konto/meine-daten/", follow=True).content.decode()

    assert shown("Your data is still being prepared. We will send you an e-mail when it is ready.") in again
    assert shown("being prepared …") in again
    with tenant_context(town_a):
        assert DataExport.objects.filter(user=anna).count() == 1


def _columns(kinds: tuple[str, ...]) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.table_name, c.column_name FROM information_schema.columns c "
            "JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
            "WHERE c.table_schema = %s AND t.table_type = 'BASE TABLE' AND c.data_type = ANY(%s)",
            [connection.schema_name, list(kinds)],
        )
        return cursor.fetchall()


def _user_references() -> list[tuple[str, str]]:
    """Every column of the town's schema that points at accounts_user.id."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT kcu.table_name, kcu.column_name FROM information_schema.table_constraints tc "
            "JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name "
            " AND kcu.table_schema = tc.table_schema "
            "JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name "
            " AND ccu.table_schema = tc.table_schema "
            "WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = %s AND ccu.table_name = 'accounts_user'",
            [connection.schema_name],
        )
        return cursor.fetchall()


def _traces(user_id: int, needles: list[str]) -> set[str]:
    """Tables of the current town that still hold one of `needles` in a text column, or point at `user_id`."""
    found = set()
    with connection.cursor() as cursor:
        for table, column in _columns(("text", "character varying", "json", "jsonb")):
            for needle in needles:
                cursor.execute(f'SELECT 1 FROM "{table}" WHERE "{column}"::text ILIKE %s LIMIT 1', [f"%{needle}%"])
                if cursor.fetchone():
                    found.add(f"{table}.{column} ~ {needle}")
        for table, column in _user_references():
            cursor.execute(f'SELECT 1 FROM "{table}" WHERE "{column}" = %s LIMIT 1', [user_id])
            if cursor.fetchone():
                found.add(f"{table}.{column} = id")
    return found


def test_deleting_the_account_leaves_her_only_where_the_retention_register_says(town_a):
    # given
    with tenant_context(town_a):
        anna = UserFactory(**ANNA)
        bert = UserFactory(email="bert@example.org", name="Bert Brandt")
        something_everywhere(anna, tag="ANNA", neighbour=bert, town=town_a)
        something_everywhere(bert, tag="BERT", neighbour=anna, town=town_a)
        assert _traces(anna.pk, [ANNA["email"], ANNA["name"]])  # the scan finds her before
    _built_export(town_a, anna)
    anna_client, bert_client = logged_in_client(town_a, anna), logged_in_client(town_a, bert)

    # when: a wrong password changes nothing; then the right one
    wrong = anna_client.post("/konto/loeschen/", {"password": "falsch", "understood": "on"})
    assert wrong.status_code == 400 and shown("The password is not correct.") in wrong.content.decode()
    with tenant_context(town_a):
        assert User.objects.get(pk=anna.pk).is_active
    response = anna_client.post("/konto/loeschen/", {"password": PASSWORD, "understood": "on"})

    # then
    assert response.status_code == 302 and response["Location"] == "/"
    with tenant_context(town_a):
        left = _traces(anna.pk, [ANNA["email"], ANNA["name"], "Albers"])
        print("left after erasure:", sorted(left))
        allowed = retained_tables() | {"accounts_user"}
        assert {trace for trace in left if trace.split(".")[0] not in allowed} == set()
        # where she stays, she stays without name or address; only the audit log keeps the name of who
        # changed something (the retention register says why: Art. 17(3)(b, e) GDPR)
        assert not [trace for trace in left if "~" in trace and not trace.startswith("town_auditentry.")], left
        assert not DataExport.objects.filter(user_id=anna.pk).exists()
        assert User.objects.get(pk=bert.pk).is_active
    # she is signed out; the town goes on for Bert
    assert anna_client.get("/konto/meine-daten/").status_code == 302
    for path in ("/", "/board/", "/conversations/", "/konto/meine-daten/"):
        assert bert_client.get(path).status_code == 200, path


def test_deletion_asks_for_the_tick_and_the_last_admin_is_kept(town_a):
    admin = admin_of(town_a)
    client = logged_in_client(town_a, admin)

    page = client.get("/konto/loeschen/").content.decode()
    assert shown("What is kept, why and for how long") in page and 'href="/datenschutz/aufbewahrung/"' in page
    unticked = client.post("/konto/loeschen/", {"password": PASSWORD})
    assert unticked.status_code == 400
    assert shown("Please confirm that you want to delete your account.") in unticked.content.decode()

    last = client.post("/konto/loeschen/", {"password": ADMIN_PASSWORD, "understood": "on"})
    assert last.status_code == 400
    assert shown("%(name)s is the last administrator of the town. Make someone else an administrator first.",
                 name=str(admin)) in last.content.decode()
    with tenant_context(town_a):
        assert User.objects.get(pk=admin.pk).is_active


def test_the_retention_register_is_public_and_names_its_legal_bases(client_a):
    page = client_a.get("/datenschutz/aufbewahrung/").content.decode()

    assert shown("What is kept after an account is deleted") in page
    assert "§ 147 AO" in page and "DSA" in page


@pytest.mark.parametrize("path", ["/backoffice/datenschutz/", "/backoffice/datenschutz/verarbeitungsverzeichnis/",
                                  "/backoffice/datenschutz/auftragsverarbeitung/", "/backoffice/datenschutz/tom/"])
def test_the_paperwork_is_for_the_towns_admins(path, town_a, admin_client_a):
    with schema_context(town_a.schema_name):
        resident = UserFactory()
    assert logged_in_client(town_a, resident).get(path).status_code == 403
    response = admin_client_a.get(path)
    assert response.status_code == 200
    assert "Altdorf" in response.content.decode()


def test_the_record_lists_the_enabled_modules_with_their_purposes(town_a, admin_client_a):
    from tenants.services import tenant_module_disable

    page = admin_client_a.get("/backoffice/datenschutz/verarbeitungsverzeichnis/").content.decode()
    assert shown("Let residents post offers, requests and news on the Pinnwand") in page
    assert shown("Remind residents of waste collection days for their street") in page
    assert shown("Run a personal account: sign in, two-factor login, e-mail addresses") in page

    tenant_module_disable(tenant=town_a, key="waste")
    page = admin_client_a.get("/backoffice/datenschutz/verarbeitungsverzeichnis/").content.decode()
    assert shown("Remind residents of waste collection days for their street") not in page


def test_the_record_prints_as_a_pdf(admin_client_a):
    response = admin_client_a.get("/backoffice/datenschutz/verarbeitungsverzeichnis/?format=pdf")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_every_provider_states_its_purpose_data_basis_and_retention_and_the_register_names_real_tables(in_town_a):
    unstated = [provider.key for provider in personal_data_providers()
                if not (provider.purpose and provider.categories and provider.legal_basis and provider.retention)]
    assert not unstated, f"providers without purpose, kinds of data, legal basis or retention: {unstated}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                       [in_town_a.schema_name])
        tables = {row[0] for row in cursor.fetchall()}
    assert retained_tables() - tables == set()


def test_expired_copies_are_purged_with_their_files(town_a, django_capture_on_commit_callbacks):
    from pathlib import Path

    from town.privacy_services import data_exports_purge

    with tenant_context(town_a):
        anna = UserFactory(**ANNA)
    export = _built_export(town_a, anna)
    with tenant_context(town_a):
        stored = Path(private_storage().path(export.file_name))
        assert data_exports_purge() == 0
        DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        with django_capture_on_commit_callbacks(execute=True):
            assert data_exports_purge() == 1
        assert not DataExport.objects.filter(pk=export.pk).exists()
    assert not stored.exists()
