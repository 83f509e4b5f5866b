"""News (core.personal_data).

- news.Article they wrote (``created_by``)
  export: title, text, status, dates, image
  erase: **kept**, ``created_by`` cleared

An article is published by the town or on behalf of an organisation, never under the
writer's own name; it is that publisher's content, so it stays (with its image) and only
the link to the person who typed it goes.
"""

from __future__ import annotations

from typing import Any

from modules.news.models import Article


def export(user: Any) -> dict[str, Any]:
    articles = list(
        Article.objects.filter(created_by=user).order_by("pk").values(
            "title", "slug", "teaser", "body", "status", "publish_at", "created_at", "image", "image_alt",
            "organisation__name",
        )
    )
    return {"articles": articles, "files": [article["image"] for article in articles if article["image"]]}


def erase(user: Any) -> None:
    Article.objects.filter(created_by=user).update(created_by=None)
