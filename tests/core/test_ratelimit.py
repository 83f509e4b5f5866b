"""Per-IP limits on anonymous writes (core.ratelimit): counted per town, refused with a clear page."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings
from django_tenants.utils import tenant_context

from core.ratelimit import client_ip, ip_limited

pytestmark = pytest.mark.django_db


@ip_limited("test.write", limit=2)
def _write(request: HttpRequest) -> HttpResponse:
    return HttpResponse("saved")


def _post(ip: str = "203.0.113.7", **meta: str) -> HttpRequest:
    request = RequestFactory().post("/", REMOTE_ADDR=ip, **meta)
    request.LANGUAGE_CODE = "de"
    return request


def test_a_third_write_from_the_same_address_gets_a_german_429_page(town_a):
    with tenant_context(town_a):
        assert _write(_post()).status_code == 200
        assert _write(_post()).status_code == 200
        refused = _write(_post())
        other_address = _write(_post("198.51.100.1"))
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 3600  # until the hour window ends
    assert "Zu viele Versuche" in refused.content.decode()
    assert other_address.status_code == 200


def test_reading_is_never_limited(town_a):
    with tenant_context(town_a):
        responses = [_write(RequestFactory().get("/", REMOTE_ADDR="203.0.113.7")) for _ in range(5)]
    assert {response.status_code for response in responses} == {200}


def test_the_count_of_one_town_does_not_limit_the_same_address_in_another(town_a, town_b):
    with tenant_context(town_a):
        for _ in range(3):
            _write(_post())
    with tenant_context(town_b):
        assert _write(_post()).status_code == 200


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_address_it_appended_counts_not_the_forged_one():
    request = _post("10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    assert client_ip(request) == "203.0.113.9"


def test_without_trusted_proxies_x_forwarded_for_is_ignored():
    assert client_ip(_post("203.0.113.7", HTTP_X_FORWARDED_FOR="1.2.3.4")) == "203.0.113.7"
