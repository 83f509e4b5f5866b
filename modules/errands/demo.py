"""Demo content for the Mitbringdienst: an open request, an accepted one and an announced trip.

Made through the module's services, so the time windows, the shop and the state
machine are those of real use: Gisela Hoffmann asks for bread from the
Branchenbuch's demo bakery tomorrow morning (still open), Maria Weber has accepted
Hannah Klein's drinks for tomorrow afternoon (she is told so, as with any
acceptance, and the two have exchanged a message), and Peter Schneider drives to
Betzdorf on Thursday at 10:00 with room for two shopping lists.

Times are relative to the load: a request or trip already there (by its person
and its list or destination) is left alone, so a second load creates nothing.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

# The directory's demo bakery (modules/directory/demo.py), found through its facade by name.
BAKERY = "Dorfbäckerei Jung"

OPEN_REQUEST = {
    "requester": "gisela.hoffmann",
    "items": "1 Westerwälder Bauernbrot (1 kg)\n6 Roggenbrötchen\n1 Stück Streuselkuchen",
    "window": (time(8), time(11)),  # tomorrow
    "note": "Ich bin ab 8 Uhr zu Hause. Das Geld gebe ich Ihnen gleich an der Tür.",
    "estimated_amount_cents": 950,
}
ACCEPTED_REQUEST = {
    "requester": "hannah.klein",
    "helper": "maria.weber",
    "items": "1 Kasten Mineralwasser (still)\n1 Kasten Apfelschorle",
    "shop_name": "Getränkemarkt Gebhardshain",
    "window": (time(14), time(18)),  # tomorrow
    "note": "Die leeren Kästen stehen neben der Haustür, das Pfand können Sie gleich verrechnen.",
    "estimated_amount_cents": 1800,
    "message": ("maria.weber", "Ich fahre morgen ohnehin zum Getränkemarkt und bringe die Kästen gegen 16 Uhr vorbei."),
}
TRIP = {
    "helper": "peter.schneider",
    "destination": "Betzdorf",
    "shop_name": "Wochenmarkt und Drogerie in der Bahnhofstraße",
    "weekday": 3,  # Thursday
    "departure": time(10),
    "capacity": 2,
    "ortsgemeinden": ("steinebach-sieg", "kausen", "gebhardshain"),
    "note": "Ich fahre mit dem Kombi und bin gegen 12:30 Uhr zurück. Platz für zwei Einkaufslisten, "
            "gern auch etwas Schweres.",
}


def _local(day, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def next_weekday_at(weekday: int, at: time, *, now: datetime) -> datetime:
    """The next `weekday` at `at` (local time) after `now`: within a week, as trips must be."""
    today = timezone.localtime(now).date()
    moment = _local(today + timedelta(days=(weekday - today.weekday()) % 7), at)
    return moment if moment > now else _local(moment.date() + timedelta(days=7), at)


@transaction.atomic
def load() -> int:
    """Add the demo errands and the trip where missing; returns how many objects were created."""
    from accounts.models import User
    from demo.data import email_of
    from modules.errands.models import ErrandComment, ErrandRequest, Trip
    from modules.errands.services import errand_comment_add, errand_request_accept, errand_request_create, trip_create
    from modules.errands.shops import shop_choices
    from town.models import Ortsgemeinde
    from town.selectors import user_ortsgemeinde_id

    people = {
        user.email: user
        for user in User.objects.filter(email__endswith=email_of(""), is_active=True).select_related("resident_profile")
    }
    places = {place.pk: place for place in Ortsgemeinde.objects.all()}
    now = timezone.now()
    tomorrow = timezone.localtime(now).date() + timedelta(days=1)
    created = 0

    requester = people.get(email_of(OPEN_REQUEST["requester"]))
    if requester is not None and not ErrandRequest.objects.filter(
        requester=requester, items=OPEN_REQUEST["items"]
    ).exists():
        bakery = next((shop for shop in shop_choices() if shop.name == BAKERY), None)
        start, end = OPEN_REQUEST["window"]
        errand_request_create(
            acting_user=requester, items=OPEN_REQUEST["items"],
            business_id=bakery.id if bakery else None, shop_name=f"{BAKERY}, Gebhardshain",
            window_start=_local(tomorrow, start), window_end=_local(tomorrow, end),
            ortsgemeinde=places.get(user_ortsgemeinde_id(requester)), note=OPEN_REQUEST["note"],
            estimated_amount_cents=OPEN_REQUEST["estimated_amount_cents"],
        )
        created += 1

    requester = people.get(email_of(ACCEPTED_REQUEST["requester"]))
    helper = people.get(email_of(ACCEPTED_REQUEST["helper"]))
    if requester is not None and helper is not None and not ErrandRequest.objects.filter(
        requester=requester, items=ACCEPTED_REQUEST["items"]
    ).exists():
        start, end = ACCEPTED_REQUEST["window"]
        errand = errand_request_create(
            acting_user=requester, items=ACCEPTED_REQUEST["items"], shop_name=ACCEPTED_REQUEST["shop_name"],
            window_start=_local(tomorrow, start), window_end=_local(tomorrow, end),
            ortsgemeinde=places.get(user_ortsgemeinde_id(requester)), note=ACCEPTED_REQUEST["note"],
            estimated_amount_cents=ACCEPTED_REQUEST["estimated_amount_cents"],
        )
        errand_request_accept(errand=errand, acting_user=helper)
        created += 1
        author_local, text = ACCEPTED_REQUEST["message"]
        author = people.get(email_of(author_local))
        if author is not None and not ErrandComment.objects.filter(request=errand, author=author).exists():
            errand_comment_add(errand=errand, acting_user=author, text=text)
            created += 1

    helper = people.get(email_of(TRIP["helper"]))
    if helper is not None and not Trip.objects.filter(helper=helper, destination=TRIP["destination"]).exists():
        served = [place for place in places.values() if place.slug in TRIP["ortsgemeinden"]]
        trip_create(
            acting_user=helper, destination=TRIP["destination"], shop_name=TRIP["shop_name"],
            departure_at=next_weekday_at(TRIP["weekday"], TRIP["departure"], now=now),
            capacity=TRIP["capacity"], ortsgemeinden=served, note=TRIP["note"],
        )
        created += 1
    return created
