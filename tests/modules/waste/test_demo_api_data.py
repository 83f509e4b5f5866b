"""Demo content, the read API and a resident's data (export and erasure)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from modules.waste import personal_data
from modules.waste.models import Pickup, PickupArea, ReminderSent, WasteHome
from tests.accounts.factories import UserFactory
from tests.helpers import TownClient, host_of
from tests.modules.waste.helpers import english


def test_demo_gives_every_ortsgemeinde_this_and_next_year(in_town_a, admin):
    from demo.data import ORTSGEMEINDEN
    from modules.waste import demo
    from tests.town.factories import OrtsgemeindeFactory

    for name, slug, _codes in ORTSGEMEINDEN:
        OrtsgemeindeFactory(name=name, slug=slug)
    assert demo.load() > 0
    year = timezone.localdate().year
    assert PickupArea.objects.count() == 17
    for area in PickupArea.objects.all():
        assert Pickup.objects.filter(area=area, date__year=year).count() > 40
        assert Pickup.objects.filter(area=area, date__year=year + 1).count() > 40
    assert demo.load() == 0  # a second run creates nothing


def test_the_api_lists_areas_and_dates(areas, types, town_a):
    day = timezone.localdate() + datetime.timedelta(days=3)
    Pickup.objects.create(area=areas["kausen"], waste_type=types["papier"], date=day)
    client = english(TownClient(host_of(town_a)))
    listed = client.get("/api/v1/waste/areas/").json()["results"]
    assert {area["slug"] for area in listed} == {"gebhardshain-nord", "gebhardshain-sued", "kausen"}
    dates = client.get("/api/v1/waste/areas/kausen/pickups/").json()["results"]
    assert dates == [{"date": day.isoformat(), "waste_type": "Papier", "waste_type_slug": "papier",
                      "colour": "#1d4ed8", "moved_from": None}]
    assert client.get("/api/v1/waste/areas/kausen/pickups/?from=2027-01-01&to=2029-01-01").status_code == 400
    assert client.get("/api/v1/waste/areas/mond/pickups/").status_code == 404


def test_export_and_erase_a_residents_choice(areas):
    anna = UserFactory(email="anna-daten@example.org")
    WasteHome.objects.create(user=anna, area=areas["kausen"], reminder_on=True, reminder_time=datetime.time(19, 30))
    ReminderSent.objects.create(user=anna, pickup_date=datetime.date(2027, 1, 5))
    data = personal_data.export(anna)
    assert data["home"] == {"area": "Kausen", "street": None, "reminder_on": True, "reminder_time": "19:30"}
    assert data["reminders_sent"] == ["2027-01-05"]
    personal_data.erase(anna)
    assert not WasteHome.objects.filter(user=anna).exists() and not ReminderSent.objects.filter(user=anna).exists()


def test_site_search_finds_sperrmuell(areas, town_a):
    page = english(TownClient(host_of(town_a))).get("/suche/?q=Sperrm%C3%BCll").content.decode()
    assert "Sperrmüll" in page and "/waste/" in page
