"""Bekanntmachungen: published by the town hall, labelled as information, gone after their last day."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from modules.alerts.models import Notice
from modules.notifications.models import Notification
from tests.accounts.factories import UserFactory
from tests.helpers import logged_in_client
from tests.modules.alerts.factories import NoticeFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _form(**changes):
    today = TODAY()
    data = {"title": "Wasserversorgung in Elkenroth unterbrochen", "kind": "water",
            "body": "Wegen Arbeiten am Hochbehälter gibt es am Dienstag kein Leitungswasser.",
            "valid_from": today.isoformat(), "valid_until": (today + datetime.timedelta(days=2)).isoformat(),
            "ortsgemeinde": "", "place": "Elkenroth, Hochbehälter", "latitude": "50.7330",
            "longitude": "7.8790"}
    data.update(changes)
    return data


def test_the_town_admin_publishes_a_notice_residents_see_it_with_place_and_validity(
    in_town_a, admin_client_a, client_a
):
    response = admin_client_a.post("/alerts/manage/new/", _form())

    assert response.status_code == 302
    notice = Notice.objects.get()
    overview = client_a.get("/alerts/").content.decode()
    assert "Wasserversorgung in Elkenroth unterbrochen" in overview and "Elkenroth, Hochbehälter" in overview
    detail = client_a.get(notice.get_absolute_url()).content.decode()
    assert "kein Leitungswasser" in detail
    assert "Diese Seite dient Ihrer Information." in detail or "This page is for your information." in detail
    assert "alerts.notices" in client_a.get("/karte/").content.decode() or notice.title in client_a.get(
        "/karte/").content.decode()


def test_the_page_names_the_legal_place_of_publication_where_the_town_set_one(town_a, in_town_a, client_a):
    from tenants.selectors import forget_module_config
    from tenants.services import tenant_module_configure

    tenant_module_configure(tenant=town_a, key="alerts",
                            data={"ars": "", "legal_publication": "Amtsblatt „Betzdorf-Gebhardshain aktuell“"})
    try:
        notice = NoticeFactory()
        detail = client_a.get(notice.get_absolute_url()).content.decode()
    finally:
        forget_module_config(town_a.pk, "alerts")
    assert "Amtsblatt „Betzdorf-Gebhardshain aktuell“" in detail


def test_an_expired_notice_leaves_the_site_by_itself(in_town_a, client_a, admin_client_a):
    old = NoticeFactory(title="Sperrung vorbei", valid_from=TODAY() - datetime.timedelta(days=5),
                        valid_until=TODAY() - datetime.timedelta(days=1))

    assert "Sperrung vorbei" not in client_a.get("/alerts/").content.decode()
    assert client_a.get(old.get_absolute_url()).status_code == 404
    assert "Sperrung vorbei" not in client_a.get("/alerts/feed/rss/").content.decode()
    assert admin_client_a.get(old.get_absolute_url()).status_code == 200  # the town hall still finds it


def test_an_urgent_notice_reaches_the_residents_as_an_urgent_notice(
    in_town_a, admin_client_a, celery_eager, django_capture_on_commit_callbacks
):
    anna = UserFactory(email="anna@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        admin_client_a.post("/alerts/manage/new/", _form(is_urgent="on"))

    notice = Notice.objects.get()
    got = Notification.objects.get(user=anna, dedupe_key=f"alerts.notice:{notice.pk}")
    assert got.urgent and got.topic == "urgent" and got.url == notice.get_absolute_url()


def test_bad_input_gets_a_clear_message_and_nothing_is_stored(in_town_a, admin_client_a):
    response = admin_client_a.post("/alerts/manage/new/", _form(
        valid_from=TODAY().isoformat(), valid_until=(TODAY() - datetime.timedelta(days=1)).isoformat(),
        longitude=""))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Der letzte Tag kann nicht vor dem ersten Tag liegen." in page or "cannot be before" in page
    assert not Notice.objects.exists()


def test_residents_cannot_publish(in_town_a, town_a):
    resident = UserFactory(email="bewohner@example.org")
    response = logged_in_client(town_a, resident).post("/alerts/manage/new/", _form())
    assert response.status_code == 403 and not Notice.objects.exists()


def test_feeds_search_and_calendar_list_current_notices(in_town_a, client_a):
    NoticeFactory(title="Vollsperrung Hauptstraße", body="Kanalarbeiten in Gebhardshain")

    assert "Vollsperrung Hauptstraße" in client_a.get("/alerts/feed/atom/").content.decode()
    assert "Vollsperrung Hauptstraße" in client_a.get("/suche/?q=Kanalarbeiten").content.decode()
    assert "Vollsperrung Hauptstraße" in client_a.get("/kalender/ical/quelle/bekanntmachungen/").content.decode()


def test_another_towns_notice_is_not_found(in_town_a, client_b):
    notice = NoticeFactory()
    assert client_b.get(notice.get_absolute_url()).status_code == 404


def test_the_town_admin_corrects_and_deletes_a_notice(in_town_a, admin_client_a, client_a):
    notice = NoticeFactory(title="Sperrung Hauptstrasse")

    response = admin_client_a.post(f"/alerts/manage/{notice.pk}/edit/", _form(title="Sperrung Hauptstraße"))
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.title == "Sperrung Hauptstraße" and notice.kind == "water"

    assert admin_client_a.post(f"/alerts/manage/{notice.pk}/delete/").status_code == 302
    assert not Notice.objects.exists()
    assert client_a.get(f"/alerts/bekanntmachung/{notice.pk}/").status_code == 404


def test_a_club_editor_cannot_publish_official_notices(in_town_a, town_a):
    from tests.town.factories import MembershipFactory, OrganisationFactory
    from town.models import MembershipRole

    editor = MembershipFactory(user=UserFactory(email="wehr@example.org"), role=MembershipRole.EDITOR,
                               organisation=OrganisationFactory(name="Feuerwehr", slug="feuerwehr")).user

    response = logged_in_client(town_a, editor).post("/alerts/manage/new/", _form())

    assert response.status_code == 403 and not Notice.objects.exists()


def test_an_urgent_notice_for_one_village_reaches_only_its_residents(
    in_town_a, admin_client_a, celery_eager, django_capture_on_commit_callbacks
):
    from tests.town.factories import OrtsgemeindeFactory

    elkenroth, kausen = OrtsgemeindeFactory(name="Elkenroth", slug="elkenroth"), OrtsgemeindeFactory(
        name="Kausen", slug="kausen")
    erna = UserFactory(email="erna@example.org", ortsgemeinde=elkenroth)
    UserFactory(email="karl@example.org", ortsgemeinde=kausen)

    with django_capture_on_commit_callbacks(execute=True):
        admin_client_a.post("/alerts/manage/new/", _form(is_urgent="on", ortsgemeinde=elkenroth.pk))

    assert list(Notification.objects.filter(event="alerts.notice").values_list("user_id", flat=True)) == [erna.pk]


def test_a_resident_sees_their_villages_notices_and_the_towns_and_may_choose_all(in_town_a, town_a):
    from tests.town.factories import OrtsgemeindeFactory

    elkenroth, kausen = OrtsgemeindeFactory(name="Elkenroth", slug="elkenroth"), OrtsgemeindeFactory(
        name="Kausen", slug="kausen")
    NoticeFactory(title="Wasser in Elkenroth", ortsgemeinde=elkenroth)
    NoticeFactory(title="Sperrung in Kausen", ortsgemeinde=kausen)
    NoticeFactory(title="Ratssitzung der Verbandsgemeinde")
    client = logged_in_client(town_a, UserFactory(email="erna@example.org", ortsgemeinde=elkenroth))

    own = client.get("/alerts/").content.decode()
    everything = client.get("/alerts/?ortsgemeinde=").content.decode()

    assert "Wasser in Elkenroth" in own and "Ratssitzung der Verbandsgemeinde" in own
    assert "Sperrung in Kausen" not in own and "Sperrung in Kausen" in everything
