"""The editor's week: a draft from what was published, shortened and ordered, published once with its mails."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from modules.bulletin.models import Delivery, Issue, IssueItem, IssueStatus, Subscription
from tests.accounts.factories import UserFactory
from tests.modules.bulletin.helpers import draft, item, pdf_pages
from tests.modules.events.factories import EventFactory, in_days
from tests.modules.news.factories import ArticleFactory
from tests.outbox_helpers import outbox_run_pending
from tests.town.factories import OrtsgemeindeFactory

pytestmark = pytest.mark.django_db


def _post(client, url, data=None):
    return client.post(url, data or {}, follow=True)


def test_a_draft_collects_the_weeks_news_and_the_next_events_per_village_and_numbers_itself(
        in_town_a, admin_client_a):
    # given: news of this week (one for Elkenroth), an event next week, and an old article
    elkenroth = OrtsgemeindeFactory(name="Elkenroth", slug="elkenroth")
    ArticleFactory(title="Neue Öffnungszeiten im Rathaus", teaser="Ab Montag länger geöffnet.")
    ArticleFactory(title="Kirmes in Elkenroth", ortsgemeinden=[elkenroth])
    EventFactory(title="Seniorennachmittag", starts_at=in_days(3, 15))
    old = ArticleFactory(title="Altes Thema")
    type(old).objects.filter(pk=old.pk).update(publish_at=timezone.now() - datetime.timedelta(days=40))

    # when
    response = _post(admin_client_a, "/bulletin/manage/")

    # then
    issue = Issue.objects.get()
    titles = {i.title: i for i in issue.items.all()}
    assert set(titles) == {"Neue Öffnungszeiten im Rathaus", "Kirmes in Elkenroth", "Seniorennachmittag"}
    assert titles["Kirmes in Elkenroth"].ortsgemeinde_id == elkenroth.pk
    assert titles["Neue Öffnungszeiten im Rathaus"].text == "Ab Montag länger geöffnet."
    assert titles["Seniorennachmittag"].url.startswith("/events/")
    assert issue.number == 1 and issue.year == timezone.localdate().year
    assert issue.label.replace("Ausgabe", "Issue") == f"Issue 1/{issue.year}"
    assert response.status_code == 200 and "Kirmes in Elkenroth" in response.content.decode()

    # and the next draft is number 2 and starts where this one ended
    _post(admin_client_a, "/bulletin/manage/")
    second = Issue.objects.get(number=2)
    assert second.period_start >= issue.period_end  # continues where the last one ended


def test_the_editor_orders_shortens_leaves_out_and_adds_and_the_public_edition_shows_just_that(
        in_town_a, admin_client_a, client_a):
    issue = draft()
    first = item(issue, "Erste Meldung", position=1, text="Ein sehr langer Text, der gekürzt werden soll.")
    second = item(issue, "Zweite Meldung", position=2)
    dropped = item(issue, "Wird weggelassen", position=3)
    data = {f"position_{first.pk}": 5, f"title_{first.pk}": "Erste Meldung", f"text_{first.pk}": "Kurz.",
            f"position_{second.pk}": 1, f"title_{second.pk}": "Zweite Meldung", f"text_{second.pk}": "",
            f"position_{dropped.pk}": 3, f"title_{dropped.pk}": "Wird weggelassen", f"text_{dropped.pk}": "",
            f"excluded_{dropped.pk}": "on"}
    assert _post(admin_client_a, f"/bulletin/manage/{issue.pk}/", data).status_code == 200
    _post(admin_client_a, f"/bulletin/manage/{issue.pk}/eintrag/",
          {"title": "Nachruf", "text": "Wir trauern.", "url": "", "ortsgemeinde": ""})

    _post(admin_client_a, f"/bulletin/manage/{issue.pk}/veroeffentlichen/")

    issue.refresh_from_db()
    assert issue.status == IssueStatus.PUBLISHED and issue.page_count == 1
    page = client_a.get(f"/mitteilungsblatt/{issue.year}/{issue.number}/").content.decode()
    assert page.index("Zweite Meldung") < page.index("Erste Meldung") < page.index("Nachruf")
    assert "Kurz." in page and "gekürzt" not in page and "Wird weggelassen" not in page
    text = pdf_pages(client_a.get(f"/mitteilungsblatt/{issue.year}/{issue.number}/pdf/").content)[0][0]
    assert "Nachruf" in text and "Wird weggelassen" not in text


def test_an_empty_title_is_refused_with_a_message_and_nothing_is_saved(in_town_a, admin_client_a):
    issue = draft()
    one = item(issue, "Bleibt", position=1)
    response = admin_client_a.post(f"/bulletin/manage/{issue.pk}/", {
        f"position_{one.pk}": 1, f"title_{one.pk}": "", f"text_{one.pk}": "neu"})
    assert response.status_code == 400
    assert IssueItem.objects.get(pk=one.pk).text == "Kurzer Text."


def test_an_issue_with_nothing_in_it_is_not_published(in_town_a, admin_client_a, client_a):
    issue = draft()
    item(issue, "Weggelassen", excluded=True)
    response = _post(admin_client_a, f"/bulletin/manage/{issue.pk}/veroeffentlichen/")
    assert "Diese Ausgabe ist leer." in response.content.decode()
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT and not issue.pdf
    assert client_a.get(f"/mitteilungsblatt/{issue.year}/{issue.number}/").status_code == 404


def test_an_article_deleted_after_it_went_into_a_draft_is_flagged_and_left_out_on_publish(
        in_town_a, admin_client_a):
    from modules.news.services import article_delete

    kept = ArticleFactory(title="Bleibt drin")
    gone = ArticleFactory(title="Zurückgezogene Meldung")
    _post(admin_client_a, "/bulletin/manage/")
    issue = Issue.objects.get()
    assert issue.items.count() == 2
    article_delete(article=gone, acting_user=kept.created_by)

    page = admin_client_a.get(f"/bulletin/manage/{issue.pk}/").content.decode()
    assert "Zurückgezogene Meldung" in page  # still listed until checked
    response = _post(admin_client_a, f"/bulletin/manage/{issue.pk}/veroeffentlichen/")

    body = response.content.decode()
    assert "Zurückgezogene Meldung" in body and ("removed" in body or "entfernt" in body)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.PUBLISHED
    assert IssueItem.objects.get(issue=issue, title="Zurückgezogene Meldung").source_removed
    assert "Zurückgezogene" not in issue.search_text and "Bleibt drin" in issue.search_text


def test_an_issue_longer_than_the_towns_page_limit_is_refused_naming_its_pages(
        in_town_a, admin_client_a, bulletin_settings):
    bulletin_settings(page_limit=1)
    issue = draft()
    for n in range(30):
        item(issue, f"Meldung {n}", position=n, text="Viel Text für die Seite. " * 20)
    response = _post(admin_client_a, f"/bulletin/manage/{issue.pk}/veroeffentlichen/")
    body = response.content.decode()
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT and not issue.pdf
    assert re.search(r"Diese Ausgabe hätte \d+ Seiten, Ihre Grenze ist aber 1 Seite\.", body), body
    assert not Delivery.objects.exists()


def test_each_subscriber_gets_the_issue_once_even_if_the_mail_task_runs_twice(in_town_a, admin_client_a):
    readers = [UserFactory(email=f"leser{n}@example.org") for n in range(3)]
    for reader in readers:
        Subscription.objects.create(user=reader)
    stopped = UserFactory(email="nicht-mehr@example.org")
    Subscription.objects.create(user=stopped)
    issue = draft()
    item(issue, "Sperrmüll am Samstag", url="/abfall/")
    _post(admin_client_a, f"/bulletin/manage/{issue.pk}/veroeffentlichen/")
    Subscription.objects.filter(user=stopped).delete()  # unsubscribed before the mail went out

    mail.outbox.clear()
    outbox_run_pending("bulletin.issue_mail")
    outbox_run_pending("bulletin.issue_mail", sent_too=True)  # delivered twice by the broker

    assert sorted(m.to[0] for m in mail.outbox) == [r.email for r in readers]
    message = mail.outbox[0]
    assert "Sperrmüll am Samstag" in message.body and "/abfall/" in message.body
    assert f"{issue.number}/{issue.year}" in message.subject
    # Publishing is once: a second press changes nothing and mails nobody.
    _post(admin_client_a, f"/bulletin/manage/{issue.pk}/veroeffentlichen/")
    assert Delivery.objects.count() == 4 and len(mail.outbox) == 3


def test_a_draft_prints_next_weeks_waste_collections_per_village_and_the_weeks_warnings(in_town_a, admin_client_a):
    """Waste dates go into their Ortsgemeinde's section, official warnings of the week into the town-wide
    part; a warning the sender withdrew stays out."""
    from tests.modules.alerts.factories import OfficialWarningFactory
    from tests.modules.waste.factories import PickupAreaFactory, PickupFactory, WasteTypeFactory

    elkenroth = OrtsgemeindeFactory(name="Elkenroth", slug="elkenroth")
    area = PickupAreaFactory(name="Elkenroth", slug="elkenroth", ortsgemeinde=elkenroth)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    PickupFactory(area=area, waste_type=WasteTypeFactory(name="Windeltonne", slug="windeltonne"), date=tomorrow)
    PickupFactory(area=area, waste_type=WasteTypeFactory(name="Grünschnitt", slug="gruenschnitt"),
                  date=tomorrow + datetime.timedelta(days=2))
    PickupFactory(area=area, waste_type=WasteTypeFactory(name="Christbäume", slug="christbaeume"),
                  date=tomorrow + datetime.timedelta(days=30))  # too far ahead
    OfficialWarningFactory(headline="Sturmböen im Westerwald", sender_name="Deutscher Wetterdienst")
    OfficialWarningFactory(headline="Zurückgezogene Warnung", withdrawn_at=timezone.now())

    _post(admin_client_a, "/bulletin/manage/")

    items = {i.title: i for i in Issue.objects.get().items.all()}
    (waste,) = [i for i in items.values() if i.url.startswith("/waste/")]
    assert waste.ortsgemeinde_id == elkenroth.pk
    assert "Windeltonne" in waste.text and "Grünschnitt" in waste.text and "Christbäume" not in waste.text
    assert items["Sturmböen im Westerwald"].ortsgemeinde_id is None
    assert "Zurückgezogene Warnung" not in items


def test_the_mail_edition_unsubscribes_in_one_click_and_skips_a_bounced_address(in_town_a, town_b, admin_client_a):
    """RFC 8058: the mail program POSTs the List-Unsubscribe link, no sign-in; the link works in its own town
    only; an address the relay reported dead gets no issue."""
    from django.test import Client

    from accounts.models import UndeliverableAddress
    from tests.helpers import TownClient, host_of

    reader, bounced = UserFactory(email="leserin@example.org"), UserFactory(email="tot@example.org")
    for person in (reader, bounced):
        Subscription.objects.create(user=person)
    UndeliverableAddress.objects.create(email="tot@example.org", since=timezone.now(), reason="550")
    issue = draft()
    item(issue, "Sperrmüll am Samstag", url="/abfall/")
    _post(admin_client_a, f"/bulletin/manage/{issue.pk}/veroeffentlichen/")
    mail.outbox.clear()
    outbox_run_pending("bulletin.issue_mail")

    (message,) = mail.outbox
    assert message.to == ["leserin@example.org"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    assert path in message.body
    assert TownClient(host_of(town_b)).post(path).status_code == 404  # another town: nothing
    assert Subscription.objects.filter(user=reader).exists()
    anonymous = TownClient(host_of(in_town_a))
    assert anonymous.get(path).status_code == 200 and Subscription.objects.filter(user=reader).exists()
    csrf_checking = Client(enforce_csrf_checks=True, HTTP_HOST=host_of(in_town_a))
    assert csrf_checking.post(path).status_code == 200
    assert not Subscription.objects.filter(user=reader).exists()
