"""The Branchenbuch in the site-wide search: only businesses the town approved and their owners show."""

from __future__ import annotations

from modules.directory.models import Business, BusinessStatus
from tests.core import search_content as content


def _finds(client, query: str, business) -> bool:
    return f'href="{business.get_absolute_url()}"' in client.get("/suche/", {"q": query}).content.decode()


def test_only_approved_published_businesses_are_found(in_town_a, client_a):
    approved = content.business("Hofladen Sonnenhof", description="Eier und Kartoffeln vom Hof")
    pending = content.business("Hofladen Wiesengrund", approve=False)
    rejected = content.business("Hofladen Bergblick", approve=False)
    Business.objects.filter(pk=rejected.pk).update(status=BusinessStatus.REJECTED)
    offline = content.business("Hofladen Talblick")
    Business.objects.filter(pk=offline.pk).update(is_published=False)

    assert _finds(client_a, "Hofladen", approved)
    for hidden in (pending, rejected, offline):
        assert not _finds(client_a, "Hofladen", hidden), hidden.name
    # the description is searched too, with German word forms
    assert _finds(client_a, "Kartoffel", approved)
