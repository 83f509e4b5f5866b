"""The Mitfahrbank: someone without an account says "Ich sitze jetzt hier"; opted-in drivers are told once
(through the notifications worker, eagerly); the request expires after 20 minutes; a driver taps "Ich komme"."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from modules.notifications.models import Notification
from modules.rides import services
from modules.rides.models import BenchRequest
from tests.accounts.factories import UserFactory
from tests.helpers import TownClient, host_of, logged_in_client, shown


@pytest.fixture
def watchers(stops):
    near = UserFactory(email="nah@example.org", name="Nina Nah")
    everywhere = UserFactory(email="ueberall@example.org", name="Udo Überall")
    UserFactory(email="gleichgueltig@example.org")  # did not opt in
    services.bench_watch_set(acting_user=near, bench=stops["bench"], on=True)
    services.bench_watch_set(acting_user=everywhere, bench=None, on=True)
    return [near, everywhere]


@pytest.fixture
def clock(monkeypatch):
    """Frozen time: `clock.now` is what timezone.now() returns everywhere; move it with `clock.now += ...`."""

    class Clock:
        now = timezone.now()

    monkeypatch.setattr(timezone, "now", lambda: Clock.now)
    return Clock


def test_a_person_without_an_account_asks_and_opted_in_drivers_are_told_once(
        stops, watchers, town_a, celery_eager, django_capture_on_commit_callbacks):
    anonymous = TownClient(host_of(town_a))
    with django_capture_on_commit_callbacks(execute=True):
        response = anonymous.post(f"/rides/bank/{stops['bench'].pk}/", {
            "direction": stops["betzdorf"].pk, "name": "Erna", "phone": "0151 234567"})
    request = BenchRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/rides/bank/r/{request.token}/"
    notified = Notification.objects.filter(event="rides.bench")
    assert sorted(n.user_id for n in notified) == sorted(w.pk for w in watchers)
    assert "Erna" in notified[0].title
    # The same request announced again (a retried task) reaches nobody twice.
    with django_capture_on_commit_callbacks(execute=True):
        from modules.notifications.facade import notify

        notify(user_ids=[w.pk for w in watchers], event="rides.bench", title="x", body="", url="/",
               dedupe_key=f"rides.bench:{request.pk}")
    assert Notification.objects.filter(event="rides.bench").count() == 2


def test_a_driver_taps_i_am_coming_and_the_persons_page_shows_it(stops, watchers, town_a):
    request = services.bench_request_create(bench=stops["bench"], direction=stops["betzdorf"], name="Erna")
    driver = logged_in_client(town_a, watchers[0])
    bench_page = driver.get(f"/rides/bank/{stops['bench'].pk}/").content.decode()
    assert "Erna" in bench_page
    assert driver.post(f"/rides/bank/requests/{request.pk}/come/", {"confirm": "1"}).status_code == 302
    page = TownClient(host_of(town_a)).get(f"/rides/bank/r/{request.token}/", HTTP_ACCEPT_LANGUAGE="de")
    assert shown("%(name)s is coming to pick you up.", name="Nina") in page.content.decode()
    with pytest.raises(ValidationError):  # the second driver is told someone is already on the way
        services.bench_request_accept(bench_request=request, acting_user=watchers[1])


def test_the_request_expires_after_20_minutes(stops, watchers, clock):
    request = services.bench_request_create(bench=stops["bench"], direction=stops["betzdorf"], name="Erna")
    clock.now += datetime.timedelta(minutes=19)
    request.refresh_from_db()
    assert request.is_waiting
    clock.now += datetime.timedelta(minutes=1)
    request.refresh_from_db()
    assert not request.is_waiting
    with pytest.raises(ValidationError, match=gettext("This request has expired.")):
        services.bench_request_accept(bench_request=request, acting_user=watchers[0])


def test_no_notification_after_expiry(stops, watchers, clock, celery_eager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.bench_request_create(bench=stops["bench"], direction=stops["betzdorf"], name="Erna")
    clock.now += datetime.timedelta(minutes=25)
    before = Notification.objects.count()
    # Nothing is sent later for an expired request: the bench page and the map no longer list it.
    from modules.rides.selectors import bench_requests_waiting, map_bench_requests

    assert bench_requests_waiting() == [] and map_bench_requests(None) == []
    assert Notification.objects.count() == before


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"name": "Erna"}, "direction", "Please choose where you want to go."),
    ({"direction": "betzdorf", "name": " "}, "name", "This field is required."),
])
def test_a_bench_request_without_direction_or_name_is_refused(stops, town_a, data, field, message):
    data = dict(data)
    if data.get("direction"):
        data["direction"] = stops["betzdorf"].pk
    response = TownClient(host_of(town_a)).post(f"/rides/bank/{stops['bench'].pk}/", data,
                                                HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400
    assert shown(message) in response.content.decode()
    assert not BenchRequest.objects.exists()


def test_a_bench_that_does_not_exist_is_404_and_a_plain_stop_is_no_bench(stops, town_a):
    client = TownClient(host_of(town_a))
    assert client.get("/rides/bank/999999/").status_code == 404
    assert client.get(f"/rides/bank/{stops['betzdorf'].pk}/").status_code == 404


def test_anonymous_bench_requests_are_limited_per_ip(stops, town_a):
    client = TownClient(host_of(town_a))
    for _ in range(10):
        client.post(f"/rides/bank/{stops['bench'].pk}/", {"direction": stops["betzdorf"].pk, "name": "Erna"})
    response = client.post(f"/rides/bank/{stops['bench'].pk}/", {"direction": stops["betzdorf"].pk, "name": "Erna"})
    assert response.status_code == 429
    assert BenchRequest.objects.count() == 10


def test_a_digitallotse_enters_a_request_for_someone_who_phoned(stops, town_a):
    from accounts.models import Role

    lotse = UserFactory(email="lotsin@example.org", role=Role.MODERATOR)
    client = logged_in_client(town_a, lotse)
    response = client.post("/rides/manage/phone/", {"bench": stops["bench"].pk, "direction": stops["betzdorf"].pk,
                                                     "name": "Herr Müller", "phone": "02741 1234"})
    request = BenchRequest.objects.get()
    assert response.status_code == 302 and request.entered_by == lotse
    assert logged_in_client(town_a, UserFactory(email="normal@example.org")).get(
        "/rides/manage/phone/").status_code == 403


def test_the_printable_sign_is_a_pdf_with_the_benchs_name(stops, town_a):
    response = TownClient(host_of(town_a)).get(f"/rides/bank/{stops['bench'].pk}/sign/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_bench_page_and_sign_show_the_buses_from_the_stop_nearby(stops, town_a):
    """Someone at the bench can also take the bus: the Kausen stop 110 m away is on the page and the sign."""
    import pypdfium2

    from modules.rides import bus
    from tests.helpers import admin_of

    bus.line_create(acting_user=admin_of(town_a), name="Bürgerbus", weekdays=range(7),
                    timetable="Gebhardshain | 07:45 13:45\nKausen | 08:00 14:00\nBetzdorf | 08:10 14:10")
    bench = stops["bench"]
    page = TownClient(host_of(town_a)).get(f"/rides/bank/{bench.pk}/").content.decode()
    assert shown("Or take the bus") in page and "Bürgerbus" in page and "Kausen" in page

    sign = TownClient(host_of(town_a)).get(f"/rides/bank/{bench.pk}/sign/").content
    pdf = pypdfium2.PdfDocument(sign)
    assert len(pdf) == 1  # one A4 sheet for the bench
    text = "".join(pdf[0].get_textpage().get_text_range().split())
    assert "Bürgerbus" in text and "08:00" in text and "14:00" in text
    assert "08:10" not in text  # Betzdorf is 3.5 km away, and its times are arrivals
