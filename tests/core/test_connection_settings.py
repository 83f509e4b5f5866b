"""What every page pays for (issue 20): one `SET search_path` per request, the right town after every
schema switch and rollback, and one Redis client per process instead of one per cache call."""

from __future__ import annotations

import threading

import pytest
import redis
from django.core.cache import cache, caches
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tenants.utils import schema_context


def _town_name() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM town_townprofile")
        return cursor.fetchone()[0]


def test_a_town_page_sets_the_search_path_once_however_many_statements_it_sends(client_a, pages_rendered):
    # The warnings page: the start page's widgets come from the cache once warm (no statement at all).
    url = reverse("alerts:overview")
    client_a.get(url)  # the host lookup is cached from now on, as for every request but a town's first
    with CaptureQueriesContext(connection) as captured:
        page = client_a.get(url)
    assert page.status_code == 200
    assert "Verbandsgemeinde Altdorf" in page.content.decode()
    statements = [query["sql"] for query in captured.captured_queries]
    sets = [sql for sql in statements if sql.startswith("SET search_path")]
    assert sets == ['SET search_path = "t_altdorf","public"'], sets
    assert len(statements) > 2  # several statements ran on that one SET


class _Undo(Exception):
    pass


def test_the_schema_follows_every_switch_and_survives_a_rollback(town_a, town_b):
    connection.set_tenant(town_a)
    assert _town_name() == "Verbandsgemeinde Altdorf"
    with schema_context(town_b.schema_name):
        assert _town_name() == "Stadt Bergdorf"
    assert _town_name() == "Verbandsgemeinde Altdorf"
    # PostgreSQL undoes a SET made inside a rolled-back savepoint: the connection must not trust it.
    with pytest.raises(_Undo), transaction.atomic():
        connection.set_tenant(town_b)
        assert _town_name() == "Stadt Bergdorf"
        raise _Undo
    assert _town_name() == "Stadt Bergdorf"
    connection.set_tenant(town_a)
    assert _town_name() == "Verbandsgemeinde Altdorf"


def test_a_switch_back_to_the_path_the_connection_has_sends_no_set(town_a):
    # given: the town's path is set on the connection
    connection.set_tenant(town_a)
    _town_name()

    # when: a cache read under the public schema (no statement there), then the town again
    with CaptureQueriesContext(connection) as captured:
        with schema_context("public"):
            cache.get("connection-settings-probe")
        connection.set_tenant(town_a)
        name = _town_name()

    # then
    assert name == "Verbandsgemeinde Altdorf"
    assert [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SET ")] == []


def test_cache_calls_in_every_thread_share_one_redis_client(monkeypatch):
    cache.set("connection-settings-probe", 1)
    built: list[object] = []
    original = redis.Redis.__init__

    def counting_init(self, *args, **kwargs):
        built.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counting_init)
    answers: list[object] = []

    def reads() -> None:
        # Django gives each thread its own backend instance; they must still share the process's client.
        answers.extend(caches["default"].get("connection-settings-probe") for _ in range(20))

    threads = [threading.Thread(target=reads) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    reads()
    assert answers == [1] * 80
    assert built == []


def test_a_new_database_session_gets_the_towns_path_again(town_a):
    # given: a connection of its own (outside the test's transaction) with the town's path set
    from django.db import connections

    other = connections.create_connection("default")
    try:
        other.set_tenant(town_a)

        def path() -> str:
            with other.cursor() as cursor:
                cursor.execute("SHOW search_path")
                return cursor.fetchone()[0]

        assert path() == "t_altdorf, public"

        # when: the server session is gone without the wrapper closing it (a restart, a dropped socket)
        other.connection.close()
        other.connection = None
        other.set_tenant(town_a)

        # then: the new session is told the town's path before its first statement
        assert path() == "t_altdorf, public"
    finally:
        other.close()
