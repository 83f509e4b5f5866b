"""A platform-wide migration that replays collected SQL (issue 20 §D) leaves each town as migrate_schemas would.

Three scratch towns start one migration behind (groups 0002, two GIN indexes): one is migrated the
normal way as the reference, the others by ``towns_migrate``. Catalogue and migration records must
come out the same; a town already current must be skipped; a run that dies half-way must leave each
town whole or untouched and finish on the next run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.migration_executors.base import run_migrations
from django_tenants.signals import schema_pre_migration

from tenants import schema_migrations
from tenants.schema_migrations import code_migrations_hash, schema_states, towns_migrate
from tenants.schema_template import _schema_copy, template_schema_clone, template_schema_name
from tests.tenants.test_schema_template import _fingerprint

pytestmark = pytest.mark.django_db

REFERENCE, FAST, FAST_TOO = "mt_reference", "mt_fast", "mt_fast_too"
NEWEST = ("groups", "0002_search_indexes")


def _drop(*schemas: str) -> None:
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        for schema in schemas:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def _has_index(schema: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE schemaname = %s AND indexname = 'groups_post_search_gin'",
                       [schema])
        return cursor.fetchone() is not None


@pytest.fixture(scope="module")
def _schemas_behind(django_db_setup, django_db_blocker) -> Iterator[None]:
    """Three towns without groups 0002, committed once: each test's changes roll back with its transaction.

    The step back is the SQL Django's reverse of AddIndex runs (DROP INDEX) and the record removed:
    migrate_schemas would take seconds to render the state for it.
    """
    with django_db_blocker.unblock():
        _drop(REFERENCE, FAST, FAST_TOO)
        template_schema_clone(REFERENCE)
        with connection.cursor() as cursor:
            cursor.execute(f'DROP INDEX "{REFERENCE}".groups_group_search_gin, "{REFERENCE}".groups_post_search_gin;'
                           f' DELETE FROM "{REFERENCE}".django_migrations WHERE app = %s AND name = %s', NEWEST)
        for schema in (FAST, FAST_TOO):
            _schema_copy(REFERENCE, schema)
        yield
        _drop(REFERENCE, FAST, FAST_TOO)


@pytest.fixture
def towns_behind(_schemas_behind) -> list[str]:
    assert NEWEST not in _fingerprint(FAST)["migrations"] and not _has_index(FAST)
    return [FAST, FAST_TOO]


def test_a_replayed_town_is_the_same_schema_as_one_migrated_by_migrate_schemas(towns_behind):
    # when: the reference town migrates the usual way, the others through the fast path
    call_command("migrate_schemas", tenant=True, schema_name=REFERENCE, interactive=False, verbosity=0)
    report = towns_migrate(schemas=towns_behind, workers=1, template=False)

    # then: both went the fast way, and each is the reference schema, index for index, record for record
    assert report.replayed == towns_behind and not report.migrated and not report.failed
    expected = _fingerprint(REFERENCE)
    assert NEWEST in expected["migrations"] and _has_index(REFERENCE)
    for schema in towns_behind:
        found = _fingerprint(schema)
        for kind in expected:
            assert found[kind] == expected[kind], (schema, kind)
    assert schema_states(towns_behind) == dict.fromkeys(towns_behind, code_migrations_hash())


def test_on_citus_each_statement_is_sent_alone_and_the_town_comes_out_the_same(towns_behind, monkeypatch):
    # Citus forwards DDL on a town's table to the worker holding the town and refuses a string of
    # several statements ("cannot insert multiple commands into a prepared statement"): on a real
    # cluster every town failed to migrate until the replay sent them one by one.
    monkeypatch.setattr(schema_migrations, "database_has_citus", lambda cursor: True)
    with CaptureQueriesContext(connection) as queries:
        on_citus = towns_migrate(schemas=[FAST], workers=1, template=False)
    monkeypatch.setattr(schema_migrations, "database_has_citus", lambda cursor: False)
    plain = towns_migrate(schemas=[FAST_TOO], workers=1, template=False)

    assert on_citus.replayed == [FAST] and plain.replayed == [FAST_TOO]
    assert sorted(query["sql"].count("CREATE INDEX") for query in queries
                  if "CREATE INDEX" in query["sql"]) == [1, 1]  # groups 0002's two indexes, one per query
    assert _has_index(FAST) and _fingerprint(FAST) == _fingerprint(FAST_TOO)


def test_current_towns_are_skipped_until_something_else_migrates_them(towns_behind):
    towns_migrate(schemas=towns_behind, workers=1, template=False)

    again = towns_migrate(schemas=towns_behind, workers=1, template=False)
    assert again.current == towns_behind and not (again.replayed or again.recorded or again.migrated)

    # migrate_schemas on a town by hand (it announces each schema before migrating it) makes the next
    # run look at that town's records again
    schema_pre_migration.send(run_migrations, schema_name=FAST)
    assert schema_states([FAST])[FAST] is None
    third = towns_migrate(schemas=towns_behind, workers=1, template=False)
    assert third.current == [FAST_TOO] and third.recorded == [FAST] and not third.replayed


def test_a_run_that_dies_mid_town_leaves_it_untouched_and_the_next_run_finishes(towns_behind, monkeypatch):
    real_state_write = schema_migrations._state_write

    def dies_at_the_second_town(cursor: Any, schema_name: str, target_hash: str) -> None:
        if schema_name == FAST_TOO:  # after its index was built, inside its transaction
            raise KeyboardInterrupt("deploy killed")
        real_state_write(cursor, schema_name, target_hash)

    monkeypatch.setattr(schema_migrations, "_state_write", dies_at_the_second_town)
    with pytest.raises(KeyboardInterrupt):
        towns_migrate(schemas=towns_behind, workers=1, template=False)
    assert _has_index(FAST) and NEWEST in _fingerprint(FAST)["migrations"]
    assert not _has_index(FAST_TOO) and NEWEST not in _fingerprint(FAST_TOO)["migrations"]

    monkeypatch.setattr(schema_migrations, "_state_write", real_state_write)
    report = towns_migrate(schemas=towns_behind, workers=1, template=False)
    assert report.current == [FAST] and report.replayed == [FAST_TOO]
    # (but for the sequence of django_migrations' ids, which the rolled-back attempt used up)
    replayed_first, replayed_after_crash = _fingerprint(FAST), _fingerprint(FAST_TOO)
    for kind in replayed_first.keys() - {"sequences"}:
        assert replayed_after_crash[kind] == replayed_first[kind], kind


def test_a_town_that_fails_is_reported_and_the_others_migrate(towns_behind, monkeypatch):
    real_replay = schema_migrations.town_replay

    def fails_for_one(schema_name: str, **kwargs: Any) -> None:
        if schema_name == FAST:
            raise RuntimeError("disk full")
        real_replay(schema_name, **kwargs)

    monkeypatch.setattr(schema_migrations, "town_replay", fails_for_one)
    # (a town row whose schema is still being copied is left alone, not failed: nothing to migrate)
    report = towns_migrate(schemas=[*towns_behind, "t_still_copying"], workers=1, template=False)
    assert report.failed == {FAST: "disk full"} and report.replayed == [FAST_TOO]
    assert report.without_schema == ["t_still_copying"]
    assert schema_states(towns_behind) == {FAST: None, FAST_TOO: code_migrations_hash()}


def test_the_deploy_command_migrates_the_template_and_records_every_town(town_a, town_b, capsys):
    call_command("migrate_towns", workers=1)
    assert "0 failed" in capsys.readouterr().out
    schemas = [template_schema_name(), town_a.schema_name, town_b.schema_name]
    assert schema_states(schemas) == dict.fromkeys(schemas, code_migrations_hash())

    call_command("migrate_towns", workers=1)
    assert "0 replayed, 0 migrated with migrate_schemas, 0 failed; template current" in capsys.readouterr().out
