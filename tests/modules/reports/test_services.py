"""Reporting, duplicates, statuses, following, merging, reopening, forwarding: what residents and staff notice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from modules.reports import selectors, services
from modules.reports.models import Follower, Report, Status
from tests.helpers import image_upload
from tests.modules.reports.factories import LAT, LON, make_report

pytestmark = pytest.mark.django_db


def test_a_resident_reports_and_follows_it(categories, anna):
    report = make_report(category=categories["strassenbeleuchtung"], user=anna)
    assert report.status == Status.RECEIVED and report.reference == f"M-{report.pk:06d}"
    assert Follower.objects.filter(report=report, user=anna).exists()
    assert [h.status for h in report.history.all()] == [Status.RECEIVED]


def test_nothing_is_stored_without_description_or_place(categories, anna):
    with pytest.raises(ValidationError):
        make_report(category=categories["muell"], user=anna, description="  ")
    with pytest.raises(ValidationError):
        services.report_create(category=categories["muell"], description="voll", latitude=None, longitude=None,
                               acting_user=anna)
    assert not Report.objects.exists()


def test_photos_are_reencoded_and_a_non_image_stores_nothing(categories, anna, stored_media):
    report = make_report(category=categories["schlagloch"], user=anna, photos=[image_upload(exif=True)])
    stored_media.append(report.photos.get().image.path)
    assert b"GeheimeKamera" not in open(report.photos.get().image.path, "rb").read()
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError):
        make_report(category=categories["schlagloch"], user=anna,
                    photos=[SimpleUploadedFile("x.jpg", b"<?php echo 1;", content_type="image/jpeg")])
    assert Report.objects.count() == 1


def test_the_position_comes_from_the_photo_when_there_is_no_pin(categories, anna, stored_media):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (50.0, 47.0, 24.0), 3: "E", 4: (7.0, 52.0, 12.0)}
    out = io.BytesIO()
    Image.new("RGB", (32, 32)).save(out, format="JPEG", exif=exif.tobytes())
    report = services.report_create(category=categories["muell"], description="Sperrmüll", latitude=None,
                                    longitude=None, photos=[SimpleUploadedFile("p.jpg", out.getvalue())],
                                    acting_user=anna)
    stored_media.append(report.photos.get().image.path)
    assert round(report.latitude, 4) == 50.79 and round(report.longitude, 4) == 7.87


def test_duplicates_are_open_reports_of_the_category_within_its_distance(categories, anna):
    light = categories["strassenbeleuchtung"]
    near = make_report(category=light, user=anna)
    make_report(category=light, user=anna, lat=LAT + 0.001)  # ~111 m north: too far for 50 m
    make_report(category=categories["muell"], user=anna)  # other category
    done = make_report(category=light, user=anna, lon=LON + 0.0001)
    Report.objects.filter(pk=done.pk).update(status=Status.DONE)
    found = selectors.duplicates_near(category=light, lat=LAT + 0.0002, lon=LON)
    assert [n.report.pk for n in found] == [near.pk] and found[0].distance_m == 22


def test_staff_change_the_status_with_an_answer_and_people_are_notified(
        categories, anna, ben, staff, celery_eager, notifications_off, django_capture_on_commit_callbacks):
    report = make_report(category=categories["strassenbeleuchtung"], user=anna)
    services.report_follow(report=report, acting_user=ben)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_status_set(report=report, status=Status.DONE, public_answer="Leuchtmittel getauscht.",
                                   acting_user=staff)
    report.refresh_from_db()
    assert report.status == Status.DONE and report.closed_at and report.public_answer == "Leuchtmittel getauscht."
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.org", "ben@example.org"]
    assert "Leuchtmittel getauscht." in mail.outbox[0].body


def test_residents_cannot_change_the_status(categories, anna):
    report = make_report(category=categories["muell"], user=anna)
    with pytest.raises(PermissionDenied):
        services.report_status_set(report=report, status=Status.DONE, acting_user=anna)


def test_the_reporter_reopens_within_14_days_only(categories, anna, staff):
    report = make_report(category=categories["muell"], user=anna)
    services.report_status_set(report=report, status=Status.DONE, acting_user=staff)
    services.report_reopen(report=report, acting_user=anna)
    assert report.status == Status.RECEIVED
    services.report_status_set(report=report, status=Status.DONE, acting_user=staff)
    Report.objects.filter(pk=report.pk).update(closed_at=timezone.now() - timedelta(days=15))
    report.refresh_from_db()
    with pytest.raises(ValidationError):
        services.report_reopen(report=report, acting_user=anna)


def test_merging_moves_followers_and_closes_the_duplicate(categories, anna, ben, staff):
    first = make_report(category=categories["schlagloch"], user=anna)
    second = make_report(category=categories["schlagloch"], user=ben)
    services.report_merge(report=second, into=first, acting_user=staff)
    assert set(Follower.objects.filter(report=first).values_list("user_id", flat=True)) == {anna.pk, ben.pk}
    second.refresh_from_db()
    assert second.merged_into == first and second.status == Status.DONE
    assert first.reference in second.public_answer
    assert second not in selectors.public_reports()


def test_a_forwarding_category_mails_the_body_which_answers_through_its_link(
        categories, anna, celery_eager, notifications_off, django_capture_on_commit_callbacks):
    category = categories["schlagloch"]
    category.forward_body, category.forward_email = "Landesbetrieb Mobilität", "lbm@example.org"
    category.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report = make_report(category=category, user=anna)
    assert report.status == Status.FORWARDED and report.forwarded_to == "Landesbetrieb Mobilität"
    to_body = next(m for m in mail.outbox if m.to == ["lbm@example.org"])
    assert report.reference in to_body.subject
    token = services.forward_token(report)
    services.forward_answer(token=token, status=Status.DONE, public_answer="Loch verfüllt.")
    report.refresh_from_db()
    assert report.status == Status.DONE and report.history.last().by_body == "Landesbetrieb Mobilität"
    with pytest.raises(ValidationError):
        services.forward_answer(token=token + "x", status=Status.DONE, public_answer="gefälscht")


def test_staff_cannot_forward_a_category_that_forwards_to_nobody(categories, anna, staff):
    report = make_report(category=categories["muell"], user=anna)
    with pytest.raises(ValidationError):
        services.report_status_set(report=report, status=Status.FORWARDED, acting_user=staff)


def test_api_keys_are_hashed_and_revocable(in_town_a, admin_user_a):
    key, raw = services.api_key_issue(name="Kreis-App", acting_user=admin_user_a)
    assert raw not in key.key_hash and services.api_key_valid(raw) == key
    services.api_key_revoke(key=key, acting_user=admin_user_a)
    assert services.api_key_valid(raw) is None


def test_the_ortsgemeinde_comes_from_the_pin_and_a_point_outside_the_town_is_refused(categories, anna, villages):
    from tests.town.test_places_match import collection, square
    from town.places_services import boundaries_import

    boundaries_import(data=collection(("Xanten-Au", {"type": "Polygon", "coordinates": square(LON, LAT)})))
    inside = make_report(category=categories["muell"], user=anna, lat=LAT + 0.005, lon=LON + 0.005)
    assert inside.ortsgemeinde == villages["x"]
    with pytest.raises(ValidationError):
        make_report(category=categories["muell"], user=anna, lat=52.52, lon=13.40)  # Berlin
    # A pin on the border: the resident may name the village by hand.
    chosen = make_report(category=categories["muell"], user=anna, lat=LAT - 0.0001, lon=LON,
                         ortsgemeinde=villages["y"])
    assert chosen.ortsgemeinde == villages["y"] and Report.objects.count() == 2


def test_with_notifications_on_reporter_and_followers_get_one_each(
        categories, anna, ben, staff, celery_eager, django_capture_on_commit_callbacks):
    from modules.notifications.models import Notification

    report = make_report(category=categories["strassenbeleuchtung"], user=anna)
    services.report_follow(report=report, acting_user=ben)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_status_set(report=report, status=Status.IN_PROGRESS, public_answer="Elektriker bestellt.",
                                   acting_user=staff)
    notes = Notification.objects.filter(event="reports.status")
    assert sorted((n.user_id, n.topic) for n in notes) == sorted([(anna.pk, "reports.own"),
                                                                   (ben.pk, "reports.supported")])
    assert all(n.url == report.get_absolute_url() and n.body == "Elektriker bestellt." for n in notes)


def test_a_second_answer_reaches_people_and_a_switched_off_topic_stays_quiet(
        categories, anna, ben, staff, celery_eager, django_capture_on_commit_callbacks):
    from datetime import time

    from modules.notifications.capabilities import TOPICS
    from modules.notifications.models import Notification
    from modules.notifications.services import notification_settings_update

    # given: both topics are on the residents' settings page; Ben switched "Problems you support" off
    assert {"reports.own", "reports.supported"} <= set(TOPICS)
    report = make_report(category=categories["strassenbeleuchtung"], user=anna)
    services.report_follow(report=report, acting_user=ben)
    notification_settings_update(user=ben, email_frequency="instant", quiet_hours=False, quiet_start=time(22),
                                 quiet_end=time(7), topics={"reports.supported": (False, False, False)})

    # when: staff answer twice without changing the status
    for answer in ("Elektriker bestellt.", "Der Elektriker kommt am Montag."):
        with django_capture_on_commit_callbacks(execute=True):
            services.report_status_set(report=report, status=Status.IN_PROGRESS, public_answer=answer,
                                       acting_user=staff)

    # then: Anna hears both answers, Ben nothing
    notes = Notification.objects.filter(event="reports.status").order_by("pk")
    assert [(n.user_id, n.body) for n in notes] == [(anna.pk, "Elektriker bestellt."),
                                                    (anna.pk, "Der Elektriker kommt am Montag.")]


def test_the_word_filter_keeps_a_description_out(categories, anna, monkeypatch):
    from modules.reports import services as reports_services

    def refuse(text):
        raise ValidationError("Das Wort „Mist“ ist hier nicht erlaubt.")

    monkeypatch.setattr(reports_services, "text_check", refuse)
    with pytest.raises(ValidationError) as problem:
        make_report(category=categories["muell"], user=anna, description="So ein Mist")
    assert "description" in problem.value.message_dict and not Report.objects.exists()


def test_a_decompression_bomb_a_too_large_photo_or_a_fourth_photo_store_nothing(categories, anna, settings):
    from django.core.files.storage import default_storage

    def files() -> list[str]:
        return default_storage.listdir("reports")[1] if default_storage.exists("reports") else []

    before = files()
    bomb = image_upload("bombe.png", fmt="PNG", size=(12_000, 200))  # a few KB on disk, 2.4 MP of one colour
    cases = [[image_upload(), bomb], [image_upload() for _ in range(4)]]
    for photos in cases:
        with pytest.raises(ValidationError):
            make_report(category=categories["schlagloch"], user=anna, photos=photos)
    settings.MAX_IMAGE_UPLOAD_BYTES = 200
    with pytest.raises(ValidationError) as too_large:
        make_report(category=categories["schlagloch"], user=anna, photos=[image_upload(size=(400, 300))])
    assert "MB" in " ".join(too_large.value.messages)
    assert not Report.objects.exists()
    assert files() == before
