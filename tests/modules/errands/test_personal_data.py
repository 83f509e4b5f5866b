"""Mitbringdienst in a person's export and erasure: what a neighbour accepted stays, nameless; the rest goes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core.personal_data import personal_data_erase
from modules.errands.models import (
    ErrandBlock,
    ErrandComment,
    ErrandEvent,
    ErrandReport,
    ErrandRequest,
    ErrandStatus,
    Trip,
)
from tests.core.personal_data_helpers import flat, person, section

pytestmark = pytest.mark.django_db


def _errand(requester, items: str, **fields) -> ErrandRequest:
    start = timezone.now() + timedelta(hours=3)
    return ErrandRequest.objects.create(requester=requester, items=items, shop_name="Dorfbäckerei",
                                        window_start=start, window_end=start + timedelta(hours=4), **fields)


@pytest.fixture
def errands(in_town_a):
    anna, bert, carl = (person(f"{n}@example.org", f"{n.title()} Muster") for n in ("anna", "bert", "carl"))
    open_one = _errand(anna, "6 Eier", note="Klingel defekt")
    accepted = _errand(anna, "1 Brot", helper=bert, status=ErrandStatus.ACCEPTED, note="Hauptstr. 5, Tel. 0151")
    delivered = _errand(anna, "Milch", helper=bert, status=ErrandStatus.DELIVERED)
    trip = Trip.objects.create(helper=anna, destination="Betzdorf", departure_at=timezone.now() + timedelta(days=1),
                               capacity=3)
    helping = _errand(carl, "Kaffee", helper=anna, trip=trip, status=ErrandStatus.ACCEPTED, note="Carls Notiz")
    ErrandComment.objects.create(request=accepted, author=anna, text="Ich wohne im Hinterhaus.")
    ErrandComment.objects.create(request=accepted, author=bert, text="Bin um 5 da.")
    ErrandReport.objects.create(request=_errand(carl, "Zigaretten"), reporter=anna, reason="Werbung")
    ErrandBlock.objects.create(blocker=anna, blocked=carl)
    return {"anna": anna, "bert": bert, "carl": carl, "open": open_one, "accepted": accepted,
            "delivered": delivered, "trip": trip, "helping": helping}


def test_export_holds_her_requests_trips_and_words_but_not_the_neighbours(errands):
    data = section(errands["anna"], "errands")

    assert {r["items"] for r in data["requests"]} == {"6 Eier", "1 Brot", "Milch"}
    assert [h["id"] for h in data["helped_with"]] == [errands["helping"].pk]
    assert [t["destination"] for t in data["trips"]] == ["Betzdorf"]
    assert [c["text"] for c in data["comments"]] == ["Ich wohne im Hinterhaus."]
    assert [r["reason"] for r in data["reports"]] == ["Werbung"]
    for others in ("Kaffee", "Carls Notiz", "Bin um 5 da."):
        assert others not in flat(data)


def test_erase_keeps_what_bert_did_for_her_without_her_details(errands):
    personal_data_erase(errands["anna"])

    assert not ErrandRequest.objects.filter(pk=errands["open"].pk).exists()
    accepted = ErrandRequest.objects.get(pk=errands["accepted"].pk)
    assert (accepted.status, accepted.note, accepted.helper_id) == (ErrandStatus.CANCELLED, "", errands["bert"].pk)
    assert ErrandRequest.objects.get(pk=errands["delivered"].pk).status == ErrandStatus.DELIVERED
    # Her words with addresses go; Bert's stay.
    assert list(ErrandComment.objects.values_list("text", flat=True)) == ["Bin um 5 da."]
    assert ErrandReport.objects.filter(reason="Werbung").exists()
    assert not ErrandBlock.objects.exists()


def test_erase_gives_carls_errand_back_so_another_neighbour_can_help(errands):
    personal_data_erase(errands["anna"])

    helping = ErrandRequest.objects.get(pk=errands["helping"].pk)
    assert (helping.status, helping.helper_id, helping.trip_id) == (ErrandStatus.OPEN, None, None)
    assert helping.note == "Carls Notiz"
    assert ErrandEvent.objects.filter(request=helping, kind="released").exists()
    assert not Trip.objects.filter(pk=errands["trip"].pk).exists()
