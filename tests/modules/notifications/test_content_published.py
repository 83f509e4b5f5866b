"""Official news targeted at an Ortsgemeinde notifies the residents there who opted in, and nobody else."""

from __future__ import annotations

from modules.news import services as news_services
from modules.notifications.models import Notification
from tests.accounts.factories import UserFactory, town_admin
from tests.modules.notifications.factories import TopicPreferenceFactory
from tests.town.factories import OrganisationFactory


def _publish(*, title: str, places=(), organisation=None):
    admin = town_admin()
    article = news_services.article_create(acting_user=admin, title=title, teaser="Kurz gesagt.",
                                           body="<p>Text</p>", ortsgemeinden=places, organisation=organisation)
    news_services.article_publish(article=article, acting_user=admin)
    return article


def _news_opt_in_town() -> None:
    from django.db import connection

    from modules.notifications.services import topic_defaults_save

    topic_defaults_save(tenant=connection.tenant, data={"subscribed": [], "decided": ["news.official",
                                                                                      "news.organisations"]})


def test_targeted_official_news_reaches_only_opted_in_residents_of_that_village(
    villages, daytime, celery_eager, django_capture_on_commit_callbacks, mailoutbox
):
    # given: in X one resident opted in and one switched official news off; in Y one opted in
    x_fan = UserFactory(email="x-fan@example.org", ortsgemeinde=villages["x"])
    x_still = UserFactory(email="x-still@example.org", ortsgemeinde=villages["x"])
    TopicPreferenceFactory(user=x_still, topic="news.official", enabled=False)
    y_fan = UserFactory(email="y-fan@example.org", ortsgemeinde=villages["y"])
    for fan in (x_fan, y_fan):
        TopicPreferenceFactory(user=fan, topic="news.official")

    # when: the town hall publishes news for X (the signal fires after commit, the task runs at once here)
    with django_capture_on_commit_callbacks(execute=True):
        article = _publish(title="Kirmes in Xanten-Au", places=[villages["x"]])

    # then: only X's subscriber has it, linked to the article, and got it by e-mail
    (notification,) = Notification.objects.all()
    assert notification.user == x_fan
    assert notification.title == "Kirmes in Xanten-Au"
    assert notification.url.endswith(f"/news/{article.slug}/")
    assert notification.topic == "news.official"
    assert [m.to[0] for m in mailoutbox] == ["x-fan@example.org"]


def test_town_wide_news_reaches_every_subscriber_and_clubs_have_their_own_topic(
    villages, daytime, celery_eager, django_capture_on_commit_callbacks
):
    # In a town that made news opt-in (its default subscriptions): only the residents who chose it hear of it.
    _news_opt_in_town()
    x_fan = UserFactory(email="x-fan@example.org", ortsgemeinde=villages["x"])
    nowhere = UserFactory(email="ohne@example.org")
    club_fan = UserFactory(email="verein@example.org", ortsgemeinde=villages["y"])
    for fan in (x_fan, nowhere):
        TopicPreferenceFactory(user=fan, topic="news.official")
    TopicPreferenceFactory(user=club_fan, topic="news.organisations")
    club = OrganisationFactory(name="SV Altdorf", slug="sv-altdorf")

    with django_capture_on_commit_callbacks(execute=True):
        _publish(title="Neue Öffnungszeiten im Rathaus")
        _publish(title="Sommerfest des SV", organisation=club)

    got = {(n.user.email, n.title) for n in Notification.objects.select_related("user")}
    assert got == {
        ("x-fan@example.org", "Neue Öffnungszeiten im Rathaus"),
        ("ohne@example.org", "Neue Öffnungszeiten im Rathaus"),
        ("verein@example.org", "Sommerfest des SV"),
    }


def test_publishing_twice_notifies_once(villages, daytime, celery_eager, django_capture_on_commit_callbacks):
    fan = UserFactory(email="fan@example.org", ortsgemeinde=villages["x"])
    TopicPreferenceFactory(user=fan, topic="news.official")
    with django_capture_on_commit_callbacks(execute=True):
        article = _publish(title="Einmal")
    with django_capture_on_commit_callbacks(execute=True):
        news_services.article_unpublish(article=article, acting_user=town_admin())
        news_services.article_publish(article=article, acting_user=town_admin())
    assert Notification.objects.filter(user=fan).count() == 1
