"""A person's data in Mitfahren, for the export and the erasure (GDPR Art. 15, 17, 20).

- Ride (offers and requests, `person`): exported with route, times and note; erased (a driver's
  erasure cancels their future bookings with it: the passengers' booking rows go with the ride).
- Booking (`passenger`): exported (day, seats, status, thanks); erased. A booking on someone
  else's ride is theirs alone: the driver only loses a seat reservation.
- SavedSearch, BenchWatch (`person`): exported, erased.
- BusBooking (`passenger`, `entered_by`): a resident's own seats on the Bürgerbus are exported and
  erased; phone bookings a dispatcher typed in belong to the caller (name and phone on the row, no
  account): the dispatcher's export lists them without the caller's phone, erasure clears the link.
- BusLine.dispatchers: erasure takes the person off the lines.
- BenchRequest (`driver`, `entered_by`): the requests this person answered or typed in for
  someone are exported; erasure clears the link (the bench request itself is the sitter's, and
  expires within 20 minutes anyway).
"""

from __future__ import annotations

from typing import Any

from modules.rides.models import BenchRequest, BenchWatch, Booking, BusBooking, BusLine, Ride, SavedSearch


def export(user: Any) -> dict[str, Any]:
    rides = Ride.objects.filter(person=user).select_related("from_stop", "to_stop")
    return {
        "rides": [{"id": r.pk, "kind": r.kind, "from": r.from_label, "to": r.to_label, "date": r.date,
                   "weekdays": r.weekdays, "time": r.time, "return_time": r.return_time, "seats": r.seats,
                   "note": r.note, "status": r.status, "created_at": r.created_at} for r in rides],
        "bookings": list(Booking.objects.filter(passenger=user).values("id", "ride_id", "day", "seats", "status",
                                                                        "thanks", "created_at")),
        "saved_searches": list(SavedSearch.objects.filter(person=user).values("from_stop__name", "to_stop__name",
                                                                              "weekday")),
        "bench_watches": list(BenchWatch.objects.filter(person=user).values("bench__name")),
        "bench_rides_offered": list(BenchRequest.objects.filter(driver=user).values("bench__name", "driver_at")),
        "bus_seats": list(BusBooking.objects.filter(passenger=user).values(
            "trip__line__name", "day", "from_stop__name", "to_stop__name", "seats", "is_cancelled", "created_at")),
        "bus_bookings_entered": list(BusBooking.objects.filter(entered_by=user).exclude(passenger=user).values(
            "trip__line__name", "day", "name", "created_at")),
        "bus_lines_dispatched": list(BusLine.objects.filter(dispatchers=user).values_list("name", flat=True)),
    }


def erase(user: Any) -> None:
    Booking.objects.filter(passenger=user).delete()
    Ride.objects.filter(person=user).delete()
    SavedSearch.objects.filter(person=user).delete()
    BenchWatch.objects.filter(person=user).delete()
    BenchRequest.objects.filter(driver=user).update(driver=None)
    BenchRequest.objects.filter(entered_by=user).update(entered_by=None)
    BusBooking.objects.filter(passenger=user).delete()
    BusBooking.objects.filter(entered_by=user).update(entered_by=None)
    for line in BusLine.objects.filter(dispatchers=user):
        line.dispatchers.remove(user)
