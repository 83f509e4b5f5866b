"""Pages of the events module: the public list and event page, registration, suggestions, the back office."""

from __future__ import annotations

import csv
import datetime
import json
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from core.access import role_required
from core.branding import current_town_name, town_url
from core.calendar import TOWN_TZ, SourcedEntry, calendar_sources, ical_document, ical_response
from core.forms import apply_service_errors
from core.spreadsheets import csv_cell
from modules.events import recurrence, selectors, services
from modules.events.conf import suggestions_allowed
from modules.events.forms import CancelDateForm, EventFilterForm, EventForm, MessageForm, RegistrationForm, VenueForm
from modules.events.models import Event, EventStatus, RegistrationStatus, Venue
from town.selectors import ortsgemeinde_list, town_profile_get, user_ortsgemeinde_id

LIST_PAGE_SIZE = 20
LIST_DAYS_AHEAD = 92  # "coming up": the next three months
MANAGE_PAGE_SIZE = 25
HOME_WIDGET_SIZE = 5
HOME_WIDGET_DAYS = 60


def _today() -> datetime.date:
    return timezone.localtime(timezone.now(), TOWN_TZ).date()


def _window_for(when: str) -> tuple[datetime.datetime, datetime.datetime]:
    today = _today()
    if when == "today":
        return selectors.day_window(today, today)
    if when == "weekend":
        friday, sunday = selectors.weekend_of(today)
        return selectors.day_window(max(friday, today), sunday)
    if when == "month":
        return selectors.day_window(today, today + datetime.timedelta(days=30))
    return selectors.day_window(today, today + datetime.timedelta(days=LIST_DAYS_AHEAD))


# --- public pages ----------------------------------------------------------------------------------


@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    ortsgemeinden = ortsgemeinde_list()
    categories = selectors.category_list()
    organisations = selectors.organisation_list_with_events()
    form = EventFilterForm(request.GET, categories=categories, ortsgemeinden=ortsgemeinden,
                           organisations=organisations)
    form.is_valid()  # an unknown value is ignored; the valid ones still apply
    data = form.cleaned_data
    place = next((o for o in ortsgemeinden if o.slug == data.get("ortsgemeinde")), None)
    organisation = next((o for o in organisations if o.slug == data.get("organisation")), None)
    start, end = _window_for(data.get("when") or "")
    found = selectors.occurrence_rows(
        start, end, ortsgemeinde_id=place.pk if place else None, category_slug=data.get("category") or None,
        organisation_id=organisation.pk if organisation else None)
    page = Paginator(found, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "events/event_list.html", {
        "form": form, "page": page, "occurrences": page.object_list, "query": query.urlencode(),
        "has_ortsgemeinden": bool(ortsgemeinden), "when": data.get("when") or "",
        "can_suggest": request.user.is_authenticated and suggestions_allowed(),
        "feeds": _feed_links(),
    })


def _feed_links() -> list[dict[str, str]]:
    town = town_profile_get().name
    return [
        {"type": "application/rss+xml", "title": _("%(town)s: new events (RSS)") % {"town": town},
         "href": reverse("events:feed-rss")},
        {"type": "application/atom+xml", "title": _("%(town)s: new events (Atom)") % {"town": town},
         "href": reverse("events:feed-atom")},
    ]


def _event_for_page(request: HttpRequest, slug: str) -> tuple[Event, bool]:
    event = selectors.event_get_visible(slug=slug)
    if event is not None:
        return event, False
    # Editors (and the resident who suggested it) may look at what isn't public; everyone else gets 404.
    event = selectors.event_get(slug=slug)
    if event is None or event.is_hidden and not request.user.is_authenticated:
        raise Http404
    if services.user_can_write_for(request.user, event.organisation) or (
            event.suggested_by_id is not None and event.suggested_by_id == getattr(request.user, "pk", None)):
        return event, True
    raise Http404


@require_GET
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event, preview = _event_for_page(request, slug)
    return render(request, "events/event_detail.html", _detail_context(request, event, preview))


@dataclass(frozen=True)
class ComingDate:
    """A date of a series on its page: whether it takes place, places left, the visitor's own state."""

    occurrence: selectors.Occurrence
    state: str  # services.registration_state of this date
    free: int | None  # None: no limit (or no registration)
    registration: Any  # the visitor's active registration for this date, or None
    saved: bool


def _detail_context(request: HttpRequest, event: Event, preview: bool,
                    form: RegistrationForm | None = None) -> dict[str, Any]:
    now = timezone.now()
    occurrence = selectors.next_occurrence(event, now)
    mine = selectors.registrations_of(event=event, user=request.user)
    saved = selectors.saved_dates_of(event=event, user=request.user)
    json_ld = event_json_ld(event, occurrence)
    context: dict[str, Any] = {
        "event": event, "preview": preview, "occurrence": occurrence, "coming": [],
        "frequency": recurrence.frequency_label(event.rrule),
        "can_edit": services.user_can_write_for(request.user, event.organisation),
        "registrations": mine, "registration": None, "saved": False, "state": "none", "free_places": None,
        "form": None, "json_ld": None if preview else _json_ld_script(json_ld), "canonical_url": json_ld["url"],
    }
    if event.rrule:
        # A series: each coming date with its own places, registration state and the visitor's choices.
        found = selectors.event_occurrences(event, now, now + datetime.timedelta(days=92), include_cancelled=True)
        found = found[:SERIES_DATES_SHOWN]
        taken = selectors.places_taken_by_date(event, [o.day for o in found]) if event.registration_enabled else {}
        by_day = {r.occurrence_date: r for r in mine}
        coming = [ComingDate(
            occurrence=o, state="cancelled" if o.cancelled else services.registration_state(event, now,
                                                                                        starts_at=o.start),
            free=None if event.capacity is None else max(event.capacity - taken.get(o.day, 0), 0),
            registration=by_day.get(o.day), saved=o.day in saved) for o in found]
        bookable = [c for c in coming if c.state == "open" and c.registration is None]
        if form is None and bookable:
            form = _series_form(event, bookable)
        if bookable:
            state = "open"
        elif any(c.state == "open" for c in coming):
            state = "all_taken"  # registered for every open date: the list of dates says so
        else:
            state = next((c.state for c in coming if not c.occurrence.cancelled), "past")
        context.update(coming=coming, state=state,
                       form=form if bookable or form is not None and form.is_bound else None)
        return context
    state = services.registration_state(event, now)
    registration = mine[0] if mine else None
    taken = selectors.places_taken(event) if event.registration_enabled else 0
    if form is None and state == "open" and registration is None:
        form = RegistrationForm(event=event)
    context.update(registration=registration, state=state, saved=bool(saved),
                   free_places=None if event.capacity is None else max(event.capacity - taken, 0),
                   form=form if state == "open" and registration is None else None)
    return context


SERIES_DATES_SHOWN = 12


def _series_form(event: Event, bookable: list[ComingDate], data: Any = None) -> RegistrationForm:
    def label(item: ComingDate) -> str:
        day = date_format(item.occurrence.start, "D, j. F Y")
        if item.free is None:
            return day
        if item.free == 0:
            return _("%(day)s (fully booked: waiting list)") % {"day": day}
        return ngettext("%(day)s (%(count)d place left)", "%(day)s (%(count)d places left)", item.free) % {
            "day": day, "count": item.free}

    return RegistrationForm(data, event=event, dates=[(item.occurrence.day, label(item)) for item in bookable])


def _bookable_dates(request: HttpRequest, event: Event) -> list[ComingDate]:
    return [c for c in _detail_context(request, event, False)["coming"] if c.state == "open" and c.registration is None]


_STATUS = {False: "https://schema.org/EventScheduled", True: "https://schema.org/EventCancelled"}
_RESCHEDULED = "https://schema.org/EventRescheduled"


def event_json_ld(event: Event, occurrence: Any) -> dict[str, Any]:
    """schema.org Event: name, startDate, location (required) and the recommended properties Google reads."""
    origin = town_url("")
    url = origin + event.get_absolute_url()
    start = occurrence.start if occurrence else event.starts_at
    end = occurrence.end if occurrence else event.ends_at
    cancelled = event.is_cancelled or bool(occurrence and occurrence.cancelled)

    def moment(value: datetime.datetime) -> str:
        local = timezone.localtime(value, TOWN_TZ)
        return local.date().isoformat() if event.all_day else local.isoformat()

    if event.venue_id:
        venue = event.venue
        address: Any = {"@type": "PostalAddress", "streetAddress": venue.street, "postalCode": venue.postal_code,
                        "addressLocality": venue.locality, "addressCountry": "DE"}
        location: dict[str, Any] = {"@type": "Place", "name": venue.name, "address": address}
        if venue.latitude is not None and venue.longitude is not None:
            location["geo"] = {"@type": "GeoCoordinates", "latitude": float(venue.latitude),
                               "longitude": float(venue.longitude)}
    else:
        location = {"@type": "Place", "name": event.address or current_town_name(),
                    "address": event.address or current_town_name()}
    organiser = ({"@type": "Organization", "name": event.organisation.name, "url": event.organisation.website
                  or url} if event.organisation_id else {"@type": "Organization", "name": current_town_name(),
                                                         "url": origin + "/"})
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "Event", "name": event.title, "url": url,
        "startDate": moment(start), "endDate": moment(end),
        "eventStatus": _RESCHEDULED if event.previous_starts_at and not cancelled else _STATUS[cancelled],
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode", "location": location,
        "organizer": organiser, "inLanguage": "de",
        "description": _plain(event.description)[:500] or event.title,
        "isAccessibleForFree": event.is_free,
    }
    if event.previous_starts_at and not cancelled:
        data["previousStartDate"] = moment(event.previous_starts_at)
    if event.image:
        data["image"] = [origin + event.image.url]
    offer: dict[str, Any] = {"@type": "Offer", "url": url, "priceCurrency": "EUR",
                             "availability": "https://schema.org/InStock"}
    if event.is_free:
        offer["price"] = 0
    else:
        offer["description"] = event.price
    data["offers"] = offer
    if event.registration_enabled and event.capacity is not None:
        data["maximumAttendeeCapacity"] = event.capacity
    return data


def _plain(html_text: str) -> str:
    from django.utils.html import strip_tags

    return " ".join(strip_tags(html_text).split())


_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _json_ld_script(data: dict[str, Any]) -> str:
    # Same escaping as Django's json_script, so "</script>" in a title cannot end the block. A data
    # block (type application/ld+json), not a script: the CSP does not run it.
    text = json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 (escaped above)


@require_safe
def event_ical(request: HttpRequest, slug: str) -> HttpResponse:
    """One event (or series) as an .ics file: "add to my calendar"."""
    event = selectors.event_get_visible(slug=slug)
    if event is None:
        raise Http404
    source = next((s for s in calendar_sources() if s.key == "veranstaltungen"), None)
    if source is None:
        raise Http404
    entry = selectors.calendar_entry(event)
    document = ical_document([SourcedEntry(source, entry, event.starts_at)], name=event.title)
    response = ical_response(document, filename=f"{event.slug}.ics")
    response["Content-Disposition"] = response["Content-Disposition"].replace("inline", "attachment")
    return response


@require_safe
def organisation_ical(request: HttpRequest, organisation: str) -> HttpResponse:
    """One organisation's events as a calendar to subscribe to (the TuS's trainings and festivals)."""
    from core.calendar import feed_window
    from town.models import Organisation

    found = Organisation.objects.filter(slug=organisation).first()
    source = next((s for s in calendar_sources() if s.key == "veranstaltungen"), None)
    if found is None or source is None:
        raise Http404
    start, end = feed_window()
    items = [SourcedEntry(source, selectors.calendar_entry(event), event.starts_at)
             for event in selectors.events_overlapping(start, end, organisation_id=found.pk)]
    name = f"{current_town_name()} – {found.name}"
    return ical_response(ical_document(items, name=name), filename=f"veranstaltungen-{found.slug}.ics")


@role_required("authenticated")
@require_POST
def event_register(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get_visible(slug=slug)
    if event is None:
        raise Http404
    if event.rrule:
        form = _series_form(event, _bookable_dates(request, event), request.POST)
    else:
        form = RegistrationForm(request.POST, event=event)
    if form.is_valid():
        try:
            registration, _token = services.registration_create(
                event=event, acting_user=request.user, places=form.cleaned_data["places"], answers=form.answers(),
                day=form.cleaned_data.get("day"))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if registration.status == RegistrationStatus.CONFIRMED:
                messages.success(request, _("You are registered. We have sent you a confirmation by e-mail."))
            else:
                messages.success(request, _("The event is fully booked. You are on the waiting list and will "
                                            "be told by e-mail when a place becomes free."))
            return redirect(event.get_absolute_url() + "#anmeldung")
    context = _detail_context(request, event, False, form=form)
    context["form"] = form  # also when registration has closed meanwhile: the message is on the form
    return render(request, "events/event_detail.html", context, status=400)


@role_required("authenticated")
@require_POST
def event_unregister(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get(slug=slug)
    day = _posted_day(request)
    registration = selectors.registration_of(event=event, user=request.user, day=day) if event else None
    if event is None or registration is None:
        raise Http404
    services.registration_cancel(registration=registration)
    messages.success(request, _("Your registration is cancelled."))
    return redirect(event.get_absolute_url())


def _posted_day(request: HttpRequest) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(request.POST.get("datum") or request.GET.get("datum") or "")
    except ValueError:
        return None


@role_required("authenticated")
@require_POST
def event_save(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Merken": note a date under "Meine Termine" (POST action=save, or action=remove to forget it)."""
    event = selectors.event_get_visible(slug=slug)
    if event is None:
        raise Http404
    day = _posted_day(request)
    action = request.POST.get("action")
    if action not in ("save", "remove"):  # a POST without the button's field changes nothing
        messages.error(request, _("Please use the button on the event's page."))
        return render(request, "events/event_detail.html", _detail_context(request, event, False), status=400)
    if action == "remove":
        services.event_unsave(event=event, acting_user=request.user, day=day)
        messages.success(request, _("Removed from “My dates”."))
    else:
        try:
            services.event_save(event=event, acting_user=request.user, day=day)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Saved under “My dates”. We remind you the day before."))
    target = request.POST.get("next", "")
    if target == "meine-termine":
        return redirect("events:my-dates")
    return redirect(event.get_absolute_url())


@role_required("authenticated")
@require_GET
def my_dates(request: HttpRequest) -> HttpResponse:
    """ "Meine Termine": the coming dates a resident registered for or saved."""
    dates = selectors.my_dates(user=request.user, since=_today())
    return render(request, "events/my_dates.html", {"dates": dates,
                                                    "personal_feed_url": reverse("town:account-calendar")})


@require_http_methods(["GET", "POST"])
def registration_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the confirmation mail: GET shows a button (mail scanners follow links), POST cancels."""
    registration = services.registration_for_token(token)
    if registration is None:
        raise Http404
    # The form's hidden "confirm" field: a POST without it (a link checker, a stray request) changes nothing.
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        services.registration_cancel(registration=registration)
        messages.success(request, _("Your registration is cancelled."))
        return redirect(registration.event.get_absolute_url())
    return render(request, "events/registration_cancel.html", {
        "registration": registration, "event": registration.event,
        "cancelled": registration.status == RegistrationStatus.CANCELLED,
    }, status=400 if request.method == "POST" else 200)


@role_required("authenticated")
@require_http_methods(["GET", "POST"])
def event_suggest(request: HttpRequest) -> HttpResponse:
    if not suggestions_allowed():
        raise Http404
    form = EventForm(request.POST or None, request.FILES or None, user=request.user, suggestion=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_suggest(acting_user=request.user, **form.service_data())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Thank you! Your suggestion goes to the town's editors; it appears "
                                        "once they have accepted it."))
            return redirect("events:event-list")
    return render(request, "events/event_suggest.html", {"form": form}, status=400 if form.errors else 200)


def home_widget(request: HttpRequest) -> str:
    """The start page's next events: the resident's Ortsgemeinde plus the town-wide ones (one query)."""
    now = timezone.now()
    found = selectors.occurrence_list(now, now + datetime.timedelta(days=HOME_WIDGET_DAYS),
                                      ortsgemeinde_id=user_ortsgemeinde_id(request.user))[:HOME_WIDGET_SIZE]
    if not found:
        return ""
    return render_to_string("events/widget.html", {"occurrences": [selectors.occurrence_row(o) for o in found]},
                            request=request)


def organisation_events_section(request: HttpRequest, organisation: Any) -> str:
    """The organisation page's coming events (town.capabilities.OrganisationSection)."""
    now = timezone.now()
    found = selectors.occurrence_list(now, now + datetime.timedelta(days=92), organisation_id=organisation.pk)[:5]
    if not found:
        return ""
    return render_to_string("events/_organisation_events.html", {"occurrences": found, "organisation": organisation},
                            request=request)


# --- back office ------------------------------------------------------------------------------------


def _manageable(request: HttpRequest, slug: str) -> Event:
    event = selectors.event_get(slug=slug)
    if event is None:
        raise Http404
    if not services.user_can_write_for(request.user, event.organisation):
        raise PermissionDenied
    return event


@role_required("editor")
@require_GET
def event_notice(request: HttpRequest, slug: str) -> HttpResponse:
    """The Aushang of one event: an A4 notice for a notice board, with a QR code to its page."""
    from core.printing import notice_pdf, pdf_response

    event = _manageable(request, slug)
    occurrence = selectors.next_occurrence(event, timezone.now())
    start = timezone.localtime(occurrence.start if occurrence is not None else event.starts_at, TOWN_TZ)
    when = date_format(start, "l, j. F Y") if event.all_day else _("%(day)s, %(time)s") % {
        "day": date_format(start, "l, j. F Y"), "time": date_format(start, "TIME_FORMAT")}
    if event.rrule:
        when = f"{recurrence.frequency_label(event.rrule)} · {when}"
    pdf = notice_pdf(title=event.title, text=_plain(event.description), url=town_url(event.get_absolute_url()),
                     when=when, place=event.place, kind=_("Event"))
    return pdf_response(pdf, f"aushang-{event.slug}.pdf")


@role_required("editor")
@require_GET
def event_manage(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.event_list_manageable(user=request.user), MANAGE_PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "events/manage/event_list.html", {
        "page": page, "events": page.object_list,
        "suggestions": list(selectors.suggestion_list_reviewable(user=request.user)[:50]),
    })


@role_required("editor")
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    form = EventForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(acting_user=request.user, publish=request.POST.get("publish") == "1",
                                          **form.service_data())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("“%(title)s” is published.") % {"title": event.title}
                             if event.status == EventStatus.PUBLISHED else _("The draft is saved."))
            return redirect("events:event-edit", slug=event.slug)
    return render(request, "events/manage/event_form.html", {"form": form, "event": None},
                  status=400 if form.errors else 200)


@role_required("editor")
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, slug: str) -> HttpResponse:
    event = _manageable(request, slug)
    form = EventForm(request.POST or None, request.FILES or None, user=request.user,
                     initial=EventForm.initial_for(event))
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(event=event, acting_user=request.user, data=form.service_data())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The event is saved."))
            return redirect("events:event-edit", slug=event.slug)
    return render(request, "events/manage/event_form.html", {
        "form": form, "event": event, "cancel_date_form": CancelDateForm(),
    }, status=400 if form.errors else 200)


@role_required("editor")
@require_POST
def event_action(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    """Publish, unpublish, cancel, reinstate or delete (one POST each)."""
    event = _manageable(request, slug)
    title = event.title
    if action == "publish":
        services.event_publish(event=event, acting_user=request.user)
        messages.success(request, _("“%(title)s” is published.") % {"title": title})
    elif action == "unpublish":
        services.event_unpublish(event=event, acting_user=request.user)
        messages.success(request, _("“%(title)s” is a draft again and no longer public.") % {"title": title})
    elif action == "cancel":
        services.event_cancel(event=event, acting_user=request.user)
        messages.success(request, _("“%(title)s” is marked as cancelled; registered people are told.")
                         % {"title": title})
    elif action == "reinstate":
        services.event_cancel(event=event, acting_user=request.user, cancelled=False)
        messages.success(request, _("“%(title)s” takes place again.") % {"title": title})
    elif action == "delete":
        services.event_delete(event=event, acting_user=request.user)
        messages.success(request, _("“%(title)s” is deleted.") % {"title": title})
        return redirect("events:event-manage")
    else:
        raise Http404
    return redirect("events:event-edit", slug=event.slug)


@role_required("editor")
@require_POST
def event_cancel_date(request: HttpRequest, slug: str) -> HttpResponse:
    event = _manageable(request, slug)
    form = CancelDateForm(request.POST)
    cancelled = request.POST.get("restore") != "1"
    if form.is_valid():
        try:
            services.event_cancel_date(event=event, acting_user=request.user, day=form.cleaned_data["day"],
                                       cancelled=cancelled)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The date is cancelled.") if cancelled else _("The date takes place again."))
    else:
        messages.error(request, _("Please give a valid date."))
    return redirect("events:event-edit", slug=event.slug)


@role_required("editor")
@require_POST
def suggestion_review(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get(slug=slug)
    if event is None:
        raise Http404
    accept = request.POST.get("decision") == "accept"
    services.event_review(event=event, acting_user=request.user, accept=accept)
    messages.success(request, _("“%(title)s” is published.") % {"title": event.title} if accept
                     else _("The suggestion is declined."))
    return redirect("events:event-manage")


@role_required("editor")
@require_http_methods(["GET", "POST"])
def registration_list(request: HttpRequest, slug: str) -> HttpResponse:
    event = _manageable(request, slug)
    dates, day = _manage_day(request, event)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        count = services.registrations_message(event=event, acting_user=request.user, day=day, **form.cleaned_data)
        messages.success(request, _("Your message goes to %(count)d people.") % {"count": count})
        return redirect(reverse("events:registration-list", kwargs={"slug": event.slug}) + _day_query(day))
    registrations = selectors.registration_list(event=event, day=day)
    return render(request, "events/manage/registration_list.html", {
        "event": event, "registrations": registrations, "form": form, "questions": event.question_list,
        "taken": sum(r.places for r in registrations if r.status == RegistrationStatus.CONFIRMED),
        "dates": dates, "day": day, "day_query": _day_query(day),
    })


def _manage_day(request: HttpRequest, event: Event) -> tuple[list[tuple[datetime.date, int, int]],
                                                             datetime.date | None]:
    """For a series: the dates with registrations and the one chosen (?datum=, default the next one).
    A single event has one date: (that date's row, None)."""
    dates = selectors.registration_dates(event=event)
    if not event.rrule:
        return dates, None
    chosen = _posted_day(request)
    if chosen is None:
        today = _today()
        chosen = next((d for d, _places, _waiting in dates if d >= today), dates[-1][0] if dates else None)
    return dates, chosen


def _day_query(day: datetime.date | None) -> str:
    return f"?datum={day:%Y-%m-%d}" if day else ""


@role_required("editor")
@require_GET
def registration_csv(request: HttpRequest, slug: str) -> HttpResponse:
    event = _manageable(request, slug)
    _dates, day = _manage_day(request, event)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    suffix = f"-{day:%Y-%m-%d}" if day else ""
    response["Content-Disposition"] = f'attachment; filename="anmeldungen-{event.slug}{suffix}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 with umlauts only with a byte order mark
    writer = csv.writer(response, delimiter=";")
    questions = event.question_list
    writer.writerow([_("Date"), _("Name"), _("E-mail"), _("Places"), _("Status"), _("Registered at"), *questions])
    for r in selectors.registration_list(event=event, day=day):
        writer.writerow([r.occurrence_date.strftime("%d.%m.%Y"), csv_cell(r.name), r.email, r.places,
                         r.get_status_display(),
                         timezone.localtime(r.created_at, TOWN_TZ).strftime("%d.%m.%Y %H:%M"),
                         *[csv_cell(r.answers.get(q, "")) for q in questions]])
    return response


@role_required("editor")
@require_GET
def checkin_list(request: HttpRequest, slug: str) -> HttpResponse:
    event = _manageable(request, slug)
    _dates, day = _manage_day(request, event)
    registrations = [r for r in selectors.registration_list(event=event, day=day)
                     if r.status == RegistrationStatus.CONFIRMED]
    return render(request, "events/manage/checkin.html", {
        "event": event, "registrations": registrations, "questions": event.question_list,
        "total": sum(r.places for r in registrations), "day": day,
    })


@role_required("town_admin")
@require_http_methods(["GET", "POST"])
def venue_manage(request: HttpRequest) -> HttpResponse:
    form = VenueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            venue = services.venue_save(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("“%(name)s” was added.") % {"name": venue.name})
            return redirect("events:venue-manage")
    return render(request, "events/manage/venues.html", {"form": form, "venues": selectors.venue_list()},
                  status=400 if form.errors else 200)


@role_required("town_admin")
@require_POST
def venue_delete(request: HttpRequest, pk: int) -> HttpResponse:
    venue = get_object_or_404(Venue, pk=pk)
    services.venue_delete(acting_user=request.user, venue=venue)
    messages.success(request, _("“%(name)s” was removed.") % {"name": venue.name})
    return redirect("events:venue-manage")
