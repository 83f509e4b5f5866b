"""Teilen: a reported problem's page can be shared (neighbours support it) with a clean text and a preview."""

from __future__ import annotations

import pytest

from tests.core.test_sharing import _meta, shared_texts
from tests.helpers import host_of
from tests.modules.reports.factories import make_report

pytestmark = pytest.mark.django_db


def test_a_report_is_shared_with_its_category_reference_and_text(town_a, client_a, categories, anna):
    category = next(iter(categories.values()))
    report = make_report(category=category, user=anna, description="Die Laterne vor Hausnummer 5 ist dunkel.")
    url = f"http://{host_of(town_a)}{report.get_absolute_url()}"

    html = client_a.get(report.get_absolute_url()).content.decode()

    title = f"{category.name} {report.reference}"
    assert shared_texts(html)["whatsapp"] == f"{title}\n\nDie Laterne vor Hausnummer 5 ist dunkel.\n\n{url}"
    assert _meta(html, "og:title") == title
    assert _meta(html, "og:description").endswith("Die Laterne vor Hausnummer 5 ist dunkel.")
