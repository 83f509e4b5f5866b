"""Open311 GeoReport v2 under /open311/v2/: every endpoint in JSON and XML, every error case.

Reads go through the PyPI client `georeport` (its requests are routed to the test client); it has no
POST, so POST is checked against the spec's field list here.
"""

from __future__ import annotations

import json
import re
from types import SimpleNamespace
from xml.etree import ElementTree

import georeport.georeport as georeport_module
import pytest
from django_tenants.utils import schema_context
from georeport import GeoReport

from modules.reports import services
from modules.reports.models import Report, Status
from tests.helpers import TownClient, host_of
from tests.modules.reports.factories import make_report

pytestmark = pytest.mark.django_db

SERVICE_FIELDS = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
REQUEST_FIELDS = {"service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                  "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"}
W3C = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
BASE = "/open311/v2/"


@pytest.fixture
def api(town_a) -> TownClient:
    return TownClient(host_of(town_a))


@pytest.fixture
def data(town_a, categories, anna, staff):
    """Two public reports (one done with an answer), one held back, and a valid key."""
    open_one = make_report(category=categories["strassenbeleuchtung"], user=anna, address="Hauptstraße 5")
    done = make_report(category=categories["muell"], user=anna, lat=50.8)
    services.report_status_set(report=done, status=Status.DONE, public_answer="Abgeholt.", acting_user=staff)
    hidden = make_report(category=categories["muell"], user=anna, lat=50.81)
    Report.objects.filter(pk=hidden.pk).update(approved=False)
    from tests.helpers import admin_of

    _key, raw = services.api_key_issue(name="Kreis-App", acting_user=admin_of(town_a))
    return SimpleNamespace(open=open_one, done=done, hidden=hidden, key=raw)


def _xml(response):
    return ElementTree.fromstring(response.content)


def _errors(response, fmt):
    if fmt == "json":
        return response.json()
    return [{"code": int(e.findtext("code")), "description": e.findtext("description")}
            for e in _xml(response).findall("error")]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_discovery_services_and_definition(api, data, fmt):
    response = api.get(f"{BASE}discovery.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        endpoint = response.json()["endpoints"][0]
        assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
        assert endpoint["url"].endswith("/open311/v2") and "application/json" in endpoint["formats"]
        services_ = api.get(f"{BASE}services.json").json()
        assert all(set(s) == SERVICE_FIELDS for s in services_)
        assert {"strassenbeleuchtung", "muell"} <= {s["service_code"] for s in services_}
        assert services_[0]["metadata"] is False and services_[0]["type"] == "realtime"
        definition = api.get(f"{BASE}services/muell.json").json()
        assert definition == {"service_code": "muell", "attributes": []}
    else:
        assert _xml(response).tag == "discovery"
        root = _xml(api.get(f"{BASE}services.xml"))
        assert root.tag == "services" and {c.tag for c in root.find("service")} == SERVICE_FIELDS
        assert root.find("service/metadata").text == "false"
        assert _xml(api.get(f"{BASE}services/muell.xml")).tag == "service_definition"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_requests_list_and_one_request(api, data, fmt):
    response = api.get(f"{BASE}requests.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        rows = response.json()
    else:
        rows = [{c.tag: c.text or "" for c in item} for item in _xml(response).findall("request")]
    assert {r["service_request_id"] for r in rows} == {str(data.open.pk), str(data.done.pk)}  # never the held one
    for row in rows:
        assert set(row) == REQUEST_FIELDS
        assert W3C.match(row["requested_datetime"]) and W3C.match(row["updated_datetime"])
        assert "anna" not in json.dumps(row).lower()  # no name or e-mail of the reporter
    done = next(r for r in rows if r["service_request_id"] == str(data.done.pk))
    assert done["status"] == "closed" and done["status_notes"] == "Abgeholt."
    one = api.get(f"{BASE}requests/{data.open.pk}.{fmt}")
    assert one.status_code == 200
    if fmt == "json":
        assert one.json()[0]["status"] == "open" and one.json()[0]["address"] == "Hauptstraße 5"


def test_request_filters(api, data):
    def ids(**query):
        return {r["service_request_id"] for r in api.get(f"{BASE}requests.json", query).json()}

    assert ids(status="open") == {str(data.open.pk)}
    assert ids(status="closed") == {str(data.done.pk)}
    assert ids(service_code="muell") == {str(data.done.pk)}
    assert ids(service_request_id=f"{data.open.pk},{data.hidden.pk}") == {str(data.open.pk)}
    assert ids(start_date="2000-01-01T00:00:00+01:00", end_date="2000-02-01T00:00:00+01:00") == set()
    assert ids(start_date="2000-01-01T00:00:00Z") == {str(data.open.pk), str(data.done.pk)}
    assert ids(service_request_id="99999999999999999999999") == set()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_creates_a_request_and_its_token_resolves(api, data, fmt):
    response = api.post(f"{BASE}requests.{fmt}", {
        "api_key": data.key, "service_code": "schlagloch", "lat": "50.7901", "long": "7.8702",
        "description": "Tiefes Loch in der Fahrbahn", "email": "app@example.org", "first_name": "Paul",
    })
    assert response.status_code == 201
    if fmt == "json":
        created = response.json()[0]
    else:
        created = {c.tag: c.text or "" for c in _xml(response).find("request")}
    assert set(created) == {"service_request_id", "token", "service_notice", "account_id"}
    report = Report.objects.get(pk=int(created["service_request_id"]))
    assert report.source == "open311" and report.contact_email == "app@example.org"
    token = api.get(f"{BASE}tokens/{created['token']}.{fmt}")
    assert token.status_code == 200
    if fmt == "json":
        assert token.json() == [{"service_request_id": created["service_request_id"], "token": created["token"]}]


ERROR_CASES = [
    ("post", "requests", {"service_code": "muell", "lat": "50.79", "long": "7.87", "description": "x"}, 403),
    ("post", "requests", {"api_key": "falsch", "service_code": "muell", "lat": "50.79", "long": "7.87",
                          "description": "x"}, 403),
    ("post", "requests", {"api_key": "{key}", "service_code": "muell", "description": "x"}, 400),
    ("post", "requests", {"api_key": "{key}", "service_code": "gibtsnicht", "lat": "50.79", "long": "7.87",
                          "description": "x"}, 404),
    ("post", "requests", {"api_key": "{key}", "service_code": "muell", "lat": "50.79", "long": "7.87",
                          "description": "x", "jurisdiction_id": "anderswo.example"}, 404),
    ("post", "requests", {"api_key": "{key}", "service_code": "muell", "lat": "nord", "long": "7.87",
                          "description": "x"}, 400),
    ("get", "requests/999999", {}, 404),
    ("get", "requests/abc", {}, 404),
    ("get", "requests/99999999999999999999999", {}, 404),  # beyond bigint: not found, not a 500
    ("get", "services/gibtsnicht", {}, 404),
    ("get", "services", {"jurisdiction_id": "anderswo.example"}, 404),
    ("get", "tokens/kein-token", {}, 404),
    ("get", "requests", {"start_date": "gestern"}, 400),
    ("get", "requests", {"status": "vielleicht"}, 400),
]


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(("method", "path", "params", "status"), ERROR_CASES)
def test_errors_in_the_spec_format(api, data, fmt, method, path, params, status):
    params = {k: v.replace("{key}", data.key) for k, v in params.items()}
    before = Report.objects.count()
    response = getattr(api, method)(f"{BASE}{path}.{fmt}", params)
    assert response.status_code == status
    errors = _errors(response, fmt)
    assert errors[0]["code"] == status and errors[0]["description"]
    assert Report.objects.count() == before


def test_a_revoked_key_is_refused(api, data, town_a):
    from modules.reports.models import ApiKey
    from tests.helpers import admin_of

    services.api_key_revoke(key=ApiKey.objects.get(), acting_user=admin_of(town_a))
    response = api.post(f"{BASE}requests.json", {"api_key": data.key, "service_code": "muell", "lat": "50.79",
                                                  "long": "7.87", "description": "x"})
    assert response.status_code == 403 and response.json()[0]["code"] == 403


def test_the_jurisdiction_is_the_towns_host(api, data, town_a):
    host = host_of(town_a).split(":")[0]
    assert api.get(f"{BASE}services.json", {"jurisdiction_id": host}).status_code == 200


class _Routed:
    """requests.get for the georeport client, answered by the Django test client of the town."""

    def __init__(self, client: TownClient) -> None:
        self.client = client

    def get(self, url: str, params: dict | None = None):
        response = self.client.get(url.split("://", 1)[1].split("/", 1)[1].join(["/", ""]), params or {})

        class Answer:
            status_code = response.status_code
            content = response.content

            @staticmethod
            def json():
                return json.loads(response.content)

            @staticmethod
            def raise_for_status():
                assert response.status_code < 400, response.content

        return Answer()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_third_party_client_reads_services_and_requests(api, data, monkeypatch, fmt):
    monkeypatch.setattr(georeport_module, "requests", _Routed(api))
    client = GeoReport("http://town.example/open311/v2", output_format=fmt)
    codes = {s["service_code"] for s in client.get_service_list()}
    assert "strassenbeleuchtung" in codes
    assert client.get_service_definition("muell")["service_code"] == "muell"
    requests_ = client.get_service_requests()
    assert {r["service_request_id"] for r in requests_} == {str(data.open.pk), str(data.done.pk)}
    assert client.get_service_request(str(data.open.pk))["service_code"] == "strassenbeleuchtung"


def test_another_towns_request_is_not_found(data, town_b):
    with schema_context(town_b.schema_name):
        pass
    response = TownClient(host_of(town_b)).get(f"{BASE}requests/{data.open.pk}.json")
    assert response.status_code == 404 and response.json()[0]["code"] == 404


def test_the_openapi_document_describes_every_endpoint(api, data):
    response = api.get(f"{BASE}openapi.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    document = response.json()
    assert document["openapi"].startswith("3.") and document["servers"][0]["url"].startswith("http")
    for fmt in ("json", "xml"):
        for path in ("discovery", "services", "services/{service_code}", "requests",
                     "requests/{service_request_id}", "tokens/{token}"):
            assert f"{BASE}{path}.{fmt}" in document["paths"], (path, fmt)
    assert set(document["components"]["schemas"]["ServiceRequest"]["required"]) == REQUEST_FIELDS
    assert set(document["components"]["schemas"]["Service"]["required"]) == SERVICE_FIELDS


def test_every_endpoint_holds_to_the_openapi_document(api, data, wsgi_app, town_a):
    """schemathesis over /open311/v2/ (both formats): real ids and a valid key first, then generated input."""
    import time

    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from schemathesis import GenerationMode

    from tests.api.test_schemathesis import CHECKS, NEGATIVE_CHECKS

    schema = schemathesis.openapi.from_dict(api.get(f"{BASE}openapi.json").json())
    base_url = f"http://{host_of(town_a)}"
    path_values = {"service_code": "muell", "service_request_id": str(data.open.pk), "token": str(data.open.token)}
    valid_post = {"api_key": data.key, "service_code": "schlagloch", "lat": 50.7901, "long": 7.8702,
                  "description": "Tiefes Loch in der Fahrbahn"}
    started, calls = time.monotonic(), 0
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        names = {p.name for p in operation.path_parameters}
        if operation.method.upper() == "POST":
            case = operation.Case(body=dict(valid_post), media_type="application/x-www-form-urlencoded")
        else:
            case = operation.Case(path_parameters={name: path_values[name] for name in names})
        response = case.call_and_validate(app=wsgi_app, base_url=base_url, checks=CHECKS)
        assert response.status_code in (200, 201), (operation.label, response.text[:300])
        calls += 1

        common = {"deadline": None, "database": None, "derandomize": True,
                  "suppress_health_check": list(HealthCheck)}

        @settings(max_examples=5, **common)
        @given(case=operation.as_strategy())
        def fuzz(case) -> None:
            case.call_and_validate(app=wsgi_app, base_url=base_url, checks=CHECKS)

        @settings(max_examples=3, **common)
        @given(case=operation.as_strategy(GenerationMode.NEGATIVE))
        def fuzz_invalid(case) -> None:
            case.call_and_validate(app=wsgi_app, base_url=base_url, checks=NEGATIVE_CHECKS)

        fuzz()
        if list(operation.query) or list(operation.body):
            fuzz_invalid()
    elapsed = time.monotonic() - started
    print(f"schemathesis over Open311: {len(operations)} operations, {elapsed:.1f} s")
    assert len(operations) == 14 and calls == 14
    assert Report.objects.filter(source="open311").count() == 2  # the two valid POSTs, nothing from fuzzing


def test_too_many_posts_get_429_in_the_spec_format_and_a_key_counts_apart(api, data, monkeypatch):
    from modules.reports import open311

    monkeypatch.setattr(open311, "POST_LIMIT_PER_IP", 2)
    monkeypatch.setattr(open311, "POST_LIMIT_PER_KEY", 1)
    without_key = [api.post(f"{BASE}requests.xml", {"service_code": "muell"}) for _ in range(3)]
    assert [r.status_code for r in without_key] == [403, 403, 429]
    assert _errors(without_key[2], "xml")[0]["code"] == 429 and without_key[2]["Retry-After"] == "3600"
    post = {"api_key": data.key, "service_code": "muell", "lat": "50.79", "long": "7.87", "description": "Voll"}
    assert [api.post(f"{BASE}requests.json", post).status_code for _ in range(2)] == [201, 429]
    assert Report.objects.filter(source="open311").count() == 1
