"""A module that provides every capability, installed from outside modules/, works with no edit outside its folder.

Each test reaches the probe only through the platform: the pages, menus, feeds and services
that consume a capability kind. Run under tests.probe.settings (its own database).
"""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context, tenant_context

from accounts.models import User
from tests.helpers import admin_of, logged_in_client

pytestmark = pytest.mark.django_db


def _note(town, text: str = "Kuchen im Gemeindehaus", author: User | None = None):
    from tests.probe.probe_module.providers import note_create

    with schema_context(town.schema_name):
        return note_create(author=author or admin_of(town), text=text)


def test_the_probe_is_installed_and_on_in_both_towns(town_a, town_b):
    from core.modules import all_modules

    assert "probe" in all_modules()
    assert "probe" in town_a.enabled_module_keys(fresh=True) and "probe" in town_b.enabled_module_keys(fresh=True)


def test_its_nav_widget_feed_and_aside_show_on_the_start_page(town_a, client_a):
    _note(town_a, "Kuchen im Gemeindehaus")

    page = client_a.get("/").content.decode()

    assert 'href="/probe/"' in page and "Notizen" in page  # nav
    assert "Probe-Widget" in page  # home widget
    assert "Kuchen im Gemeindehaus" in page  # home feed
    assert "Probe-Randnotiz" in page  # page aside, on every page
    assert "Probe-Randnotiz" in client_a.get("/impressum/").content.decode()
    assert "Probe-Banner" in page and "Probe-Banner" in client_a.get("/impressum/").content.decode()  # page banner


def test_signed_in_residents_see_its_header_item_and_prompt(town_a):
    page = logged_in_client(town_a, admin_of(town_a)).get("/").content.decode()

    assert "Probe-Kopf" in page and "Probe-Hinweis" in page


def test_its_back_office_link_is_in_the_back_office_menu(town_a):
    page = logged_in_client(town_a, admin_of(town_a)).get("/backoffice/").content.decode()

    assert "Notizen verwalten" in page


def test_its_extra_top_level_path_works_while_it_is_on_and_only_for_its_own_town(town_a, town_b, client_a, client_b):
    note_a = _note(town_a, "Nur in Altdorf")

    assert client_a.get(f"/kurz/{note_a.pk}/")["Location"] == f"/probe/{note_a.pk}/"
    assert "Nur in Altdorf" in client_a.get(f"/probe/{note_a.pk}/").content.decode()
    other = client_b.get(f"/probe/{note_a.pk}/")
    assert other.status_code == 404 or "Nur in Altdorf" not in other.content.decode()


def test_switched_off_everything_of_it_is_gone(town_a, client_a):
    from tenants.services import tenant_module_disable

    note = _note(town_a, "Verschwindet")
    tenant_module_disable(tenant=town_a, key="probe")

    page = client_a.get("/").content.decode()
    assert "Probe-Widget" not in page and "Verschwindet" not in page and "Probe-Randnotiz" not in page
    assert "Probe-Banner" not in page
    assert 'href="/probe/"' not in page
    assert client_a.get("/probe/").status_code == 404
    assert client_a.get(f"/kurz/{note.pk}/").status_code == 404


def test_its_periodic_task_is_fanned_out_and_runs_in_the_town(town_a):
    from core.tasks import module_beat_schedule
    from tests.probe.probe_module.models import Note
    from tests.probe.probe_module.tasks import tidy

    entry = module_beat_schedule()["probe:probe.tidy"]
    assert entry["task"] == "core.fan_out" and tuple(entry["args"]) == ("probe.tidy", "probe")
    hidden = _note(town_a, "Versteckt")
    with schema_context(town_a.schema_name):
        Note.objects.filter(pk=hidden.pk).update(is_hidden=True)
    with tenant_context(town_a):  # as the worker runs it: in the town, with the town row
        assert tidy() == 1


def test_residents_report_its_content_and_moderators_hide_it(town_a, client_a):
    from modules.moderation.services import Statement, case_decide, report_create

    note = _note(town_a, "Werbung für Pillen")
    with schema_context(town_a.schema_name):
        reporter = User.objects.create_user(email="melder@example.org", name="Mia Melder", password=None)
        report = report_create(kind="probe.note", object_id=note.pk, category="spam", text="Spam",
                               acting_user=reporter)
        case_decide(case_id=report.case_id, action="hide", acting_user=admin_of(town_a),
                    statement=Statement(facts="Werbung", ground="terms", ground_detail="§ 3"))

    assert client_a.get(f"/probe/{note.pk}/").status_code == 404


def test_its_promotion_slot_can_be_sold(town_a):
    from billing.promotions import promotion_slot

    assert promotion_slot("probe.top").label == "Notiz ganz oben"


def test_publishing_notifies_the_subscribers_of_its_topic(town_a):
    from modules.notifications.capabilities import TOPICS
    from modules.notifications.models import Notification, TopicPreference
    from modules.notifications.receivers import content_announce

    assert "probe.notes" in TOPICS
    with schema_context(town_a.schema_name):
        reader = User.objects.create_user(email="leserin@example.org", name="Lea Leserin", password=None)
        TopicPreference.objects.create(user=reader, topic="probe.notes", enabled=True, email=False, push=False)
    note = _note(town_a, "Flohmarkt am Samstag")
    with schema_context(town_a.schema_name):
        assert content_announce(kind="probe.note", object_id=note.pk, ortsgemeinde_ids=[]) == 1
        assert Notification.objects.get(user=reader).title == "Neue Notiz: Flohmarkt am Samstag"


def test_its_topic_is_on_the_notification_settings_page(town_a):
    page = logged_in_client(town_a, admin_of(town_a)).get("/notifications/settings/").content.decode()

    assert "Neue Notizen" in page


def test_its_section_shows_on_an_organisations_page(town_a, client_a):
    from tests.accounts.factories import OrganisationFactory

    with schema_context(town_a.schema_name):
        OrganisationFactory(slug="probeverein", name="Probeverein")

    assert "Probe für Probeverein" in client_a.get("/organisationen/probeverein/").content.decode()


def test_a_persons_notes_are_in_their_export_and_go_with_their_erasure(town_a):
    import json
    import zipfile

    from core.personal_data import personal_data_erase, personal_data_export
    from tests.probe.probe_module.models import Note

    with schema_context(town_a.schema_name):
        writer = User.objects.create_user(email="schreiber@example.org", name="Sina Schreiber", password=None)
    _note(town_a, "Meine Notiz", author=writer)
    _note(town_a, "Fremde Notiz")
    with schema_context(town_a.schema_name):
        archive = zipfile.ZipFile(personal_data_export(writer))
        data = json.loads(archive.read("data.json"))
        assert [note["text"] for note in data["sections"]["probe"]["notes"]] == ["Meine Notiz"]
        personal_data_erase(writer)
        assert list(Note.objects.values_list("text", flat=True)) == ["Fremde Notiz"]


def test_its_entries_are_in_the_towns_calendar_feed_and_the_writers_personal_feed(town_a, town_b, client_a, client_b):
    from icalendar import Calendar

    from town.calendar_services import calendar_subscription_renew, calendar_token

    with schema_context(town_a.schema_name):
        writer = User.objects.create_user(email="kalender@example.org", name="Kai Kalender", password=None)
    _note(town_a, "Chorprobe", author=writer)

    town_feed = Calendar.from_ical(client_a.get("/kalender/ical/").content)
    assert "Chorprobe" in [str(event["SUMMARY"]) for event in town_feed.walk("VEVENT")]
    assert "Chorprobe" not in client_b.get("/kalender/ical/").content.decode()
    with schema_context(town_a.schema_name):
        token = calendar_token(calendar_subscription_renew(user=writer))
    personal = Calendar.from_ical(client_a.get(f"/kalender/ical/persoenlich/{token}/").content)
    assert "Meine Notiz: Chorprobe" in [str(event["SUMMARY"]) for event in personal.walk("VEVENT")]
    assert client_b.get(f"/kalender/ical/persoenlich/{token}/").status_code == 404


def test_the_site_search_finds_its_notes_in_its_own_town_only(town_a, town_b, client_a, client_b):
    _note(town_a, "Posaunenchor sucht Verstärkung")

    assert "Posaunenchor" in client_a.get("/suche/", {"q": "Posaunenchor"}).content.decode()
    assert "Posaunenchor sucht" not in client_b.get("/suche/", {"q": "Posaunenchor"}).content.decode()


def test_its_points_are_on_the_towns_map_and_in_its_list(town_a, client_a, client_b):
    _note(town_a, "Bank am Dorfplatz")

    page = client_a.get("/karte/").content.decode()
    assert "Notizen am Dorfplatz" in page and "Bank am Dorfplatz" in page
    assert "Bank am Dorfplatz" not in client_b.get("/karte/").content.decode()
