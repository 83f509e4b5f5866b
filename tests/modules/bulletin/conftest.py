"""Fixtures of the Mitteilungsblatt tests (the test body runs in town A's schema)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


def configure(town, **values) -> None:
    from tenants.selectors import forget_module_config
    from tenants.services import tenant_module_configure

    data = {"frequency": "weekly", "page_limit": 12, "days_ahead": 14, **values}
    tenant_module_configure(tenant=town, key="bulletin", data=data)
    forget_module_config(town.pk, "bulletin")


@pytest.fixture
def bulletin_settings(town_a) -> Iterator:
    """Set town A's Mitteilungsblatt settings for one test: `bulletin_settings(page_limit=1)`."""
    from tenants.selectors import forget_module_config

    yield lambda **values: configure(town_a, **values)
    configure(town_a)
    forget_module_config(town_a.pk, "bulletin")
