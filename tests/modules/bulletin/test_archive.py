"""The public archive: past issues, full-text search (also in the town search), subscribing to the e-mails."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from modules.bulletin.models import IssueStatus, Subscription
from tests.accounts.factories import UserFactory
from tests.helpers import logged_in_client
from tests.modules.bulletin.helpers import draft, item

pytestmark = pytest.mark.django_db


def _published(number: int, words: str):
    issue = draft(number, status=IssueStatus.PUBLISHED, search_text=words)
    item(issue, words)
    return issue


def test_the_archive_lists_published_issues_and_finds_them_by_a_word_of_their_items(in_town_a, client_a):
    _published(1, "Straßensperrung in der Hauptstraße")
    _published(2, "Feuerwehrfest mit Tag der offenen Tür")
    draft(3)  # a draft is nobody's business but the editor's

    page = client_a.get("/mitteilungsblatt/").content.decode()
    assert "/mitteilungsblatt/2026/1/" in page and "/mitteilungsblatt/2026/2/" in page
    assert "/mitteilungsblatt/2026/3/" not in page
    found = client_a.get("/mitteilungsblatt/", {"q": "Feuerwehrfeste"}).content.decode()  # German stemming
    assert "/mitteilungsblatt/2026/2/" in found and "/mitteilungsblatt/2026/1/" not in found
    town_search = client_a.get("/suche/", {"q": "Straßensperrung"}).content.decode()
    assert "/mitteilungsblatt/2026/1/" in town_search
    assert client_a.get("/mitteilungsblatt/2026/3/").status_code == 404
    assert client_a.get("/mitteilungsblatt/", {"q": "x" * 500}).status_code == 200  # too long: a message


def test_a_resident_subscribes_and_unsubscribes_on_the_archive_page(town_a, client_a):
    with schema_context(town_a.schema_name):
        resident = UserFactory(email="leserin@example.org")
    client = logged_in_client(town_a, resident)
    client.post("/mitteilungsblatt/abonnieren/", {"subscribe": "yes"})
    with schema_context(town_a.schema_name):
        assert Subscription.objects.filter(user=resident).exists()
    assert "Stop the e-mails" in client.get("/mitteilungsblatt/").content.decode() or \
        "E-Mails abbestellen" in client.get("/mitteilungsblatt/").content.decode()
    client.post("/mitteilungsblatt/abonnieren/", {"subscribe": "no"})
    with schema_context(town_a.schema_name):
        assert not Subscription.objects.filter(user=resident).exists()
    # Anonymous visitors are sent to sign in; nothing is stored.
    response = client_a.post("/mitteilungsblatt/abonnieren/", {"subscribe": "yes"})
    assert response.status_code == 302 and "login" in response["Location"]


def test_town_b_cannot_see_or_print_town_a_issues_or_drafts(town_a, in_town_a, admin_client_b, client_b):
    published = _published(7, "Nur in Altdorf")
    unpublished = draft(8)
    for url in (f"/mitteilungsblatt/2026/{published.number}/", f"/mitteilungsblatt/2026/{published.number}/pdf/",
                f"/bulletin/manage/{unpublished.pk}/", f"/bulletin/manage/{unpublished.pk}/vorschau.pdf"):
        assert admin_client_b.get(url).status_code == 404, url
    assert "Nur in Altdorf" not in client_b.get("/mitteilungsblatt/", {"q": "Altdorf"}).content.decode()
