"""The OpenAPI description per town, and the self-hosted docs page."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from core.modules import all_modules


def _schema(client) -> dict:
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200, response.content[:500]
    return json.loads(response.content)


def test_schema_is_openapi_3_in_json_and_yaml(client_a):
    # when
    as_json = _schema(client_a)
    as_yaml = yaml.safe_load(client_a.get("/api/schema/").content)

    # then
    assert as_json["openapi"].startswith("3.")
    assert as_yaml["openapi"].startswith("3.")
    for path in ("/api/v1/town/", "/api/v1/ortsgemeinden/", "/api/v1/organisations/", "/api/v1/me/"):
        assert path in as_json["paths"], path


def test_schema_documents_the_token_scheme(client_a):
    schema = _schema(client_a)
    scheme = schema["components"]["securitySchemes"]["townToken"]
    assert scheme == scheme | {"type": "apiKey", "in": "header", "name": "Authorization"}
    assert {"townToken": []} in schema["paths"]["/api/v1/me/"]["get"]["security"]


def test_schema_lists_the_api_of_every_enabled_module(client_a):
    schema = _schema(client_a)
    with_api = [key for key, module in all_modules().items() if module.spec.has_api]
    for key in with_api:
        prefix = f"/api/v1/{key.replace('_', '-')}/"
        assert any(path.startswith(prefix) for path in schema["paths"]), f"{key}: no {prefix} paths in the schema"


def test_schema_lists_the_news_endpoints_when_news_is_enabled(client_a):
    news = all_modules().get("news")
    if news is None or not news.spec.has_api:
        pytest.skip("the news module ships no API yet")
    assert any(path.startswith("/api/v1/news/") for path in _schema(client_a)["paths"])


def test_a_module_switched_off_disappears_from_that_towns_schema_only(town_a, town_b, client_a, client_b):
    from tenants.services import tenant_module_disable, tenant_module_enable

    modules_with_api = [key for key, module in all_modules().items() if module.spec.has_api]
    if not modules_with_api:
        pytest.skip("no module ships an API yet")
    key = modules_with_api[0]
    prefix = f"/api/v1/{key.replace('_', '-')}/"

    # when
    tenant_module_disable(tenant=town_b, key=key)
    try:
        paths_a = _schema(client_a)["paths"]
        paths_b = _schema(client_b)["paths"]
        endpoint_b = client_b.get(next(p for p in paths_a if p.startswith(prefix) and "{" not in p))
    finally:
        tenant_module_enable(tenant=town_b, key=key, by_staff=True)

    # then
    assert any(p.startswith(prefix) for p in paths_a)
    assert not any(p.startswith(prefix) for p in paths_b)
    assert endpoint_b.status_code == 404
    assert endpoint_b["Content-Type"] == "application/json"


def test_docs_page_loads_only_our_own_assets(client_a):
    # when
    response = client_a.get("/api/docs/")
    html = response.content.decode()

    # then
    assert response.status_code == 200
    sources = re.findall(r"""<(?:script|link)[^>]+(?:src|href)=["']([^"']+)""", html)
    assert sources, "the page loads Swagger UI from somewhere"
    for source in sources:
        assert not source.startswith(("http:", "https:", "//")), source
        assert "cdn" not in source.lower(), source
    assert "/static/drf_spectacular_sidecar/" in html
    # No inline script or style (the CSP would block them): the set-up comes as a script of its own.
    assert "<style" not in html and re.search(r"<script>\s*\S", html) is None
    setup = client_a.get("/api/docs/?script=")
    assert setup["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in setup.content.decode()


def test_docs_assets_are_really_served(client_a):
    html = client_a.get("/api/docs/").content.decode()
    bundle = re.search(r"""src=["']([^"']*swagger-ui-bundle\.js)""", html).group(1)
    from django.contrib.staticfiles import finders

    assert finders.find(bundle.removeprefix("/static/")) is not None
