from django.db import connection


def test_demo_gone(db):
    from demo.loader import demo_town_get
    assert demo_town_get() is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname = 't_betzdorf_gebhardshain'")
        assert cursor.fetchone()[0] == 0
