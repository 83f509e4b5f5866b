import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.accounts.factories import UserFactory
from tests.helpers import TownClient, host_of, logged_in_client
from tests.modules.news.factories import ArticleFactory

pytestmark = pytest.mark.usefixtures("steady_minute")


def test_diag(town_a, villages, feuerwehr):
    for n in range(5):
        ArticleFactory(title=f"M{n}", ortsgemeinden=[villages["x"]] if n % 2 else [])
    clients = {"resident": logged_in_client(town_a, UserFactory(email="x@example.org", ortsgemeinde=villages["x"])),
               "anonymous": TownClient(host_of(town_a))}
    for who, client in clients.items():
        for path in ["/", "/news/"]:
            client.get(path)
            with CaptureQueriesContext(connection) as q:
                r = client.get(path)
            assert r.status_code == 200
            sql = [x["sql"] for x in q.captured_queries if not x["sql"].startswith("SET search_path")]
            print(f"\n==== {who} {path}: {len(sql)}")
            for s in sql:
                print("  -", s[:400])
