"""The notification centre, the unread count in the header, and the settings page."""

from __future__ import annotations

from django.utils.translation import gettext as _

from modules.notifications import services
from modules.notifications.models import Notification, NotificationSettings, TopicPreference
from modules.notifications.push import vapid_public_key
from modules.notifications.topics import TOPICS
from tests.accounts.factories import UserFactory
from tests.helpers import logged_in_client
from tests.modules.notifications.factories import NotificationFactory, UrgentNoticeFactory
from tests.modules.notifications.helpers import deliver_kwargs


def _make(user, n: int, **extra) -> list[Notification]:
    return [
        NotificationFactory(user=user, event="test", title=f"Meldung {i}", url="/news/", dedupe_key=f"p:{i}",
                                    **extra)
        for i in range(n)
    ]


def test_the_centre_lists_own_notifications_and_the_header_counts_unread(in_town_a):
    # given
    anna = UserFactory(email="anna@example.org")
    other = UserFactory(email="other@example.org")
    _make(anna, 3)
    NotificationFactory(user=other, event="test", title="Fremde Meldung", dedupe_key="x")
    client = logged_in_client(in_town_a, anna)
    # when
    page = client.get("/notifications/")
    # then
    html = page.content.decode()
    assert page.status_code == 200
    assert "Meldung 0" in html and "Meldung 2" in html and "Fremde Meldung" not in html
    assert 'class="notifications-link" aria-current="page"' in html
    assert '<span class="badge">3<span class="visually-hidden">' in html
    # other pages show the count too
    assert '<span class="badge">3<span class="visually-hidden">' in client.get("/").content.decode()


def test_open_marks_read_and_follows_the_link(in_town_a):
    anna = UserFactory(email="anna@example.org")
    first, second = _make(anna, 2)
    client = logged_in_client(in_town_a, anna)
    response = client.get(f"/notifications/{first.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/news/"
    first.refresh_from_db()
    assert first.read_at is not None
    # a notification pointing elsewhere is not an open redirect
    second.url = "https://evil.example/phish"
    second.save()
    assert client.get(f"/notifications/{second.pk}/open/")["Location"] == "/notifications/"


def test_mark_read_and_all_read_only_touch_own_notifications(in_town_a):
    anna = UserFactory(email="anna@example.org")
    other = UserFactory(email="other@example.org")
    mine = _make(anna, 3)
    theirs = NotificationFactory(user=other, event="test", title="Fremd", dedupe_key="x")
    client = logged_in_client(in_town_a, anna)

    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    assert client.get(f"/notifications/{theirs.pk}/open/").status_code == 404
    assert client.post(f"/notifications/{mine[0].pk}/read/").status_code == 302
    assert Notification.objects.filter(user=anna, read_at__isnull=True).count() == 2
    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(user=anna, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_centre_needs_a_login(client_a):
    for url in ("/notifications/", "/notifications/settings/"):
        response = client_a.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_list_costs_the_same_queries_for_5_and_30_notifications(in_town_a, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    anna = UserFactory(email="anna@example.org")
    client = logged_in_client(in_town_a, anna)
    _make(anna, 5)
    client.get("/notifications/")  # warm the town's caches
    with CaptureQueriesContext(connection) as five:
        client.get("/notifications/")
    Notification.objects.bulk_create(
        Notification(user=anna, event="t", title=f"Mehr {i}", dedupe_key=f"m:{i}") for i in range(25)
    )
    with CaptureQueriesContext(connection) as thirty:
        client.get("/notifications/")
    assert len(thirty) == len(five)


def test_settings_page_saves_choices_and_offers_push(in_town_a):
    anna = UserFactory(email="anna@example.org")
    client = logged_in_client(in_town_a, anna)
    page = client.get("/notifications/settings/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-vapid-key="{vapid_public_key()}"' in html
    assert "notifications/push.js" in html

    response = client.post("/notifications/settings/", {
        "email_frequency": "weekly", "quiet_hours": "on", "quiet_start": "21:30", "quiet_end": "06:15",
        "topic_news.official": "on", "topic_news.official_email": "on",
        "topic_urgent": "on", "topic_urgent_push": "on",
    })
    assert response.status_code == 302
    row = NotificationSettings.objects.get(user=anna)
    assert (row.email_frequency, str(row.quiet_start), str(row.quiet_end)) == ("weekly", "21:30:00", "06:15:00")
    prefs = {p.topic: (p.enabled, p.email, p.push) for p in TopicPreference.objects.filter(user=anna)}
    # Every topic on the page is saved: the two ticked as posted, all others (whichever modules add) unticked.
    assert set(prefs) == set(TOPICS)
    assert prefs.pop("news.official") == (True, True, False)
    assert prefs.pop("urgent") == (True, False, True)
    assert set(prefs.values()) == {(False, False, False)}


def test_bad_settings_show_an_error_and_change_nothing(in_town_a):
    anna = UserFactory(email="anna@example.org")
    client = logged_in_client(in_town_a, anna)
    response = client.post("/notifications/settings/", {"email_frequency": "hourly", "quiet_start": "25:99",
                                                        "quiet_end": ""})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not NotificationSettings.objects.exists() and not TopicPreference.objects.exists()


def test_defaults_before_choosing(in_town_a):
    anna = UserFactory(email="anna@example.org")
    page = logged_in_client(in_town_a, anna).get("/notifications/settings/")
    form = page.context["form"]
    # urgent notices and official news are on by default (issue 11), the Pinnwand is opt-in;
    # quiet hours 22:00–07:00, e-mails right away
    assert form["topic_urgent"].value() is True
    assert form["topic_news.official"].value() is True
    assert form["topic_board.posts"].value() is False
    assert form["quiet_hours"].value() is True
    assert form["email_frequency"].value() == "instant"
    assert _("Quiet hours") in page.content.decode()


def test_delivered_notifications_show_up_in_the_centre(in_town_a, daytime):
    anna = UserFactory(email="anna@example.org")
    services.notifications_deliver(user_ids=[anna.pk], **deliver_kwargs(title="Willkommen im Dorf"))
    assert "Willkommen im Dorf" in logged_in_client(in_town_a, anna).get("/notifications/").content.decode()


def test_the_header_count_and_the_urgent_widget_cost_no_query_once_warm(in_town_a, pages_rendered):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext


    # given: a resident with unread notifications and a current urgent notice
    anna = UserFactory(email="anna@example.org")
    _make(anna, 2)
    UrgentNoticeFactory(title="Glatteis", body="Vorsicht auf der K12.")
    client = logged_in_client(in_town_a, anna)
    client.get("/")
    # when
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/").content.decode()
    # then: both are shown, from the cache
    assert "Glatteis" in html and '<span class="badge">2<span class="visually-hidden">' in html
    assert not [q for q in queries.captured_queries if "notifications_" in q["sql"]]
    # and reading drops the cached count at once
    client.post("/notifications/read-all/")
    assert '<span class="badge">2' not in client.get("/").content.decode()
