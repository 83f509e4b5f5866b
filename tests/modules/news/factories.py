"""Factories for the news: articles made through the services (sanitising, slugs, publishing), categories."""

from __future__ import annotations

from typing import Any

import factory

from modules.news import services
from modules.news.models import Article, Category
from tests.accounts.factories import town_admin


class CategoryFactory(factory.django.DjangoModelFactory):
    """A category; `CategoryFactory(slug="feuerwehr")` returns the seeded one of that slug."""

    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Rubrik {n}")
    slug = factory.Sequence(lambda n: f"rubrik-{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """An article written (by the town's admin unless `acting_user`) and published now unless `publish=False`;
    `publish_at` in the future schedules it."""

    class Meta:
        model = Article

    title = "Neues aus dem Rathaus"
    body = "<p>Text</p>"
    teaser = ""
    acting_user = factory.LazyFunction(town_admin)
    publish = True
    publish_at = None

    @classmethod
    def _create(cls, model_class: type[Article], *, acting_user: Any, publish: bool, publish_at: Any,
                **fields: Any) -> Article:
        article = services.article_create(acting_user=acting_user, **fields)
        if publish or publish_at:
            services.article_publish(article=article, acting_user=acting_user, publish_at=publish_at)
        article.refresh_from_db()
        return article
