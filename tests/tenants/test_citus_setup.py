"""`manage.py citus_setup` refuses a cluster it can't set up completely, and changes nothing then.

No Citus here (none in the registries CI reaches): the test database's server stands in for a
coordinator without Citus, and a closed port for a worker that is down. The setup itself was verified
by hand on a real cluster (docs/scale-out.md).
"""

from __future__ import annotations

import os

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from config import embedded
from tenants.citus import CitusSetupError, Node, node_parse


def test_worker_addresses_are_read_as_host_and_port():
    assert node_parse("citus-worker-1:5432") == Node("citus-worker-1", 5432)
    assert node_parse(" 10.0.0.12 ") == Node("10.0.0.12", 5432)
    with pytest.raises(CitusSetupError, match="port must be a number"):
        node_parse("worker:fivefourthreetwo")


def _sharding_defaults() -> list:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.setconfig FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase "
            "WHERE d.datname = current_database()"
        )
        return cursor.fetchall()


def test_a_half_configured_cluster_is_refused_with_every_problem_named_and_nothing_changed(db):
    before = _sharding_defaults()
    with pytest.raises(CommandError) as refused:
        # Port 1 on loopback: nothing listens there, the connection is refused at once.
        call_command("citus_setup", workers="127.0.0.1:1", coordinator_host="db.internal:5432")
    message = str(refused.value)
    assert message.startswith("Not setting up a half-configured cluster")
    assert "worker 127.0.0.1:1 unreachable" in message
    assert "coordinator" in message and "citus" in message  # this server has no Citus
    assert _sharding_defaults() == before


def test_setup_without_workers_is_refused(db):
    with pytest.raises(CommandError, match=r"no workers given \(CITUS_WORKERS"):
        call_command("citus_setup", workers="", coordinator_host="db.internal:5432")


def test_the_dev_runner_creates_no_database_on_a_citus_server(monkeypatch):
    # A database created on the coordinator alone would run every town unsharded: refuse, and name the fix.
    monkeypatch.setattr(embedded, "_server_preloads_citus", lambda cursor: True)
    admin_url = embedded.database_url_with_name(os.environ["DATABASE_URL"], "postgres")
    with pytest.raises(embedded.CitusDatabaseNotReady, match="manage.py citus_setup"):
        embedded.database_create_if_missing(admin_url, "dorfkern_never_created")
    with pytest.raises(embedded.CitusDatabaseNotReady, match="has no citus extension"):
        embedded.database_create_if_missing(admin_url, "postgres")
    monkeypatch.undo()
    import psycopg2

    conn = psycopg2.connect(admin_url)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_database WHERE datname = 'dorfkern_never_created'")
            assert cursor.fetchone()[0] == 0
    finally:
        conn.close()


def test_a_new_checked_column_gets_its_check_as_a_separate_named_constraint(db):
    # Citus refuses `ADD COLUMN … CHECK (…)` on a town's tables (the constraint would be unnamed), and with it
    # every migration adding a PositiveIntegerField; the backend adds the column, then the named check.
    from town.models import Ortsgemeinde

    field = Ortsgemeinde._meta.get_field("inhabitants")
    with connection.schema_editor(collect_sql=True) as editor:
        editor.add_field(Ortsgemeinde, field)
    add_column, add_check = editor.collected_sql
    assert "ADD COLUMN" in add_column and "CHECK" not in add_column
    assert add_check.startswith('ALTER TABLE "town_ortsgemeinde" ADD CONSTRAINT "town_ortsgemeinde_inhabitants_')
    assert add_check.rstrip(";").endswith('_check" CHECK ("inhabitants" >= 0)')
