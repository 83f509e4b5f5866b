"""Fixtures of the council tests: the local OParl server and a town that entered its address."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.modules.council.helpers import OparlServer, start_server


@pytest.fixture(scope="module")
def oparl_server() -> Iterator[OparlServer]:
    oparl, server = start_server()
    try:
        yield oparl
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def oparl(oparl_server, settings) -> OparlServer:
    """The local OParl server, reset, reachable for this test alone (loopback allowed), with short caps."""
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    settings.OPARL_TIMEOUT_SECONDS = 1.0
    settings.OPARL_MAX_BYTES = 64 * 1024
    oparl_server.override.clear()
    oparl_server.requests.clear()
    return oparl_server


def configure(town, **values) -> None:
    from tenants.selectors import forget_module_config
    from tenants.services import tenant_module_configure

    data = {"council_name": "Digitaler Rat", "council_intro": "", "oparl_url": "", **values}
    tenant_module_configure(tenant=town, key="council", data=data)
    forget_module_config(town.pk, "council")


@pytest.fixture
def with_oparl(oparl, town_a, in_town_a) -> Iterator[OparlServer]:
    """Town A has entered the local server's OParl address (test body in town A's schema)."""
    configure(town_a, oparl_url=oparl.endpoint)
    yield oparl
    from tenants.selectors import forget_module_config

    forget_module_config(town_a.pk, "council")
