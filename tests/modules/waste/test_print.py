"""The printable yearly calendar: an A4 PDF with the area's dates, public like the calendar page."""

from __future__ import annotations

import datetime

from modules.waste.models import Pickup
from tests.helpers import TownClient, host_of


def test_the_yearly_calendar_is_an_a4_pdf(areas, types, town_a):
    Pickup.objects.create(area=areas["kausen"], waste_type=types["restmuell"], date=datetime.date(2027, 1, 5))
    Pickup.objects.create(area=areas["kausen"], waste_type=types["papier"], date=datetime.date(2027, 1, 28),
                          original_date=datetime.date(2027, 1, 27))
    client = TownClient(host_of(town_a))
    response = client.get("/waste/bereich/kausen/druck/2027/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    assert b"/MediaBox [0 0 595.2" in pdf or b"595.27" in pdf  # A4 width in points
    assert client.get("/waste/bereich/kausen/druck/1999/").status_code == 404
    assert client.get("/waste/bereich/mond/druck/2027/").status_code == 404
