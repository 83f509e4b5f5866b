"""The demo's warnings and notices: shown without ever asking NINA, loaded once."""

from __future__ import annotations

import pytest

from modules.alerts import demo
from modules.alerts.models import Notice, OfficialWarning
from modules.alerts.selectors import forget_banner

pytestmark = pytest.mark.django_db


def test_the_demo_shows_a_stored_warning_and_two_notices_without_polling(nina, in_town_a, client_a):
    forget_banner()
    assert demo.load() == 3
    assert demo.load() == 0  # idempotent

    page = client_a.get("/").content.decode()
    assert "Amtliche WARNUNG vor GLÄTTE (Demo)" in page
    assert Notice.objects.count() == 2 and OfficialWarning.objects.count() == 1
    assert nina.requests == []  # the demo town has no ARS: nothing is polled
    from modules.alerts.services import warnings_poll

    assert warnings_poll().polled is False and nina.requests == []
    forget_banner()
