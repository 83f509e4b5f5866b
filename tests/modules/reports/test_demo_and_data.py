"""Demo content, personal data (export; erasure anonymises and keeps the report), search, map layer."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from demo.data import email_of
from modules.reports import demo, personal_data, search, selectors
from modules.reports.models import Follower, Report
from tests.accounts.factories import UserFactory
from tests.modules.reports.factories import make_report

pytestmark = pytest.mark.django_db


def test_demo_reports_are_loaded_once_in_every_state(town_a, villages):
    for local in ("maria.weber", "thomas.mueller", "hannah.klein", "peter.schneider", "gisela.hoffmann"):
        UserFactory(email=email_of(local), ortsgemeinde=villages["x"])
    assert demo.load() == len(demo.REPORTS) and demo.load() == 0
    assert set(Report.objects.values_list("status", flat=True)) == {
        "received", "in_progress", "done", "forwarded", "not_responsible"}


def test_export_and_erase_keep_the_report_without_the_person(categories, anna, ben):
    report = make_report(category=categories["muell"], user=anna, contact_phone="0123 456")
    other = make_report(category=categories["muell"], user=ben, lat=50.9)
    from modules.reports.services import report_follow

    report_follow(report=other, acting_user=anna)
    exported = personal_data.export(anna)
    assert [r["reference"] for r in exported["reports"]] == [report.reference]
    assert exported["following"] and "Ben" not in str(exported)
    personal_data.erase(anna)
    report.refresh_from_db()
    assert report.reporter is None and report.contact_phone == "" and report.description
    assert not Follower.objects.filter(user=anna).exists()


def test_search_and_map_show_public_reports_only(categories, anna):
    shown = make_report(category=categories["muell"], user=anna, description="Sperrmüll am Sportplatz")
    held = make_report(category=categories["muell"], user=anna, description="Sperrmüll am Friedhof", lat=50.8)
    Report.objects.filter(pk=held.pk).update(approved=False)
    request = RequestFactory().get("/suche/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    assert [r.url for r in search.search(request, "Sperrmüll", 5)] == [shown.get_absolute_url()]
    assert [p.url for p in selectors.map_points(request)] == [shown.get_absolute_url()]


def test_moderators_hide_a_report_from_the_public(town_a, categories, anna):
    from modules.reports import facade

    report = make_report(category=categories["muell"], user=anna)
    assert facade.report_summary(report.pk).excerpt == report.description
    facade.report_set_hidden(report.pk, True)
    assert facade.report_summary(report.pk).is_hidden and report not in selectors.public_reports()
    facade.report_delete(report.pk)
    assert facade.report_summary(report.pk) is None
