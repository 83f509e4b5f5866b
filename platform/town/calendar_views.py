"""The town's iCalendar feeds, a resident's personal feed link, and the back office's office hours.

Feeds are built from every CalendarSource of the town's enabled modules (core.calendar); they
read only the schema of the host they are on, so one town's feed never shows another's entries.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.access import role_required
from core.branding import current_town_name, town_url
from core.calendar import calendar_sources, feed_window, ical_document, ical_response, personal_entries, public_entries
from town.calendar_selectors import calendar_subscription_of, calendar_subscription_user
from town.calendar_services import (
    calendar_subscription_renew,
    calendar_subscription_revoke,
    calendar_token,
    office_hour_create,
    office_hour_delete,
)
from town.forms import OfficeHourForm
from town.models import OfficeHour, Ortsgemeinde
from town.selectors import office_hour_list, ortsgemeinde_list

# --- feeds -----------------------------------------------------------------------


@require_safe
def feed_town(request: HttpRequest) -> HttpResponse:
    """Every public entry of the town."""
    start, end = feed_window()
    name = current_town_name()
    document = ical_document(public_entries(start, end), name=name,
                             description=_("Dates of %(town)s") % {"town": name})
    return ical_response(document, filename="kalender.ics")


@require_safe
def feed_ortsgemeinde(request: HttpRequest, ortsgemeinde: str) -> HttpResponse:
    """One village's entries and the town-wide ones."""
    place = get_object_or_404(Ortsgemeinde, slug=ortsgemeinde)
    start, end = feed_window()
    name = f"{current_town_name()} – {place.name}"
    document = ical_document(public_entries(start, end, ortsgemeinde_id=place.pk), name=name,
                             description=_("Dates for %(place)s") % {"place": place.name})
    return ical_response(document, filename=f"kalender-{place.slug}.ics")


@require_safe
def feed_source(request: HttpRequest, source: str) -> HttpResponse:
    """The public entries of one source (e.g. only the office hours)."""
    found = next((s for s in calendar_sources() if s.key == source and s.entries is not None), None)
    if found is None:
        raise Http404
    start, end = feed_window()
    name = f"{current_town_name()} – {found.label}"
    document = ical_document(public_entries(start, end, source_key=found.key), name=name)
    return ical_response(document, filename=f"kalender-{found.key}.ics")


@require_safe
def feed_personal(request: HttpRequest, token: str) -> HttpResponse:
    """A person's own entries. The token is all the authentication a calendar app can send."""
    user = calendar_subscription_user(token)
    if user is None:
        raise Http404
    start, end = feed_window()
    name = _("%(town)s – my dates") % {"town": current_town_name()}
    return ical_response(ical_document(personal_entries(user, start, end), name=name),
                         filename="mein-kalender.ics", personal=True)


# --- a resident's subscription links -----------------------------------------------


def _feed_url(name: str, **kwargs: str) -> str:
    return town_url(reverse(name, kwargs=kwargs))


@role_required("authenticated")
@require_http_methods(["GET", "POST"])
def account_calendar(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "renew":
            had_one = calendar_subscription_of(user) is not None
            calendar_subscription_renew(user=user)
            messages.success(request, _("Your new link is ready. The old one no longer works.") if had_one
                             else _("Your personal calendar link is ready."))
        elif action == "revoke":
            calendar_subscription_revoke(user=user)
            messages.success(request, _("Your personal calendar link was switched off. It no longer works."))
        else:
            messages.error(request, _("Nothing was changed. Please use one of the buttons."))
            return redirect("town:account-calendar")
        return redirect("town:account-calendar")
    subscription = calendar_subscription_of(user)
    profile = getattr(user, "resident_profile", None)
    village = profile.ortsgemeinde if profile is not None else None
    feeds = [("town", _("All dates of %(town)s") % {"town": current_town_name()}, _feed_url("town:calendar-feed"))]
    if village is not None:
        feeds.append(("village", _("Dates for %(place)s") % {"place": village.name},
                      _feed_url("town:calendar-feed-ortsgemeinde", ortsgemeinde=village.slug)))
    feeds += [(f"source-{source.key}", str(source.label), _feed_url("town:calendar-feed-source", source=source.key))
              for source in calendar_sources() if source.entries is not None]
    personal_url = (_feed_url("town:calendar-feed-personal", token=calendar_token(subscription))
                    if subscription is not None else "")
    return render(request, "town/people/calendar.html", {
        "personal": (personal_url, _webcal(personal_url)) if personal_url else None,
        "feeds": [(key, label, url, _webcal(url)) for key, label, url in feeds],
    })


def _webcal(url: str) -> str:
    # webcal:// opens the subscription dialog of the calendar app on phones and in Outlook directly.
    return "webcal://" + url.split("://", 1)[1]


# --- back office: office hours ---------------------------------------------------------


@role_required("town_admin")
@require_http_methods(["GET", "POST"])
def office_hours(request: HttpRequest) -> HttpResponse:
    form = OfficeHourForm(request.POST or None)
    form.fields["ortsgemeinde"].queryset = Ortsgemeinde.objects.order_by("name")  # type: ignore[attr-defined]
    status = 200
    if request.method == "POST":
        if form.is_valid():
            hour = office_hour_create(**form.cleaned_data)
            messages.success(request, _("“%(hour)s” was added.") % {"hour": hour})
            return redirect("town:office-hours")
        status = 400
    return render(request, "town/backoffice/office_hours.html", {
        "form": form,
        "hours": office_hour_list(),
        "has_villages": bool(ortsgemeinde_list()),
        "feed_url": _feed_url("town:calendar-feed-source", source="sprechzeiten"),
    }, status=status)


@role_required("town_admin")
@require_POST
def office_hour_remove(request: HttpRequest, pk: int) -> HttpResponse:
    hour = get_object_or_404(OfficeHour, pk=pk)
    label = str(hour)
    office_hour_delete(hour=hour)
    messages.success(request, _("“%(hour)s” was removed.") % {"hour": label})
    return redirect("town:office-hours")
