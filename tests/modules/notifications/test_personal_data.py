"""Notifications in a person's export and erasure: everything of hers goes, the town's notices stay."""

from __future__ import annotations

import pytest

from core.personal_data import personal_data_erase
from modules.notifications.models import (
    Notification,
    NotificationSettings,
    PushSubscription,
    TopicPreference,
    UrgentNotice,
)
from tests.core.personal_data_helpers import flat, person, section

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(in_town_a):
    anna, bert = person("anna@example.org", "Anna Albers"), person("bert@example.org", "Bert Brandt")
    for user, title in ((anna, "Neuer Kommentar für Anna"), (bert, "Neuer Kommentar für Bert")):
        Notification.objects.create(user=user, event="board.comment", title=title, dedupe_key=title)
        NotificationSettings.objects.create(user=user, email_frequency="daily")
        TopicPreference.objects.create(user=user, topic="news", email=False)
        PushSubscription.objects.create(user=user, endpoint=f"https://push.example/{user.pk}", p256dh="k",
                                        auth="geheim", user_agent=f"Browser von {user.name}")
    notice = UrgentNotice.objects.create(title="Wasserrohrbruch", body="Bitte abkochen.", created_by=anna)
    return {"anna": anna, "bert": bert, "notice": notice}


def test_export_holds_her_notifications_and_choices_but_no_push_secrets(inbox):
    data = section(inbox["anna"], "notifications")

    assert [n["title"] for n in data["notifications"]] == ["Neuer Kommentar für Anna"]
    assert data["settings"]["email_frequency"] == "daily"
    assert data["topics"] == [{"topic": "news", "enabled": True, "email": False, "push": True}]
    assert [d["user_agent"] for d in data["push_devices"]] == ["Browser von Anna Albers"]
    assert [n["title"] for n in data["urgent_notices_sent"]] == ["Wasserrohrbruch"]
    assert "geheim" not in flat(data) and "push.example" not in flat(data) and "Bert" not in flat(data)


def test_erase_deletes_hers_and_keeps_berts_and_the_towns_notice(inbox):
    personal_data_erase(inbox["anna"])

    for model in (Notification, NotificationSettings, TopicPreference, PushSubscription):
        assert list(model.objects.values_list("user_id", flat=True)) == [inbox["bert"].pk], model.__name__
    notice = UrgentNotice.objects.get(pk=inbox["notice"].pk)
    assert notice.title == "Wasserrohrbruch" and notice.created_by_id is None


def test_erase_takes_her_name_out_of_what_others_were_told(inbox):
    told = Notification.objects.create(user=inbox["bert"], event="board.comment",
                                       title="Anna A. hat Ihren Beitrag kommentiert", dedupe_key="c1")
    other_anna = Notification.objects.create(user=inbox["bert"], event="board.comment",
                                             title="Anna B. hat Ihren Beitrag kommentiert", dedupe_key="c2")

    personal_data_erase(inbox["anna"])

    told.refresh_from_db()
    other_anna.refresh_from_db()
    assert told.title == "Jemand aus der Nachbarschaft hat Ihren Beitrag kommentiert"
    assert other_anna.title == "Anna B. hat Ihren Beitrag kommentiert"
