"""Groups in the site-wide search: every group by its name, posts only for those who may read them."""

from __future__ import annotations

from tests.core import search_content as content
from tests.helpers import TownClient, host_of, logged_in_client


def _page(client, query: str) -> str:
    return client.get("/suche/", {"q": query}).content.decode()


def test_closed_group_posts_are_found_by_members_only(town_a, in_town_a):
    # given a closed group with a member, and a resident outside it
    member = content.resident("mitglied@example.org")
    outsider = content.resident("draussen@example.org")
    group = content.group("Nachbarschaft Lindenweg", closed=True, members=(member,))
    post = content.group_post(group, "Heckenschnitt am Freitag", author=member)
    link = f'href="{post.get_absolute_url()}"'
    # then the member finds the post; the outsider and anonymous visitors don't
    assert link in _page(logged_in_client(town_a, member), "Heckenschnitt")
    assert link not in _page(logged_in_client(town_a, outsider), "Heckenschnitt")
    assert link not in _page(TownClient(host_of(town_a)), "Heckenschnitt")
    # and the group itself is found by everyone, as on the list of groups, marked as closed
    page = _page(TownClient(host_of(town_a)), "Lindenweg")
    assert f'href="{group.get_absolute_url()}"' in page and "Geschlossene Gruppe" in page


def test_public_group_posts_are_found_by_signed_in_residents(town_a, in_town_a):
    resident = content.resident("leserin@example.org")
    group = content.group("Lauftreff Altdorf", members=(content.resident("laeufer@example.org"),))
    post = content.group_post(group, "Lauftreff Sonntag um neun")
    link = f'href="{post.get_absolute_url()}"'
    page = _page(logged_in_client(town_a, resident), "Sonntag")
    assert link in page and "Gruppe: Lauftreff Altdorf" in page
    # a group's feed needs an account, so its posts aren't found anonymously
    assert link not in _page(TownClient(host_of(town_a)), "Sonntag")


def test_hidden_group_posts_are_never_found(town_a, in_town_a):
    member = content.resident("autorin@example.org")
    group = content.group("Strickkreis", members=(member,))
    post = content.group_post(group, "Wollreste abzugeben", author=member, hidden=True)
    assert f'href="{post.get_absolute_url()}"' not in _page(logged_in_client(town_a, member), "Wollreste")
