"""The demo town's Rathaus: two Bürgerbüros and the Standesamt, twelve services, found items; loaded once."""

from __future__ import annotations

import datetime

from demo import data
from modules.services import demo
from modules.services.models import FoundItem, Office, OfficeHourLink, Service
from town.calendar_services import office_hour_create
from town.models import OfficeHour, Ortsgemeinde


def test_demo_loads_once_and_the_buergerbuero_takes_over_the_towns_demo_hours(in_town_a):
    # given: the platform demo's town-hall hours, as platform/demo makes them before the modules' demos
    for slug in ("betzdorf", "gebhardshain"):
        Ortsgemeinde.objects.get_or_create(slug=slug, defaults={"name": slug.title()})
    for weekday, starts, ends, title, place, village in data.OFFICE_HOURS:
        if village is None:
            office_hour_create(weekday=weekday, starts_at=datetime.time.fromisoformat(starts),
                               ends_at=datetime.time.fromisoformat(ends), title=title, place=place)
    # when
    created = demo.load()
    # then
    assert created > 20 and demo.load() == 0
    assert set(Office.objects.values_list("name", flat=True)) == {
        "Bürgerbüro Betzdorf", "Bürgerbüro Gebhardshain", "Standesamt"}
    titles = set(Service.objects.values_list("title", flat=True))
    assert {"Personalausweis beantragen", "Reisepass beantragen", "Wohnsitz anmelden"} <= titles
    assert len(titles) >= 12
    assert FoundItem.objects.count() >= 3
    # the Bürgerbüro's hours exist once: the town's own rows, now the office's
    betzdorf = Office.objects.get(name="Bürgerbüro Betzdorf")
    assert OfficeHourLink.objects.filter(office=betzdorf).count() == 4
    assert OfficeHour.objects.filter(title="Bürgerbüro Betzdorf", ortsgemeinde__isnull=True).count() == 4
    assert not OfficeHour.objects.filter(title="Bürgerbüro").exclude(
        pk__in=OfficeHourLink.objects.values("hour_id")).exists()
    for service in Service.objects.filter(forms__isnull=False):
        for form in service.forms.all():
            form.file.delete(save=False)
