"""Fixtures of the alerts tests: the local NINA server and a town that has entered its ARS."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.modules.alerts.helpers import ARS, NinaServer, start_server


@pytest.fixture(scope="module")
def nina_server() -> Iterator[NinaServer]:
    nina, server = start_server()
    try:
        yield nina
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def nina(nina_server, settings) -> NinaServer:
    """The local NINA server, reset, with the installation pointed at it (loopback allowed for it alone)."""
    settings.NINA_API_BASE = nina_server.url
    settings.NINA_TIMEOUT_SECONDS = 1.0
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    nina_server.routes.clear()
    nina_server.requests.clear()
    return nina_server


@pytest.fixture
def with_ars(town_a, in_town_a):
    """Town A has entered the district of Altenkirchen's ARS (test body in town A's schema)."""
    from modules.alerts.selectors import forget_banner
    from tenants.services import tenant_module_configure

    tenant_module_configure(tenant=town_a, key="alerts", data={"ars": ARS, "legal_publication": ""})
    forget_banner()
    yield town_a
    forget_banner()
    # The stored settings roll back with the test; their cached copy must go too.
    from tenants.selectors import forget_module_config

    forget_module_config(town_a.pk, "alerts")
