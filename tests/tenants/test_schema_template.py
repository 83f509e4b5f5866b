"""New towns are copies of a migrated template schema (issue 20 §C): the same schema, made faster.

The copy is trusted only because (1) it is structurally identical to the migrated template, table by
table, index by index, constraint by constraint, and (2) the template holds no town content, only
Django's bookkeeping, so nothing per town is lost by copying. A template that is behind is migrated
before anything is copied.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from tenants import schema_template
from tenants.schema_template import (
    template_schema_clone,
    template_schema_ensure_current,
    template_schema_name,
    template_schema_pending_migrations,
    template_spares_top_up,
)

pytestmark = pytest.mark.django_db

COPY = "tpl_copy_test"
OTHER_TEMPLATE = "tpl_behind_test"
STALE_SPARE = f"{schema_template.SPARE_PREFIX}0000000000ff_stale"


def _drop(*schemas: str) -> None:
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        for schema in schemas:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def scratch_schemas(town_a) -> Iterator[None]:  # town_a: the template exists (the session's towns are copies)
    _drop(COPY, OTHER_TEMPLATE, STALE_SPARE)
    yield
    _drop(COPY, OTHER_TEMPLATE, STALE_SPARE, *schema_template._spares())


def _fingerprint(schema: str) -> dict[str, list[tuple]]:
    """Everything that makes a schema what it is, with the schema's own name taken out."""
    queries = {
        "columns": """
            SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                   pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE n.nspname = %(schema)s AND c.relkind IN ('r', 'p', 'v', 'm') AND a.attnum > 0
              AND NOT a.attisdropped""",
        "indexes": "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = %(schema)s",
        "constraints": """
            SELECT c.relname, k.conname, k.contype, pg_get_constraintdef(k.oid), k.condeferrable,
                   k.condeferred
            FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %(schema)s""",
        "sequences": """
            SELECT sequencename, data_type::text, start_value, increment_by, last_value
            FROM pg_sequences WHERE schemaname = %(schema)s""",
        "triggers": """
            SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t
            JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = %(schema)s AND NOT t.tgisinternal""",
        "functions": """
            SELECT p.proname, pg_get_function_identity_arguments(p.oid) FROM pg_proc p
            JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = %(schema)s""",
    }
    found: dict[str, list[tuple]] = {}
    # A partial index's WHERE does not survive a deparse/parse round trip textually (PostgreSQL folds
    # `(ARRAY['a'::varchar])::text[]` into `ARRAY[('a'::varchar)::text]`, as with pg_dump): the same
    # predicate, compared without its casts and brackets.
    unbracketed = re.compile(r"::[a-z ]+(\[\])?|[()]")
    with connection.cursor() as cursor:
        for kind, sql in queries.items():
            cursor.execute(sql, {"schema": schema})
            found[kind] = sorted(
                tuple(str(value).replace(f'"{schema}".', "").replace(f"{schema}.", "") for value in row)
                for row in cursor.fetchall()
            )
        found["indexes"] = [(name, unbracketed.sub("", definition)) for name, definition in found["indexes"]]
        cursor.execute(f'SELECT app, name FROM "{schema}".django_migrations')
        found["migrations"] = sorted(cursor.fetchall())
    return found


def test_a_copy_of_the_template_is_the_same_schema_as_the_migrated_template(scratch_schemas):
    template = template_schema_name()
    assert template_schema_pending_migrations() == []

    template_schema_clone(COPY)  # deparses the template, unless this process copied it before
    _drop(COPY)
    # The next copy replays the script deparsed before, without comparing migrations or reading the
    # catalogue again (a handful of round trips: the lock, the template's state, a look for a spare,
    # the script).
    with CaptureQueriesContext(connection) as queries:
        template_schema_clone(COPY)
    work = [q["sql"] for q in queries if not q["sql"].startswith(("SET search_path", "SAVEPOINT", "RELEASE"))]
    assert len(work) <= 6, "\n".join(sql[:100] for sql in work)

    expected, copied = _fingerprint(template), _fingerprint(COPY)
    assert len(expected["columns"]) > 500 and len(expected["indexes"]) > 200  # it compared a real schema
    for kind in expected:
        assert copied[kind] == expected[kind], kind


def test_the_session_towns_were_copied_complete(town_a, town_b):
    # Every migration the code has is recorded in a town made by copying, as in one that was migrated.
    template = _fingerprint(template_schema_name())
    for town in (town_a, town_b):
        assert _fingerprint(town.schema_name)["migrations"] == template["migrations"]


def test_a_template_that_is_behind_is_migrated_before_a_town_is_copied_from_it(scratch_schemas):
    # given: a template one migration behind (a copy of the real one, with its newest news migration undone)
    template_schema_clone(OTHER_TEMPLATE)
    news_migrations = sorted(
        name for app, name in _fingerprint(OTHER_TEMPLATE)["migrations"] if app == "news"
    )
    newest, previous = news_migrations[-1], news_migrations[-2]
    with override_settings(TOWN_TEMPLATE_SCHEMA=OTHER_TEMPLATE):
        assert template_schema_ensure_current() is False  # this process now knows it as current …
    # … and then another process (a deploy rolled back, say) takes a migration away
    call_command("migrate_schemas", "news", previous, tenant=True, schema_name=OTHER_TEMPLATE,
                 interactive=False, verbosity=0)
    with override_settings(TOWN_TEMPLATE_SCHEMA=OTHER_TEMPLATE):
        assert template_schema_pending_migrations() == [f"news.{newest}"]
        with pytest.raises(CommandError, match=f"news.{newest}"):
            call_command("town_template", check=True)

        # when: a town is copied from it
        template_schema_clone(COPY)

        # then: the template was brought up to date first, and the copy has the migration
        assert template_schema_pending_migrations() == []
        assert ("news", newest) in _fingerprint(COPY)["migrations"]
        assert template_schema_ensure_current() is False  # nothing left to do
    assert _fingerprint(COPY)["columns"] == _fingerprint(template_schema_name())["columns"]


def _schema_with_marker(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{name}"; CREATE TABLE "{name}".spare_marker (id int)')


def _schema_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = %s)", [name])
        return cursor.fetchone()[0]


def test_provisioning_takes_a_spare_made_ahead_for_the_template_as_it_is_now(scratch_schemas):
    # given: a spare copied from the template as it is now, and one from before its last migration
    # (stand-ins: a real spare is a copy, compared above; a copy takes seconds)
    template_schema_ensure_current()
    spare = schema_template._spare_prefix(schema_template._template_state()) + "ahead"
    _schema_with_marker(spare)
    _schema_with_marker(STALE_SPARE)

    # when: the sweep tops the pool up to one spare
    assert template_spares_top_up(count=1) == 0  # then: nothing to copy, and the stale spare is gone
    assert not _schema_exists(STALE_SPARE)

    # when: a town is provisioned, then: it is the spare, renamed (no copy made)
    assert template_schema_clone(COPY) is True
    assert not _schema_exists(spare)
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{COPY}".spare_marker')
    assert schema_template._spares() == []


def test_the_deploy_check_fails_loudly_when_the_template_is_missing():
    with override_settings(TOWN_TEMPLATE_SCHEMA="tpl_missing_test"), \
            pytest.raises(CommandError, match="tpl_missing_test lacks .* run `manage.py town_template`"):
        call_command("town_template", check=True)


def test_the_template_holds_no_town_content_only_djangos_bookkeeping(town_a):
    # The copy hands every new town the template's rows. Django's own bookkeeping is the same for
    # every town; anything else a migration inserted (seed rows, say) would be the same in every town
    # too, and if it ever must differ per town (it reads the town's name), provisioning has to make it
    # (modules do that in their `installed` hook).
    template = template_schema_name()
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [template])
        tables = [row[0] for row in cursor.fetchall()]
        with_rows = set()
        for table in tables:
            cursor.execute(f'SELECT EXISTS (SELECT 1 FROM "{template}"."{table}")')
            if cursor.fetchone()[0]:
                with_rows.add(table)
    assert with_rows <= {"django_migrations", "django_content_type", "auth_permission"}
    assert "django_migrations" in with_rows
