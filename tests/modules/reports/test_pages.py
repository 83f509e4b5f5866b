"""The resident's pages and the back office, through HTTP as a browser sends it."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from modules.reports import services
from modules.reports.models import Follower, Report, Status
from tests.helpers import TownClient, host_of, image_upload, logged_in_client
from tests.modules.reports.factories import LAT, LON, make_report

pytestmark = pytest.mark.django_db


def _form(category, **extra):
    return {"category": category.pk, "description": "Laterne an der Bushaltestelle ist aus",
            "latitude": f"{LAT}", "longitude": f"{LON}", **extra}


def test_a_resident_reports_with_a_pin_and_a_photo(town_a, categories, anna, stored_media):
    client = logged_in_client(town_a, anna)
    response = client.post(reverse("reports:report-create"),
                           _form(categories["strassenbeleuchtung"], photos=[image_upload()]))
    report = Report.objects.get()
    stored_media.append(report.photos.get().image.path)
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    page = client.get(report.get_absolute_url())
    assert "Laterne an der Bushaltestelle" in page.content.decode()


def test_a_nearby_open_report_is_suggested_before_sending_and_supported(town_a, categories, anna, ben):
    first = make_report(category=categories["strassenbeleuchtung"], user=anna)
    client = logged_in_client(town_a, ben)
    response = client.post(reverse("reports:report-create"),
                           _form(categories["strassenbeleuchtung"], latitude=f"{LAT + 0.0001}"))
    assert response.status_code == 200 and first.reference in response.content.decode()
    assert Report.objects.count() == 1
    client.post(reverse("reports:report-follow", kwargs={"pk": first.pk}), {"follow": "1"})
    assert Follower.objects.filter(report=first, user=ben).exists()
    # "It's something else": sent anyway.
    client.post(reverse("reports:report-create"),
                _form(categories["strassenbeleuchtung"], latitude=f"{LAT + 0.0001}", confirm_new="1"))
    assert Report.objects.count() == 2


def test_bad_input_gets_a_german_message_and_stores_nothing(town_a, categories, anna):
    client = logged_in_client(town_a, anna)
    client.cookies["django_language"] = "de"
    response = client.post(reverse("reports:report-create"), {"category": categories["muell"].pk,
                                                              "description": "voll"}, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400
    assert "Karte" in response.content.decode()
    assert not Report.objects.exists()


def test_an_anonymous_report_counts_after_the_e_mail_confirmation(
        town_a, categories, celery_eager, django_capture_on_commit_callbacks):
    client = TownClient(host_of(town_a))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:report-create"),
                               _form(categories["muell"], contact_email="gast@example.org"))
    assert response.status_code == 200
    report = Report.objects.get()
    assert not report.confirmed and client.get(report.get_absolute_url()).status_code == 404
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/bestaetigen/" in line).strip()
    path = "/" + link.split("/", 3)[3]
    assert client.get(path).status_code == 200  # only a button: mail scanners don't confirm
    client.post(path)
    report.refresh_from_db()
    assert report.confirmed and client.get(report.get_absolute_url()).status_code == 200


def test_anonymous_reports_are_refused_when_the_town_says_so(town_a, categories):
    from tenants.services import tenant_module_configure

    tenant_module_configure(tenant=town_a, key="reports",
                            data={"allow_anonymous": False, "hold_anonymous": False, "photos_need_release": True})
    response = TownClient(host_of(town_a)).post(reverse("reports:report-create"),
                                                _form(categories["muell"], contact_email="gast@example.org"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Report.objects.exists()


def test_photos_are_public_only_after_release(town_a, categories, anna, staff, stored_media):
    report = make_report(category=categories["muell"], user=anna, photos=[image_upload()])
    stored_media.append(report.photos.get().image.path)
    visitor = TownClient(host_of(town_a))
    src = report.photos.get().image.url
    assert src not in visitor.get(report.get_absolute_url()).content.decode()
    logged_in_client(town_a, staff).post(reverse("reports:manage-report", kwargs={"pk": report.pk}),
                                         {"action": "release"})
    assert src in visitor.get(report.get_absolute_url()).content.decode()


def test_the_public_list_never_shows_names(town_a, categories, anna):
    make_report(category=categories["muell"], user=anna, contact_name="Anna Arendt")
    page = TownClient(host_of(town_a)).get(reverse("reports:report-list")).content.decode()
    assert "Müll" in page and "Arendt" not in page


def test_staff_answer_close_and_the_list_shows_it_done(town_a, categories, anna, staff):
    report = make_report(category=categories["strassenbeleuchtung"], user=anna)
    client = logged_in_client(town_a, staff)
    assert client.get(reverse("reports:manage")).status_code == 200
    client.post(reverse("reports:manage-report", kwargs={"pk": report.pk}),
                {"action": "assign", "assigned_to": staff.pk})
    client.post(reverse("reports:manage-report", kwargs={"pk": report.pk}),
                {"action": "note", "text": "Elektriker bestellt"})
    client.post(reverse("reports:manage-report", kwargs={"pk": report.pk}),
                {"action": "status", "status": "done", "public_answer": "Repariert."})
    report.refresh_from_db()
    assert report.status == Status.DONE and report.assigned_to == staff and report.notes.count() == 1
    public = TownClient(host_of(town_a)).get(report.get_absolute_url()).content.decode()
    assert "Repariert." in public and "Elektriker" not in public


def test_bulk_status_change_and_overdue_filter(town_a, categories, anna, staff):
    reports = [make_report(category=categories["muell"], user=anna, lat=LAT + i * 0.01) for i in range(3)]
    Report.objects.filter(pk=reports[0].pk).update(created_at=reports[0].created_at.replace(year=2020))
    client = logged_in_client(town_a, staff)
    overdue = client.get(reverse("reports:manage"), {"overdue": "on"})
    assert [r.pk for r in overdue.context["reports"]] == [reports[0].pk]
    client.post(reverse("reports:manage"), {"report": [r.pk for r in reports[1:]], "status": "in_progress"})
    assert Report.objects.filter(status=Status.IN_PROGRESS).count() == 2


def test_residents_do_not_reach_the_back_office(town_a, anna, categories):
    report = make_report(category=categories["muell"], user=anna)
    client = logged_in_client(town_a, anna)
    assert client.get(reverse("reports:manage")).status_code == 403
    assert client.post(reverse("reports:manage-report", kwargs={"pk": report.pk}),
                       {"action": "status", "status": "done"}).status_code == 403


def test_the_outside_body_answers_through_its_link(town_a, categories, anna):
    from modules.reports.services import forward_token

    category = categories["schlagloch"]
    category.forward_body, category.forward_email = "Kreisverwaltung", "kreis@example.org"
    category.save()
    report = make_report(category=category, user=anna)
    url = reverse("reports:forward-answer", kwargs={"token": forward_token(report)})
    client = TownClient(host_of(town_a))
    assert client.get(url).status_code == 200
    client.post(url, {"status": "in_progress", "public_answer": "Wird nächste Woche erledigt."})
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS
    assert client.get(url[:-3] + "xx/").status_code == 404
    # Done: a second "done" or any later answer through the same link changes nothing.
    client.post(url, {"status": "done", "public_answer": "Loch verfüllt."})
    late = client.post(url, {"status": "not_responsible", "public_answer": "Doch nicht wir."},
                       HTTP_ACCEPT_LANGUAGE="de")
    report.refresh_from_db()
    assert late.status_code == 400 and "bereits abgeschlossen" in late.content.decode()
    assert report.status == Status.DONE and report.public_answer == "Loch verfüllt."
    assert client.get(url).status_code == 200


def test_the_list_and_queue_cost_the_same_queries_for_5_and_30_reports(
        town_a, categories, staff, pages_rendered):
    from tests.modules.reports.factories import bulk_reports

    visitor, office = TownClient(host_of(town_a)), logged_in_client(town_a, staff)
    visitor.get(reverse("reports:report-list"))  # warm the town's caches (profile, modules, nav)
    office.get(reverse("reports:manage"))
    counts = []
    for total in (5, 30):
        Report.objects.all().delete()
        bulk_reports(category=categories["muell"], count=total)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as listed:
            visitor.get(reverse("reports:report-list"))
        with CaptureQueriesContext(connection) as queued:
            office.get(reverse("reports:manage"))
        counts.append((len(listed), len(queued)))
    assert counts[0] == counts[1]


def test_reporting_is_limited_per_ip(town_a, categories, anna, settings):
    client = logged_in_client(town_a, anna)
    statuses = [client.post(reverse("reports:report-create"), {"category": categories["muell"].pk}).status_code
                for _ in range(21)]
    assert statuses[:20] == [400] * 20 and statuses[20] == 429


def _nearby(client, category, lat=LAT, lon=LON, **headers):
    return client.get(reverse("reports:report-nearby"), {"category": category.pk, "lat": lat, "lon": lon},
                      **headers)


def test_the_form_checks_for_duplicates_live_as_json(town_a, categories, anna, ben, staff):
    # given: an open street light next door, one that is done, one of another kind, one 300 m away
    light = categories["strassenbeleuchtung"]
    near = make_report(category=light, user=anna, lat=LAT + 0.0001)
    done = make_report(category=light, user=anna)
    Report.objects.filter(pk=done.pk).update(status=Status.DONE)
    make_report(category=categories["muell"], user=anna)
    make_report(category=light, user=anna, lat=LAT + 0.003)
    client = logged_in_client(town_a, ben)

    # when
    response = _nearby(client, light)

    # then: only the open one, with its distance and the button's target
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    assert data["distance_m"] == 50
    assert [r["reference"] for r in data["reports"]] == [near.reference]
    found = data["reports"][0]
    assert found["distance"] == "11 Meter entfernt" and found["url"] == near.get_absolute_url()
    assert found["follow_url"] == reverse("reports:report-follow", kwargs={"pk": near.pk})
    assert "Anna" not in response.content.decode()  # names never leave the back office
    # the form carries the endpoint for its script; a page without JavaScript still checks on Send
    page = client.get(reverse("reports:report-create")).content.decode()
    assert f'data-url="{reverse("reports:report-nearby")}"' in page and "report_form.js" in page


def test_the_live_check_refuses_bad_input_in_german(town_a, categories, anna):
    client = logged_in_client(town_a, anna)
    for params in ({"category": "x", "lat": LAT, "lon": LON}, {"category": categories["muell"].pk, "lat": "nan",
                                                                  "lon": LON},
                   {"category": categories["muell"].pk, "lat": 91, "lon": LON}, {}):
        response = client.get(reverse("reports:report-nearby"), params, HTTP_ACCEPT_LANGUAGE="de")
        assert response.status_code == 400, params
        assert "Stecknadel" in response.json()["error"]


def test_the_live_check_is_limited_per_ip_for_visitors_only(town_a, categories, anna, monkeypatch):
    from modules.reports import views

    monkeypatch.setattr(views, "NEARBY_ANONYMOUS_LIMIT", 3)
    visitor = TownClient(host_of(town_a))
    statuses = [_nearby(visitor, categories["muell"]).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    signed_in = logged_in_client(town_a, anna)
    assert [_nearby(signed_in, categories["muell"]).status_code for _ in range(4)] == [200] * 4


def test_the_live_check_of_town_b_never_shows_town_a(town_a, town_b, categories, anna):
    make_report(category=categories["strassenbeleuchtung"], user=anna)
    from django_tenants.utils import schema_context

    from modules.reports.models import Category
    from modules.reports.services import categories_seed

    with schema_context(town_b.schema_name):
        categories_seed()
        light_b = Category.objects.get(slug="strassenbeleuchtung")
        response = _nearby(TownClient(host_of(town_b)), light_b)
    assert response.status_code == 200 and response.json()["reports"] == []


def test_a_photo_of_town_a_is_404_on_town_b(town_a, town_b, categories, anna, staff, stored_media):
    report = make_report(category=categories["muell"], user=anna, photos=[image_upload()])
    photo = report.photos.get()
    stored_media.append(photo.image.path)
    services.report_release(report=report, acting_user=staff)
    assert TownClient(host_of(town_a)).get(photo.image.url).status_code == 200
    assert TownClient(host_of(town_b)).get(photo.image.url).status_code == 404
    assert TownClient(host_of(town_b)).get(f"/reports/{report.pk}/").status_code == 404


def test_staff_assign_several_at_once_and_filter_by_category_and_person(town_a, categories, anna, staff):
    bins = [make_report(category=categories["muell"], user=anna, lat=LAT + i * 0.01) for i in range(2)]
    light = make_report(category=categories["strassenbeleuchtung"], user=anna)
    client = logged_in_client(town_a, staff)

    response = client.post(reverse("reports:manage"), {"report": [r.pk for r in bins], "action": "assign",
                                                       "assigned_to": staff.pk, "status": "received"})

    assert response.status_code == 302
    assert set(Report.objects.filter(assigned_to=staff).values_list("pk", flat=True)) == {r.pk for r in bins}
    assert Report.objects.get(pk=bins[0].pk).status == Status.RECEIVED  # assigning changes no status

    def shown(**query):
        return {r.pk for r in client.get(reverse("reports:manage"), query).context["reports"]}

    assert shown(assigned="me") == {r.pk for r in bins}
    assert shown(assigned="nobody") == {light.pk}
    assert shown(category=categories["strassenbeleuchtung"].pk) == {light.pk}
    # a resident can't be given a report
    client.post(reverse("reports:manage"), {"report": [light.pk], "action": "assign", "assigned_to": anna.pk})
    assert Report.objects.get(pk=light.pk).assigned_to is None
