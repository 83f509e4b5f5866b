"""Default subscriptions: a resident who never opened the settings hears of their town's and village's news,
not of every Pinnwand post; the town admin sets the town's defaults; a resident's own choice always wins."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from modules.news import services as news_services
from modules.notifications.conf import topic_default
from modules.notifications.models import Notification
from modules.notifications.receivers import content_announce
from tests.accounts.factories import UserFactory, town_admin
from tests.helpers import admin_of, logged_in_client, sql_statements
from tests.modules.board.factories import PostFactory
from tests.modules.notifications.factories import TopicPreferenceFactory
from tests.town.factories import OrtsgemeindeFactory

DEFAULTS_URL = "/notifications/manage/defaults/"


def _publish(*, title: str, places=()):
    admin = town_admin()
    article = news_services.article_create(acting_user=admin, title=title, teaser="Kurz gesagt.",
                                           body="<p>Text</p>", ortsgemeinden=places)
    news_services.article_publish(article=article, acting_user=admin)
    return article


def _titles(user) -> set[str]:
    return set(Notification.objects.filter(user=user).values_list("title", flat=True))


def test_a_new_resident_hears_of_news_for_their_village_and_the_town_but_not_for_another_village(
    villages, daytime, celery_eager, django_capture_on_commit_callbacks, mailoutbox
):
    # given: a resident of X who never opened the notification settings
    newcomer = UserFactory(email="neu@example.org", ortsgemeinde=villages["x"])

    with django_capture_on_commit_callbacks(execute=True):
        _publish(title="Kirmes in Xanten-Au", places=[villages["x"]])
        _publish(title="Neue Öffnungszeiten im Rathaus")
        _publish(title="Straßenfest in Ypsdorf", places=[villages["y"]])

    assert _titles(newcomer) == {"Kirmes in Xanten-Au", "Neue Öffnungszeiten im Rathaus"}
    mailed = sorted(m.subject for m in mailoutbox if m.to == ["neu@example.org"])
    assert len(mailed) == 2
    assert "Kirmes in Xanten-Au" in mailed[0] and "Neue Öffnungszeiten im Rathaus" in mailed[1]


def test_a_pinnwand_post_notifies_only_neighbours_who_opted_in(
    villages, daytime, celery_eager, django_capture_on_commit_callbacks
):
    author = UserFactory(email="autorin@example.org", ortsgemeinde=villages["x"])
    neighbour = UserFactory(email="nachbar@example.org", ortsgemeinde=villages["x"])
    fan = UserFactory(email="pinnwand-fan@example.org", ortsgemeinde=villages["x"])
    TopicPreferenceFactory(user=fan, topic="board.posts")

    with django_capture_on_commit_callbacks(execute=True):
        PostFactory(author=author, town_wide=True)

    assert set(Notification.objects.filter(topic="board.posts").values_list("user__email", flat=True)) == {
        "pinnwand-fan@example.org"}
    assert not _titles(neighbour)


def test_a_resident_who_switched_official_news_off_gets_none(
    villages, daytime, celery_eager, django_capture_on_commit_callbacks, mailoutbox
):
    quiet = UserFactory(email="ruhe@example.org", ortsgemeinde=villages["x"])
    TopicPreferenceFactory(user=quiet, topic="news.official", enabled=False)

    with django_capture_on_commit_callbacks(execute=True):
        _publish(title="Kirmes in Xanten-Au", places=[villages["x"]])
        _publish(title="Neue Öffnungszeiten im Rathaus")

    assert not _titles(quiet)
    assert not [m for m in mailoutbox if m.to == ["ruhe@example.org"]]


def test_the_town_admins_default_reaches_residents_without_a_choice_and_spares_those_with_one(
    in_town_a, villages, daytime, celery_eager, django_capture_on_commit_callbacks
):
    undecided = UserFactory(email="unentschieden@example.org", ortsgemeinde=villages["x"])
    keeps_news = UserFactory(email="will-nachrichten@example.org", ortsgemeinde=villages["x"])
    TopicPreferenceFactory(user=keeps_news, topic="news.official", enabled=True)
    wants_board = UserFactory(email="will-pinnwand@example.org", ortsgemeinde=villages["x"])
    TopicPreferenceFactory(user=wants_board, topic="board.posts", enabled=False)

    # when: the town admin turns official news off and the Pinnwand on, as a browser sends the form
    admin = logged_in_client(in_town_a, town_admin())
    page = admin.get(DEFAULTS_URL)
    assert page.status_code == 200
    form = page.context["form"]
    wanted = [key for key in form.initial["subscribed"] if key != "news.official"] + ["board.posts"]
    saved = admin.post(DEFAULTS_URL, {"subscribed": wanted, "decided": form.initial["decided"]})
    connection.set_tenant(in_town_a)
    assert saved.status_code == 302
    assert topic_default("news.official") is False and topic_default("board.posts") is True

    with django_capture_on_commit_callbacks(execute=True):
        _publish(title="Neue Öffnungszeiten im Rathaus")
        PostFactory(author=keeps_news, text="Wer leiht mir eine Leiter?", town_wide=True)

    # then: the undecided resident follows the town (no news, the Pinnwand post); the others keep their choice
    assert {n.topic for n in Notification.objects.filter(user=undecided)} == {"board.posts"}
    assert {n.topic for n in Notification.objects.filter(user=keeps_news)} == {"news.official"}
    assert not Notification.objects.filter(user=wants_board).exists()
    # and the settings page of an undecided resident shows the town's defaults
    settings_form = logged_in_client(in_town_a, undecided).get("/notifications/settings/").context["form"]
    assert settings_form["topic_news.official"].value() is False
    assert settings_form["topic_board.posts"].value() is True


def test_the_defaults_page_is_for_town_admins_and_refuses_unknown_topics(in_town_a):
    resident = UserFactory(email="bewohnerin@example.org")
    as_resident = logged_in_client(in_town_a, resident).post(DEFAULTS_URL, {"subscribed": [], "decided": []})
    assert as_resident.status_code in (302, 403)
    assert "/notifications/manage/" not in as_resident.get("Location", "")

    admin = logged_in_client(in_town_a, town_admin())
    assert DEFAULTS_URL in admin.get("/notifications/manage/urgent/").content.decode()  # the back-office menu
    page = admin.get(DEFAULTS_URL)
    # Plain German, urgent notices not offered (they always reach everyone)
    assert "Voreingestellte Benachrichtigungen" in page.content.decode()
    assert "urgent" not in [key for key, _label in page.context["form"].fields["subscribed"].choices]
    refused = admin.post(DEFAULTS_URL, {"subscribed": ["nonsense"], "decided": ["nonsense"]})
    connection.set_tenant(in_town_a)
    assert refused.status_code == 400
    assert refused.context["form"].errors
    # nothing stored: the topics keep their declared defaults
    assert topic_default("news.official") is True and topic_default("board.posts") is False
    assert topic_default("urgent") is True


def test_town_bs_defaults_leave_town_a_alone(in_town_a, town_b):
    # when: town B's admin switches every default off on B's own page
    b_admin = logged_in_client(town_b, admin_of(town_b))
    decided = b_admin.get(DEFAULTS_URL).context["form"].initial["decided"]
    assert b_admin.post(DEFAULTS_URL, {"subscribed": [], "decided": decided}).status_code == 302
    connection.set_tenant(town_b)
    assert topic_default("news.official") is False

    # then: town A keeps the declared defaults
    connection.set_tenant(in_town_a)
    assert topic_default("news.official") is True
    assert topic_default("news.organisations") is True
    assert topic_default("board.posts") is False


def test_announcing_news_costs_the_same_queries_for_3_as_for_30_residents(in_town_a, daytime, mailoutbox):
    village = OrtsgemeindeFactory(name="Zählhausen", slug="zaehlhausen")
    for number in range(3):
        UserFactory(email=f"einwohner{number}@example.org", ortsgemeinde=village)
    switched_off = UserFactory(email="aus@example.org", ortsgemeinde=village)
    TopicPreferenceFactory(user=switched_off, topic="news.official", enabled=False)
    # The announcements run as the worker would (on_commit callbacks don't run in this test transaction).
    warm_up, few, many = (_publish(title=f"Meldung {n}", places=[village]) for n in range(3))
    content_announce(kind="news.article", object_id=warm_up.pk, ortsgemeinde_ids=[village.pk])

    def statements(article) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            reached = content_announce(kind="news.article", object_id=article.pk, ortsgemeinde_ids=[village.pk])
        return reached, len(sql_statements(queries))

    reached_few, cost_few = statements(few)
    for number in range(3, 30):
        UserFactory(email=f"einwohner{number}@example.org", ortsgemeinde=village)
    reached_many, cost_many = statements(many)

    assert (reached_few, reached_many) == (3, 30)
    assert cost_many == cost_few
    assert not Notification.objects.filter(user=switched_off).exists()
