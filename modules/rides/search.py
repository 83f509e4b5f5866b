"""Mitfahren in the site-wide search (core.search): stops (with their next departure) and bus lines.

Three queries whatever the number of stops: stops, lines, and the stop times of the stops found.
Stops and lines are few per town (tens to a few hundred), so an expression over the name serves.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from core.search import SearchResult, ranked
from modules.rides import bus
from modules.rides.models import BusLine, BusStopTime, Stop

STOP_DOCUMENT = SearchVector("name", config="german")
LINE_DOCUMENT = SearchVector("name", "operator", "note", config="german")


def search(request: HttpRequest, query: str, limit: int) -> list[SearchResult]:
    stops = list(ranked(Stop.objects.select_related("ortsgemeinde"), STOP_DOCUMENT, query, "name", "id")[:limit])
    times: dict[int, list[BusStopTime]] = {}
    for stop_time in (BusStopTime.objects.filter(stop__in=stops, is_last=False)
                      .select_related("trip__line", "stop").order_by("minute", "pk")):
        times.setdefault(stop_time.stop_id, []).append(stop_time)
    results = []
    for stop in stops:
        following = bus.departures(times.get(stop.pk, []), limit=1)
        snippet = (_("Next departure %(time)s, %(line)s to %(headsign)s")
                   % {"time": following[0].clock, "line": following[0].line.name, "headsign": following[0].headsign}
                   if following else "")
        results.append(SearchResult(
            title=stop.name, url=stop.get_absolute_url(),
            kind_label=_("Stop · %(kind)s") % {"kind": stop.get_kind_display()}, snippet=snippet,
            place=stop.ortsgemeinde.name if stop.ortsgemeinde_id else "", rank=float(stop.rank)))
    lines = ranked(BusLine.objects.all(), LINE_DOCUMENT, query, "name", "id")[:limit]
    results += [SearchResult(title=line.name, url=reverse("rides:stop-list"), kind_label=_("Bus line"),
                             snippet=" · ".join(filter(None, [line.operator, line.phone])), rank=float(line.rank))
                for line in lines]
    results.sort(key=lambda r: -r.rank)
    return results[:limit]
