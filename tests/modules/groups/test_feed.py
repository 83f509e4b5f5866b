"""The start page's home feed shows the newest posts of the resident's own groups, nothing else."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib.auth.models import AnonymousUser

from modules.groups.feed import feed_items
from tests.helpers import logged_in_client
from tests.modules.groups.factories import GroupFactory, PostFactory


def test_the_feed_holds_the_newest_visible_posts_of_my_groups_only(public_group, closed_group, people):
    other = GroupFactory(admin=people["outsider"], name="Schachclub")
    PostFactory(group=public_group, author=people["founder"], text="Alt")
    PostFactory(group=closed_group, author=people["founder"], text="Neu im Lindenweg")
    PostFactory(group=other, author=people["outsider"], text="Schach am Freitag")
    PostFactory(group=public_group, author=people["founder"], text="Versteckt", is_hidden=True)

    items = feed_items(SimpleNamespace(user=people["member"]), 10)

    assert [item.title for item in items] == ["Neu im Lindenweg", "Alt"]
    assert items[0].kind_label.endswith("Nachbarschaft Lindenweg")
    assert items[0].url.startswith("/groups/nachbarschaft-lindenweg/posts/")
    assert items[0].author == "Frieda G."


def test_a_posts_first_line_is_its_title_and_a_long_line_is_cut_at_a_word(public_group, people):
    PostFactory(
        group=public_group,
        author=people["founder"],
        text="Lauf fällt aus\nWegen Glatteis laufen wir erst Donnerstag.",
    )
    PostFactory(group=public_group, author=people["founder"], text="Wort " * 30)

    long, short = feed_items(SimpleNamespace(user=people["member"]), 10)

    assert (short.title, short.summary) == ("Lauf fällt aus", "Wegen Glatteis laufen wir erst Donnerstag.")
    assert long.title.endswith(" …") and len(long.title) <= 82 and not long.title.startswith("Wort Wort Wort W…")
    assert long.summary.startswith("Wort")


def test_the_feed_keeps_to_its_limit(public_group, people):
    for number in range(8):
        PostFactory(group=public_group, author=people["founder"], text=f"Beitrag {number}")
    assert len(feed_items(SimpleNamespace(user=people["member"]), 5)) == 5


def test_visitors_who_are_not_signed_in_get_nothing(public_group, people):
    PostFactory(group=public_group, author=people["founder"])
    assert feed_items(SimpleNamespace(user=AnonymousUser()), 10) == []


def test_the_start_page_shows_my_groups_posts(town_a, public_group, people):
    PostFactory(group=public_group, author=people["founder"], text="Treffpunkt geändert: Kirche")
    page = logged_in_client(town_a, people["member"]).get("/").content.decode()
    assert "Treffpunkt geändert: Kirche" in page
    assert "Treffpunkt geändert" not in logged_in_client(town_a, people["outsider"]).get("/").content.decode()


def test_a_disabled_module_is_gone_from_the_start_page_and_its_pages(town_a, public_group, people):
    from tenants.services import tenant_module_disable

    PostFactory(group=public_group, author=people["founder"], text="Treffpunkt geändert: Kirche")
    client = logged_in_client(town_a, people["member"])
    tenant_module_disable(tenant=town_a, key="groups")

    assert "Treffpunkt geändert" not in client.get("/").content.decode()
    assert client.get("/groups/").status_code == 404
    assert client.get("/groups/lauftreff-altdorf/").status_code == 404
    assert client.get("/api/v1/groups/groups/").status_code == 404
