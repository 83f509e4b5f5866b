"""Booking a seat: asking, the driver's answer, instant booking, cancelling, thanks, calendar."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from modules.rides import selectors, services
from modules.rides.models import Booking, BookingStatus
from tests.accounts.factories import UserFactory
from tests.helpers import logged_in_client
from tests.modules.rides.factories import BookingFactory, RideFactory
from tests.modules.rides.helpers import next_weekday


@pytest.fixture
def commute(stops, driver):
    return RideFactory(person=driver, from_stop=stops["elkenroth"], to_stop=stops["betzdorf"],
                       weekdays=[0, 1, 2, 3, 4], time=datetime.time(7, 15), seats=1)


@pytest.fixture
def told(monkeypatch):
    """Every notice the services send, as (user ids, event)."""
    sent: list[tuple[list[int], str]] = []
    monkeypatch.setattr(services, "_tell", lambda **kw: sent.append((sorted(kw["user_ids"]), kw["event"])))
    return sent


def test_a_seat_is_asked_for_then_confirmed_by_the_driver(commute, driver, passenger, told):
    booking = BookingFactory(ride=commute, passenger=passenger)
    assert booking.status == BookingStatus.PENDING
    assert told == [([driver.pk], "rides.booking")]
    services.booking_confirm(booking=booking, acting_user=driver)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert told[-1] == ([passenger.pk], "rides.confirmed")


def test_the_passenger_cannot_confirm_their_own_booking(commute, passenger):
    from django.core.exceptions import PermissionDenied

    booking = BookingFactory(ride=commute, passenger=passenger)
    with pytest.raises(PermissionDenied):
        services.booking_confirm(booking=booking, acting_user=passenger)


def test_instant_booking_is_confirmed_at_once(stops, driver, passenger):
    ride = RideFactory(person=driver, from_stop=stops["kausen"], to_stop=stops["betzdorf"], instant_booking=True)
    assert BookingFactory(ride=ride, passenger=passenger).status == BookingStatus.CONFIRMED


def test_the_last_seat_cannot_be_booked_twice_and_a_wrong_day_is_refused(commute, passenger):
    day = commute.next_dates(1)[0]
    BookingFactory(ride=commute, passenger=passenger, day=day)
    with pytest.raises(ValidationError, match=gettext("There are not enough free seats on this ride any more.")):
        BookingFactory(ride=commute, passenger=UserFactory(), day=day)
    saturday = next_weekday(5)
    with pytest.raises(ValidationError):
        BookingFactory(ride=commute, passenger=UserFactory(), day=saturday)
    assert Booking.objects.count() == 1


def test_cancelling_tells_the_other_side_and_frees_the_seat(commute, driver, passenger, told):
    booking = BookingFactory(ride=commute, passenger=passenger)
    services.booking_cancel(booking=booking, acting_user=passenger)
    assert told[-1] == ([driver.pk], "rides.cancelled")
    again = BookingFactory(ride=commute, passenger=passenger, day=booking.day)
    services.booking_cancel(booking=again, acting_user=driver)
    assert told[-1] == ([passenger.pk], "rides.cancelled")


def test_withdrawing_the_offer_cancels_and_tells_every_passenger(commute, driver, passenger, told):
    booking = BookingFactory(ride=commute, passenger=passenger)
    services.ride_cancel(ride=commute, acting_user=driver)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert told[-1] == ([passenger.pk], "rides.cancelled")


def test_thanks_only_after_the_ride(commute, driver, passenger, told):
    booking = BookingFactory(ride=commute, passenger=passenger)
    services.booking_confirm(booking=booking, acting_user=driver)
    with pytest.raises(ValidationError):
        services.booking_thank(booking=booking, acting_user=passenger, text="Danke!")
    Booking.objects.filter(pk=booking.pk).update(day=timezone.localdate() - datetime.timedelta(days=1))
    services.booking_thank(booking=booking, acting_user=passenger, text="Danke fürs Mitnehmen!")
    assert told[-1] == ([driver.pk], "rides.thanks")


def test_a_confirmed_ride_is_in_both_calendars_and_as_ical(commute, driver, passenger, town_a):
    booking = BookingFactory(ride=commute, passenger=passenger)
    services.booking_confirm(booking=booking, acting_user=driver)
    start = timezone.now()
    end = start + datetime.timedelta(days=30)
    for person in (passenger, driver):
        (entry,) = selectors.calendar_bookings(person, start, end)
        assert entry.start == booking.departure
    response = logged_in_client(town_a, passenger).get(f"/rides/bookings/{booking.pk}/ride.ics")
    assert response.status_code == 200 and b"BEGIN:VEVENT" in response.content
    assert b"Elkenroth" in response.content


def test_a_stranger_cannot_open_a_booking(commute, passenger, town_a):
    booking = BookingFactory(ride=commute, passenger=passenger)
    stranger = logged_in_client(town_a, UserFactory(email="fremd@example.org"))
    assert stranger.get(booking.get_absolute_url()).status_code == 404


def test_a_message_goes_by_mail_when_messages_are_off(commute, driver, passenger, monkeypatch, celery_eager,
                                                      django_capture_on_commit_callbacks, mailoutbox):
    from modules.conversations import facade as conversations

    monkeypatch.setattr(conversations, "conversations_enabled", lambda: False)
    booking = BookingFactory(ride=commute, passenger=passenger)
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_message(booking=booking, acting_user=passenger, text="Ich warte an der Kirche.")
    (mail,) = [m for m in mailoutbox if driver.email in m.to]
    assert "Ich warte an der Kirche." in mail.body and passenger.email not in mail.body


def test_a_message_opens_a_conversation_when_messages_are_on(commute, driver, passenger):
    booking = BookingFactory(ride=commute, passenger=passenger)
    path = services.booking_message(booking=booking, acting_user=passenger, text="Ich warte an der Kirche.")
    assert "#message-" in path
