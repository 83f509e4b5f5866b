from __future__ import annotations

import pytest

from accounts.models import Role, User
from tests.accounts.factories import UserFactory
from tests.town.factories import OrtsgemeindeFactory
from town.models import Ortsgemeinde


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def elkenroth(in_town_a) -> Ortsgemeinde:
    return OrtsgemeindeFactory(name="Elkenroth", slug="elkenroth")


@pytest.fixture
def erna(elkenroth) -> User:
    return UserFactory(email="erna@example.org", name="Erna Elk", ortsgemeinde=elkenroth)


@pytest.fixture
def moderator(in_town_a) -> User:
    return UserFactory(email="moderatorin@example.org", name="Mona Moderatorin", role=Role.MODERATOR)


@pytest.fixture
def threshold(town_a):
    """`threshold(base=3, per_thousand=0, populations="")`: the town's settings for this test."""
    from tenants.services import tenant_module_configure

    def configure(base: int = 3, per_thousand: int = 0, populations: str = "") -> None:
        tenant_module_configure(tenant=town_a, key="proposals", data={
            "threshold_base": base, "threshold_per_thousand": per_thousand, "populations": populations})

    yield configure
    tenant_module_configure(tenant=town_a, key="proposals", data={"threshold_base": 10, "threshold_per_thousand": 0})


@pytest.fixture
def sent(monkeypatch) -> list[dict]:
    """What the module asked the notifications module to send."""
    import modules.notifications.facade as facade

    calls: list[dict] = []
    monkeypatch.setattr(facade, "notify", lambda **kwargs: calls.append(kwargs))
    return calls


@pytest.fixture
def stored_media():
    """Paths of stored uploads to remove after the test (the rollback keeps files)."""
    from pathlib import Path

    paths: list[str] = []
    yield paths
    for path in paths:
        Path(path).unlink(missing_ok=True)
