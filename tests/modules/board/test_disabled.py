"""Switched off, the board is gone: no pages, no API, nothing in the home feed, no notifications (T13)."""

from __future__ import annotations

from modules.board.models import Post
from tenants.services import tenant_module_disable, tenant_module_enable
from tests.helpers import logged_in_client
from tests.modules.board.factories import TopicFactory


def test_a_disabled_board_has_no_pages_feed_or_api_and_sends_nothing(town_a, anna, ben, make_post, monkeypatch):
    import modules.notifications.facade as facade

    post = make_post(author=anna, text="Vor dem Abschalten", town_wide=True)
    sent: list[dict] = []
    monkeypatch.setattr(facade, "notify", lambda **kwargs: sent.append(kwargs))
    client = logged_in_client(town_a, ben)
    tenant_module_disable(tenant=town_a, key="board")
    try:
        pages = [client.get(path).status_code for path in ("/board/", f"/board/{post.pk}/", "/api/v1/board/posts/")]
        create = client.post("/board/new/", {"topic": TopicFactory().pk, "text": "Danach", "target": "town"})
        home = client.get("/").content.decode()
    finally:
        tenant_module_enable(tenant=town_a, key="board")

    assert pages == [404, 404, 404] and create.status_code == 404
    assert "Vor dem Abschalten" not in home
    assert sent == [] and Post.objects.count() == 1
