"""Publishing, scheduling, the publish_due task and the content_published signal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core.signals import content_published
from modules.news import selectors, services
from modules.news.models import ArticleStatus
from modules.news.tasks import publish_due
from tests.accounts.factories import town_admin
from tests.modules.news.factories import ArticleFactory


@pytest.fixture
def published_events():
    events: list[dict] = []

    def receiver(sender, **kwargs):
        events.append({"town": sender.schema_name, **kwargs})

    content_published.connect(receiver)
    yield events
    content_published.disconnect(receiver)


def visible_slugs() -> set[str]:
    return set(selectors.article_list_visible().values_list("slug", flat=True))


def test_a_draft_is_invisible_until_published(in_town_a, published_events, django_capture_on_commit_callbacks):
    # given
    admin = town_admin()
    with django_capture_on_commit_callbacks(execute=True):
        article = services.article_create(acting_user=admin, title="Entwurf")
    assert article.slug not in visible_slugs()

    # when
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(article=article, acting_user=admin)

    # then
    assert article.slug in visible_slugs()
    assert published_events == [
        {"town": in_town_a.schema_name, "signal": content_published, "kind": "news.article",
         "object_id": article.pk, "ortsgemeinde_ids": []}
    ]


def test_scheduled_article_stays_hidden_until_its_time(in_town_a, published_events, django_capture_on_commit_callbacks):
    # given
    later = timezone.now() + timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(title="Sperrmüll im Mai", publish_at=later)

    # then: scheduled, not visible, nothing announced, and the task leaves it alone
    assert article.status == ArticleStatus.SCHEDULED
    assert article.slug not in visible_slugs()
    with django_capture_on_commit_callbacks(execute=True):
        assert publish_due() == 0
    assert published_events == []

    # when the time has come (moved into the past instead of waiting)
    type(article).objects.filter(pk=article.pk).update(publish_at=timezone.now() - timedelta(seconds=5))

    # then: visible at once by the visibility rule, even before the task ran ...
    assert article.slug in visible_slugs()
    # ... and the task flips it to published and announces it exactly once
    with django_capture_on_commit_callbacks(execute=True):
        assert publish_due() == 1
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    assert [e["object_id"] for e in published_events] == [article.pk]

    # idempotent: a second run does nothing and announces nothing
    with django_capture_on_commit_callbacks(execute=True):
        assert publish_due() == 0
    assert len(published_events) == 1


def test_publishing_twice_keeps_the_date_and_announces_once(in_town_a, published_events,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(title="Einmal")
    first_date = article.publish_at
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(article=article, acting_user=town_admin())
    article.refresh_from_db()
    assert article.publish_at == first_date
    assert len(published_events) == 1


def test_unpublish_hides_it_again(in_town_a):
    article = ArticleFactory(title="Zurückgezogen")
    services.article_unpublish(article=article, acting_user=town_admin())
    assert article.slug not in visible_slugs()
    assert selectors.article_get_visible(slug=article.slug) is None


def test_publishing_with_a_past_date_publishes_now(in_town_a):
    article = ArticleFactory(title="Gestern", publish=False)
    services.article_publish(article=article, acting_user=town_admin(), publish_at=timezone.now() - timedelta(days=1))
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    assert timezone.now() - article.publish_at < timedelta(minutes=1)


def test_targeted_article_announces_its_villages(in_town_a, villages, published_events,
                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(title="Nur für X", ortsgemeinden=[villages["x"]])
    assert published_events[0]["ortsgemeinde_ids"] == [villages["x"].pk]


def test_publishing_under_schema_context_announces_the_real_town(town_a, published_events,
                                                                 django_capture_on_commit_callbacks):
    # Scripts and commands often use schema_context(), which gives the connection only a stand-in tenant.
    from django_tenants.utils import schema_context

    with schema_context(town_a.schema_name), django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(title="Aus einem Skript")
    assert published_events[0]["town"] == town_a.schema_name
    assert published_events[0]["object_id"] == article.pk
