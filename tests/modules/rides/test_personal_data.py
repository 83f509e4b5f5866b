"""A person's rides, bookings, searches and bench opt-ins in their export; erasure removes them."""

from __future__ import annotations

import datetime
import json

from django.core.serializers.json import DjangoJSONEncoder

from modules.rides import personal_data, services
from modules.rides.models import BenchWatch, Booking, Ride, SavedSearch
from tests.modules.rides.factories import BookingFactory, RideFactory


def test_export_holds_only_the_persons_data_and_erase_removes_it(stops, driver, passenger):
    ride = RideFactory(person=driver, from_stop=stops["elkenroth"], to_stop=stops["betzdorf"], weekdays=[1],
                       time=datetime.time(7, 15), note="Abfahrt an der Kirche")
    BookingFactory(ride=ride, passenger=passenger)
    services.saved_search_create(acting_user=passenger, to_stop=stops["betzdorf"])
    services.bench_watch_set(acting_user=driver, bench=stops["bench"], on=True)

    exported = personal_data.export(passenger)
    json.dumps(exported, cls=DjangoJSONEncoder)
    assert len(exported["bookings"]) == 1 and exported["rides"] == []
    assert "Abfahrt" not in json.dumps(exported, cls=DjangoJSONEncoder)  # the driver's note is not hers
    assert personal_data.export(driver)["rides"][0]["note"] == "Abfahrt an der Kirche"

    personal_data.erase(passenger)
    assert not Booking.objects.exists() and not SavedSearch.objects.exists()
    personal_data.erase(driver)
    assert not Ride.objects.exists() and not BenchWatch.objects.exists()
