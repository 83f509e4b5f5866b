"""Writes for events: publishing, series, cancelling, suggestions, venues and registrations.

Registrations lock the event row (SELECT ... FOR UPDATE) before counting places, so two people
taking the last place at once are served one after the other: one gets it, the other the
waiting list. Mails go out after the transaction commits, never for a rolled-back change.
"""

from __future__ import annotations

import datetime
import hashlib
import html
import re
import secrets
from typing import Any

import nh3
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy

from core.calendar import TOWN_TZ
from core.images import image_reencode
from core.page_cache import generation_bump
from core.storage import delete_files_after_commit
from core.taxonomy.services import terms_seed
from core.taxonomy.spec import Taxonomy, TaxonomyTexts
from core.tenancy import connection, current_town
from modules.events import recurrence
from modules.events.conf import suggestions_allowed, suggestions_reviewed_by_town_only
from modules.events.models import (
    Category,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
    SavedEvent,
    Venue,
)
from town.models import Organisation
from town.people_services import user_can_publish_for
from town.services import german_slugify

IMAGE_MAX_SIDE = 2400
MAX_PLACES_PER_REGISTRATION = 20

# --- rich text ---------------------------------------------------------------------------

ALLOWED_TAGS = {"p", "h2", "h3", "ul", "ol", "li", "strong", "em", "a", "blockquote", "br"}
_HAS_MARKUP = re.compile(r"<[a-zA-Z/!]")


def description_sanitize(raw: str) -> str:
    """The description as safe HTML: the same small set of text tags as news; plain text becomes paragraphs."""
    raw = (raw or "").strip()
    if raw and not _HAS_MARKUP.search(raw):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", raw.replace("\r\n", "\n")) if p.strip()]
        raw = "".join("<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)
    return nh3.clean(
        raw, tags=ALLOWED_TAGS, clean_content_tags={"script", "style"}, attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer", strip_comments=True,
    ).strip()


# --- who may write --------------------------------------------------------------------------

RESERVED_SLUGS = frozenset({"feed", "manage", "categories", "venues", "suggest", "kalender", "api", "new",
                            "anmeldung", "meine-termine"})


def user_can_write_for(user: Any, organisation: Organisation | None) -> bool:
    """Town admins publish the town's events and every organisation's; editors only their organisations'."""
    return user_can_publish_for(user, organisation)


def _require_write(user: Any, organisation: Organisation | None) -> None:
    if not user_can_write_for(user, organisation):
        raise PermissionDenied(_("You may not publish events for this organisation."))


def _slug_for(title: str) -> str:
    base = german_slugify(title)[:200].strip("-") or "veranstaltung"
    candidate, number = base, 1
    while candidate in RESERVED_SLUGS or Event.objects.filter(slug=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


# --- events -----------------------------------------------------------------------------------

EDITABLE = (
    "title", "description", "starts_at", "ends_at", "all_day", "rrule", "venue", "address", "ortsgemeinde",
    "category", "organisation", "image_alt", "is_free", "price", "step_free", "hearing_loop", "accessibility",
    "contact_name", "contact_email", "contact_phone", "link", "registration_enabled", "capacity",
    "registration_opens_at", "registration_closes_at", "max_places_per_registration", "questions",
)


def all_day_bounds(first: datetime.date, last: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """Stored moments of an all-day event from its first to its last day (midnight in the town)."""
    return (datetime.datetime.combine(first, datetime.time.min, tzinfo=TOWN_TZ),
            datetime.datetime.combine(last, datetime.time.min, tzinfo=TOWN_TZ))


def _validate(event: Event) -> None:
    errors: dict[str, str] = {}
    if not event.title.strip():
        errors["title"] = _("Please give the event a title.")
    if event.starts_at and event.ends_at and event.ends_at < event.starts_at:
        errors["ends_at"] = _("The event cannot end before it starts.")
    if event.image and not event.image_alt.strip():
        errors["image_alt"] = _("Describe the image for people who cannot see it.")
    if not event.is_free and not event.price.strip():
        errors["price"] = _("Please give the price, or tick “free of charge”.")
    if event.registration_enabled:
        if event.capacity is not None and event.capacity < 1:
            errors["capacity"] = _("Give at least one place, or leave the field empty for no limit.")
        if not 1 <= event.max_places_per_registration <= MAX_PLACES_PER_REGISTRATION:
            errors["max_places_per_registration"] = _("A registration can be for 1 to %(max)d places.") % {
                "max": MAX_PLACES_PER_REGISTRATION}
        opens, closes = event.registration_opens_at, event.registration_closes_at
        if opens and closes and closes <= opens:
            errors["registration_closes_at"] = _("Registration must close after it opens.")
    if errors:
        raise ValidationError(errors)
    if event.rrule:
        event.series_ends_at = recurrence.series_end(event.rrule, event.starts_at, event.ends_at)
    else:
        event.series_ends_at = event.ends_at


def places_confirmed(event: Event, day: datetime.date | None = None) -> int:
    """The places confirmed registrations hold (for one date of a series: that date's)."""
    return _confirmed_places(event, day if day is not None else first_day(event))


def _confirmed_places(event: Event, day: datetime.date) -> int:
    return Registration.objects.filter(event=event, occurrence_date=day,
                                       status=RegistrationStatus.CONFIRMED).aggregate(
        total=Sum("places"))["total"] or 0


def _most_confirmed_places(event: Event) -> int:
    """The most places confirmed on any one date (capacity can't go below it)."""
    per_date = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).values(
        "occurrence_date").annotate(total=Sum("places")).values_list("total", flat=True)
    return max(per_date, default=0) or 0


def first_day(event: Event) -> datetime.date:
    """The day an event (or the first date of a series) starts, in the town."""
    return timezone.localtime(event.starts_at, TOWN_TZ).date()


def occurrence_on(event: Event, day: datetime.date) -> Any:
    """The date of `event` starting on `day` (a selectors.Occurrence, cancelled or not), or None."""
    from modules.events.selectors import event_occurrences

    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=TOWN_TZ)
    for occurrence in event_occurrences(event, start, start + datetime.timedelta(days=1), include_cancelled=True):
        if occurrence.day == day:
            return occurrence
    return None


def _date_for(event: Event, day: datetime.date | None, now: datetime.datetime | None = None) -> datetime.date:
    """The date someone registers for or saves: a single event's own; for a series the one asked (or the next)."""
    if not event.rrule:
        if day is not None and day != first_day(event):
            raise ValidationError({"day": _("The event does not take place on this day.")})
        return first_day(event)
    if day is None:
        from modules.events.selectors import next_occurrence

        coming = next_occurrence(event, now)
        if coming is None:
            raise ValidationError({"day": _("The event does not take place on this day.")})
        return coming.day
    occurrence = occurrence_on(event, day)
    if occurrence is None:
        raise ValidationError({"day": _("The event does not take place on this day.")})
    if occurrence.cancelled:
        raise ValidationError({"day": _("This date is cancelled.")})
    return day


def _search_index_update(event: Event) -> None:
    Event.objects.filter(pk=event.pk).update(
        search_vector=SearchVector("title", weight="A", config="german")
        + SearchVector("description", weight="C", config="german")
    )


def _announce(event: Event) -> None:
    from core.signals import content_published

    tenant, event_id = current_town(), event.pk
    ids = [event.ortsgemeinde_id] if event.ortsgemeinde_id else []
    # Inside the transaction: the notifications module's outbox row commits with the event.
    content_published.send(sender=tenant, kind="events.event", object_id=event_id, ortsgemeinde_ids=ids)


def _apply(event: Event, data: dict[str, Any]) -> None:
    for field in EDITABLE:
        if field not in data:
            continue
        value = data[field]
        if field == "description":
            value = description_sanitize(value)
        elif field == "rrule":
            value = (value or "").strip().removeprefix("RRULE:")
        elif isinstance(value, str):
            value = value.strip()
        setattr(event, field, value)
    if "image" in data:
        if data["image"] is False:
            event.image = None
        elif data["image"]:
            event.image = image_reencode(data["image"], max_side=IMAGE_MAX_SIDE)


@transaction.atomic
def event_create(*, acting_user: Any, title: str, starts_at: datetime.datetime, ends_at: datetime.datetime,
                 organisation: Organisation | None = None, publish: bool = False, **data: Any) -> Event:
    """A new event (a draft unless `publish`). `data` holds any field of EDITABLE and `image`."""
    _require_write(acting_user, organisation)
    event = Event(created_by=acting_user, organisation=organisation)
    _apply(event, {"title": title, "starts_at": starts_at, "ends_at": ends_at, **data})
    _validate(event)
    event.slug = _slug_for(event.title)
    if publish:
        event.status, event.published_at = EventStatus.PUBLISHED, timezone.now()
    event.save()
    _search_index_update(event)
    if publish:
        _announce(event)
    return event


@transaction.atomic
def event_update(*, event: Event, acting_user: Any, data: dict[str, Any]) -> Event:
    """Change an event. Capacity can't drop below the places already confirmed; a higher one moves people up."""
    _require_write(acting_user, event.organisation)
    if "organisation" in data:
        _require_write(acting_user, data["organisation"])
    event = Event.objects.select_for_update().get(pk=event.pk)  # no registration slips in meanwhile
    old_image = event.image.name if event.image else ""
    old_start, old_day = event.starts_at, first_day(event)
    _apply(event, data)
    _validate(event)
    moved = event.status == EventStatus.PUBLISHED and not event.rrule and event.starts_at != old_start
    if event.registration_enabled and event.capacity is not None:
        taken = _most_confirmed_places(event)
        if event.capacity < taken:
            raise ValidationError({"capacity": _(
                "%(taken)d places are already taken. Cancel registrations first or keep at least %(taken)d "
                "places.") % {"taken": taken}})
    if moved:
        # Rescheduled (schema.org): the first announced start is kept; registrations and saved dates move along.
        event.previous_starts_at = event.previous_starts_at or old_start
        if first_day(event) != old_day:
            Registration.objects.filter(event=event, occurrence_date=old_day).update(occurrence_date=first_day(event))
            SavedEvent.objects.filter(event=event, occurrence_date=old_day).update(occurrence_date=first_day(event))
    event.save()
    _search_index_update(event)
    if moved:
        _tell_registered(event, template="events/mail/event_moved", subject=_("New date: %(title)s"))
    _promote_waiting(event)
    if old_image and old_image != (event.image.name if event.image else ""):
        delete_files_after_commit(Event._meta.get_field("image").storage, [old_image])
    return event


@transaction.atomic
def event_publish(*, event: Event, acting_user: Any) -> Event:
    _require_write(acting_user, event.organisation)
    was_published = event.status == EventStatus.PUBLISHED
    event.status = EventStatus.PUBLISHED
    event.published_at = event.published_at or timezone.now()
    event.save(update_fields=["status", "published_at", "updated_at"])
    if not was_published:
        _announce(event)
    return event


@transaction.atomic
def event_unpublish(*, event: Event, acting_user: Any) -> Event:
    _require_write(acting_user, event.organisation)
    event.status = EventStatus.DRAFT
    event.save(update_fields=["status", "updated_at"])
    return event


@transaction.atomic
def event_delete(*, event: Event, acting_user: Any) -> None:
    _require_write(acting_user, event.organisation)
    image = event.image.name if event.image else ""
    _tell_registered(event, template="events/mail/event_cancelled", subject=_("Cancelled: %(title)s"))
    event.delete()
    delete_files_after_commit(Event._meta.get_field("image").storage, [image])


@transaction.atomic
def event_cancel(*, event: Event, acting_user: Any, cancelled: bool = True) -> Event:
    """Call off the whole event (it stays listed, marked cancelled); registered people are told."""
    _require_write(acting_user, event.organisation)
    if event.is_cancelled == cancelled:
        return event
    event.is_cancelled = cancelled
    event.save(update_fields=["is_cancelled", "updated_at"])
    if cancelled:
        _tell_registered(event, template="events/mail/event_cancelled", subject=_("Cancelled: %(title)s"))
        _tell_savers(event)
    return event


def _occurs_on(event: Event, day: datetime.date) -> bool:
    return occurrence_on(event, day) is not None


@transaction.atomic
def event_cancel_date(*, event: Event, acting_user: Any, day: datetime.date, cancelled: bool = True) -> Event:
    """One date of a series doesn't take place (or does again)."""
    _require_write(acting_user, event.organisation)
    if not event.rrule:
        raise ValidationError({"day": _("Only a date of a series can be cancelled on its own.")})
    if not _occurs_on(event, day):
        raise ValidationError({"day": _("The event does not take place on this day.")})
    dates = set(event.cancelled_dates)
    was_cancelled = day in dates
    (dates.add if cancelled else dates.discard)(day)
    event.cancelled_dates = sorted(dates)
    event.save(update_fields=["cancelled_dates", "updated_at"])
    if cancelled and not was_cancelled:
        # People registered for (or who saved) that date are told; their places stay in case it is reinstated.
        _tell_registered(event, template="events/mail/date_cancelled", subject=_("Cancelled: %(title)s"), day=day)
        _tell_savers(event, day=day)
    return event


# --- residents' suggestions ------------------------------------------------------------------------


@transaction.atomic
def event_suggest(*, acting_user: Any, title: str, starts_at: datetime.datetime, ends_at: datetime.datetime,
                  **data: Any) -> Event:
    """A resident suggests an event; it is public only once an editor or the town accepts it."""
    if not getattr(acting_user, "is_authenticated", False):
        raise PermissionDenied(_("Please sign in to suggest an event."))
    if not suggestions_allowed():
        raise PermissionDenied(_("The town does not take suggestions for events."))
    from modules.moderation.facade import activity_check, text_check

    for field in ("title", "description"):
        try:
            text_check(data.get(field, title if field == "title" else ""))
        except ValidationError as error:
            raise ValidationError({field: error.messages}) from error
    data.pop("registration_enabled", None)
    event = Event(created_by=acting_user, suggested_by=acting_user, status=EventStatus.SUGGESTED,
                  organisation=data.pop("organisation", None))
    _apply(event, {"title": title, "starts_at": starts_at, "ends_at": ends_at, **data})
    _validate(event)
    activity_check(user=acting_user, action="post")
    event.slug = _slug_for(event.title)
    event.save()
    _search_index_update(event)
    return event


def user_can_review(user: Any, event: Event) -> bool:
    """Town admins review every suggestion; an editor those naming one of their organisations, unless the
    town decides itself (module setting "suggestions_reviewed_by")."""
    if event.status != EventStatus.SUGGESTED:
        return False
    if suggestions_reviewed_by_town_only():  # the town chose to decide itself
        return bool(getattr(user, "is_authenticated", False) and user.is_town_admin)
    return user_can_write_for(user, event.organisation)


@transaction.atomic
def event_review(*, event: Event, acting_user: Any, accept: bool) -> Event:
    if not user_can_review(acting_user, event):
        raise PermissionDenied(_("You may not decide on this suggestion."))
    if accept:
        event.status, event.published_at = EventStatus.PUBLISHED, timezone.now()
        _announce(event)
    else:
        event.status = EventStatus.REJECTED
    event.save(update_fields=["status", "published_at", "updated_at"])
    return event


def event_set_hidden(*, event_id: int, hidden: bool) -> None:
    """The moderators' decision (modules.moderation)."""
    Event.objects.filter(pk=event_id).update(is_hidden=hidden, updated_at=timezone.now())
    from modules.events.selectors import organisers_forget  # the calendar's organiser filter (no save signal)

    organisers_forget()
    generation_bump("events")  # update() sends no signal: the cached list rows and API pages must follow at once


# --- registrations ------------------------------------------------------------------------------------


def cancel_token_hash(token: str) -> str:
    # The schema name is hashed in: a token of town A opens nothing in town B, even with equal ids.
    return hashlib.sha256(f"{connection.schema_name}:events:{token}".encode()).hexdigest()


def registration_state(event: Event, now: datetime.datetime | None = None, *,
                       starts_at: datetime.datetime | None = None) -> str:
    """"none" (no registration), "not_yet", "open", "closed" or "past"/"cancelled".

    `starts_at`: the start of the date asked about (a date of a series); default the event's start.
    For a series the registration window's times apply to every date, and each date closes at its start.
    """
    now = now or timezone.now()
    if not event.registration_enabled:
        return "none"
    if event.is_cancelled:
        return "cancelled"
    if (starts_at or event.starts_at) <= now:
        return "past"
    if event.registration_opens_at and now < event.registration_opens_at:
        return "not_yet"
    if event.registration_closes_at and now >= event.registration_closes_at:
        return "closed"
    return "open"


def _site_url(path: str) -> str:
    from core.branding import town_url

    return town_url(path)


def _mail_after_commit(*, to: str, subject: str, template: str, context: Any) -> None:
    """Send from the worker once the transaction commits (core.outbox: never lost to a broker outage, and
    no request waits on the mail relay). `context` may be a callable; links come from the town's
    domain row, never a request's Host header."""
    from core.mail import town_mail_enqueue

    town_mail_enqueue(to=to, subject=subject, template=template,
                      context=context() if callable(context) else context)


def _registration_mail(registration: Registration, event: Event, *, template: str, subject: str,
                       token: str = "") -> None:
    from django.urls import reverse

    snapshot = {
        "registration": {"name": registration.name, "places": registration.places,
                         "waiting": registration.status == RegistrationStatus.WAITING},
        "event": {"title": event.title, "when": _when_text(event, registration.occurrence_date),
                  "place": event.place},
    }
    event_path = event.get_absolute_url()
    cancel_path = reverse("events:registration-cancel", kwargs={"token": token}) if token else ""

    def context() -> dict[str, Any]:
        return {**snapshot, "event_url": _site_url(event_path),
                "cancel_url": _site_url(cancel_path) if cancel_path else ""}

    _mail_after_commit(to=registration.email, subject=subject % {"title": event.title}, template=template,
                       context=context)


def _when_text(event: Event, day: datetime.date | None = None) -> str:
    start = timezone.localtime(event.starts_at, TOWN_TZ)
    day = day or start.date()
    if event.all_day:
        return day.strftime("%d.%m.%Y")
    return f"{day:%d.%m.%Y}, {start:%H:%M}"


def occurrence_start(event: Event, day: datetime.date) -> datetime.datetime:
    """The start of the date of `event` on `day` (its local start time on that day)."""
    local = timezone.localtime(event.starts_at, TOWN_TZ)
    return datetime.datetime.combine(day, local.time(), tzinfo=TOWN_TZ)


@transaction.atomic
def registration_create(*, event: Event, acting_user: Any, places: int = 1,
                        answers: dict[str, str] | None = None, day: datetime.date | None = None,
                        now: datetime.datetime | None = None) -> tuple[Registration, str]:
    """Register `acting_user` for `places` places (for a series: on `day`, default the next date).
    Returns the registration and its cancel token.

    Confirmed while places are left on that date, else on that date's waiting list (in order of
    joining). The event row is locked first, so concurrent registrations count places one after the other.
    """
    if not getattr(acting_user, "is_authenticated", False):
        raise PermissionDenied(_("Please sign in to register."))
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not event.is_public:
        raise ValidationError(_("This event is not open for registration."))
    day = _date_for(event, day, now)
    state = registration_state(event, now, starts_at=occurrence_start(event, day))
    if state != "open":
        raise ValidationError({
            "none": _("This event needs no registration."),
            "cancelled": _("This event is cancelled."),
            "past": _("This event has already started."),
            "not_yet": _("Registration has not opened yet."),
            "closed": _("Registration has closed."),
        }[state])
    if not 1 <= places <= event.max_places_per_registration:
        raise ValidationError({"places": _("You can register 1 to %(max)d places.") % {
            "max": event.max_places_per_registration}})
    if Registration.objects.filter(event=event, occurrence_date=day, user=acting_user).exclude(
            status=RegistrationStatus.CANCELLED).exists():
        raise ValidationError(_("You are already registered for this event."))
    answers = {question: (answers or {}).get(question, "").strip()[:500] for question in event.question_list}
    confirmed = event.capacity is None or (
        _confirmed_places(event, day) + places <= event.capacity
        # Nobody jumps the queue: while people wait, newcomers wait too.
        and not Registration.objects.filter(event=event, occurrence_date=day,
                                            status=RegistrationStatus.WAITING).exists()
    )
    token = secrets.token_urlsafe(24)
    registration = Registration.objects.create(
        event=event, occurrence_date=day, user=acting_user, name=acting_user.name or acting_user.email,
        email=acting_user.email, places=places, answers=answers,
        status=RegistrationStatus.CONFIRMED if confirmed else RegistrationStatus.WAITING,
        waiting_since=None if confirmed else timezone.now(), cancel_token_hash=cancel_token_hash(token),
    )
    if confirmed:
        _registration_mail(registration, event, template="events/mail/registration_confirmed",
                           subject=_("Registered: %(title)s"), token=token)
    else:
        _registration_mail(registration, event, template="events/mail/registration_waiting",
                           subject=_("Waiting list: %(title)s"), token=token)
    return registration, token


def _promote_waiting(event: Event, day: datetime.date | None = None) -> list[Registration]:
    """Move people up from the waiting list of `day` (None: of every date) in their order while their
    places fit (event row locked)."""
    if not event.registration_enabled or event.is_cancelled:
        return []
    waiting = Registration.objects.select_for_update().filter(event=event, status=RegistrationStatus.WAITING)
    if day is not None:
        waiting = waiting.filter(occurrence_date=day)
    by_day: dict[datetime.date, list[Registration]] = {}
    for registration in waiting.order_by("occurrence_date", "waiting_since", "id"):
        by_day.setdefault(registration.occurrence_date, []).append(registration)
    promoted = []
    for date, queue in by_day.items():
        free = None if event.capacity is None else event.capacity - _confirmed_places(event, date)
        for registration in queue:
            if free is not None and registration.places > free:
                break  # first come, first served: a smaller registration further down doesn't skip ahead
            registration.status, registration.promoted_at = RegistrationStatus.CONFIRMED, timezone.now()
            registration.save(update_fields=["status", "promoted_at"])
            if free is not None:
                free -= registration.places
            promoted.append(registration)
            _tell_promoted(registration, event)
    return promoted


def _tell_promoted(registration: Registration, event: Event) -> None:
    """Moved up from the waiting list: in the notification centre (and by e-mail or push as the person
    chose) when the town has notifications; otherwise, and for people without an account, by e-mail."""
    from modules.notifications.facade import notifications_enabled, notify

    if registration.user_id is not None and notifications_enabled():
        notify(user_ids=[registration.user_id], event="events.promoted",
               title=_("You have a place: %(title)s") % {"title": event.title},
               body=_("A place became free. You moved up from the waiting list and are now registered for "
                      "%(when)s (%(places)s).") % {
                   "when": _when_text(event, registration.occurrence_date),
                   "places": ngettext("%(count)d place", "%(count)d places", registration.places) % {
                       "count": registration.places}},
               url=event.get_absolute_url(),
               dedupe_key=f"events.promoted:{registration.pk}:{registration.promoted_at:%Y%m%d%H%M%S%f}")
        return
    _registration_mail(registration, event, template="events/mail/registration_promoted",
                       subject=_("You have a place: %(title)s"))


@transaction.atomic
def registration_cancel(*, registration: Registration) -> list[Registration]:
    """Cancel a registration (the person's own, via their link or their account); returns who moved up."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        return []  # a second click on the link changes nothing
    registration.status, registration.cancelled_at = RegistrationStatus.CANCELLED, timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    return _promote_waiting(event, registration.occurrence_date)


def registration_for_token(token: str) -> Registration | None:
    return Registration.objects.select_related("event").filter(cancel_token_hash=cancel_token_hash(token)).first()


def _tell_registered(event: Event, *, template: str, subject: str, day: datetime.date | None = None) -> None:
    active = Registration.objects.filter(event=event).exclude(status=RegistrationStatus.CANCELLED)
    if day is not None:
        active = active.filter(occurrence_date=day)
    for registration in active:
        _registration_mail(registration, event, template=template, subject=subject)


def _tell_savers(event: Event, *, day: datetime.date | None = None) -> None:
    """Those who saved a date that is now cancelled (None: any coming date of the event) hear of it in their
    notification centre (if the town has it); registered people get their mail instead."""
    from modules.notifications.facade import notifications_enabled, notify

    if not notifications_enabled():
        return
    registered = Registration.objects.filter(event=event).exclude(status=RegistrationStatus.CANCELLED)
    saved = SavedEvent.objects.filter(event=event)
    if day is not None:
        registered, saved = registered.filter(occurrence_date=day), saved.filter(occurrence_date=day)
    else:
        saved = saved.filter(occurrence_date__gte=timezone.localtime(timezone.now(), TOWN_TZ).date())
    user_ids = sorted(set(saved.exclude(user_id__in=registered.values("user_id")).values_list("user_id", flat=True)))
    if not user_ids:
        return
    when = _when_text(event, day) if day else ""
    notify(user_ids=user_ids, event="events.date_cancelled",
           title=_("Cancelled: %(title)s") % {"title": event.title},
           body=(_("The date on %(when)s does not take place.") % {"when": when} if day
                 else _("This event is cancelled.")),
           url=event.get_absolute_url(),
           dedupe_key=f"events.date_cancelled:{event.pk}:{day:%Y%m%d}" if day else f"events.cancelled:{event.pk}")


@transaction.atomic
def registrations_message(*, event: Event, acting_user: Any, subject: str, text: str,
                          day: datetime.date | None = None) -> int:
    """The organiser writes to everyone registered (confirmed and waiting; for a series, on `day` when
    given). Returns how many get it."""
    _require_write(acting_user, event.organisation)
    if not subject.strip() or not text.strip():
        raise ValidationError(_("Please write a subject and a message."))
    active = Registration.objects.filter(event=event).exclude(status=RegistrationStatus.CANCELLED)
    if day is not None:
        active = active.filter(occurrence_date=day)
    emails = sorted(set(active.values_list("email", flat=True)))
    snapshot = {"event": {"title": event.title, "when": _when_text(event, day), "place": event.place},
                "text": text.strip()}
    event_path = event.get_absolute_url()

    def context() -> dict[str, Any]:
        return {**snapshot, "event_url": _site_url(event_path)}

    for email in emails:
        _mail_after_commit(to=email, subject=subject.strip(), template="events/mail/organiser_message",
                           context=context)
    return len(emails)


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind confirmed people of tomorrow's dates, and those who saved one, once per person even if
    the task runs twice.

    The conditional UPDATE (reminded_for is not tomorrow yet) claims each registration; only the run
    that changed the row sends. Someone registered for a date they also saved is reminded once.
    """
    now = now or timezone.now()
    tomorrow = timezone.localtime(now, TOWN_TZ).date() + datetime.timedelta(days=1)
    due = Registration.objects.select_related("event").filter(
        status=RegistrationStatus.CONFIRMED, event__status=EventStatus.PUBLISHED, event__is_cancelled=False,
        event__is_hidden=False, occurrence_date=tomorrow,
    ).exclude(reminded_for=tomorrow).exclude(event__cancelled_dates__contains=[tomorrow])
    sent = _saved_reminders_send(tomorrow)
    for registration in due:
        with transaction.atomic():
            claimed = Registration.objects.filter(pk=registration.pk).exclude(reminded_for=tomorrow).update(
                reminded_for=tomorrow)
            if claimed:
                _registration_mail(registration, registration.event, template="events/mail/reminder",
                                   subject=_("Tomorrow: %(title)s"))
                sent += 1
    return sent


def _saved_reminders_send(tomorrow: datetime.date) -> int:
    """Remind those who saved one of tomorrow's dates (and aren't registered for it): in the notification
    centre when the town has it, otherwise by e-mail."""
    from django.db.models import Exists, OuterRef

    from modules.notifications.facade import notifications_enabled, notify

    registered = Registration.objects.filter(event=OuterRef("event"), occurrence_date=tomorrow,
                                             user=OuterRef("user"), status=RegistrationStatus.CONFIRMED)
    due = (SavedEvent.objects.select_related("event", "event__venue", "user")
           .filter(occurrence_date=tomorrow, event__status=EventStatus.PUBLISHED, event__is_cancelled=False,
                   event__is_hidden=False)
           .exclude(reminded_for=tomorrow).exclude(event__cancelled_dates__contains=[tomorrow])
           .exclude(Exists(registered)))
    use_centre = notifications_enabled()
    sent = 0
    for saved in due:
        with transaction.atomic():
            if not SavedEvent.objects.filter(pk=saved.pk).exclude(reminded_for=tomorrow).update(
                    reminded_for=tomorrow):
                continue  # another run got it
            event, when = saved.event, _when_text(saved.event, tomorrow)
            title = _("Tomorrow: %(title)s") % {"title": event.title}
            if use_centre:
                notify(user_ids=[saved.user_id], event="events.reminder", title=title,
                       body=", ".join(part for part in (when, event.place) if part), url=event.get_absolute_url(),
                       dedupe_key=f"events.reminder:{event.pk}:{tomorrow:%Y%m%d}")
            else:
                snapshot = {"registration": {"name": saved.user.name or saved.user.email, "places": 0,
                                             "waiting": False},
                            "event": {"title": event.title, "when": when, "place": event.place}}
                path = event.get_absolute_url()
                _mail_after_commit(to=saved.user.email, subject=title, template="events/mail/saved_reminder",
                                   context=lambda snapshot=snapshot, path=path: {
                                       **snapshot, "event_url": _site_url(path), "cancel_url": ""})
            sent += 1
    return sent


# --- saved events ("Meine Termine") ------------------------------------------------------------------


@transaction.atomic
def event_save(*, event: Event, acting_user: Any, day: datetime.date | None = None) -> SavedEvent:
    """Note a date of a public event under "Meine Termine" (for a series: `day`, default the next date).
    Saving it twice changes nothing."""
    if not getattr(acting_user, "is_authenticated", False):
        raise PermissionDenied(_("Please sign in to save events."))
    if not event.is_public:
        raise ValidationError(_("This event is not public."))
    day = _date_for(event, day)
    saved, _created = SavedEvent.objects.get_or_create(event=event, user=acting_user, occurrence_date=day)
    return saved


@transaction.atomic
def event_unsave(*, event: Event, acting_user: Any, day: datetime.date | None = None) -> int:
    """Forget a saved date (None: every saved date of the event). Returns how many were removed."""
    saved = SavedEvent.objects.filter(event=event, user=acting_user)
    if day is not None:
        saved = saved.filter(occurrence_date=day)
    deleted, _details = saved.delete()
    return deleted


# --- venues --------------------------------------------------------------------------------------------


def _require_admin(user: Any) -> None:
    if not (getattr(user, "is_authenticated", False) and user.is_town_admin):
        raise PermissionDenied(_("Only town administrators can change the venues."))


@transaction.atomic
def venue_save(*, acting_user: Any, venue: Venue | None = None, **data: Any) -> Venue:
    _require_admin(acting_user)
    venue = venue or Venue()
    for field, value in data.items():
        setattr(venue, field, value.strip() if isinstance(value, str) else value)
    if not venue.name:
        raise ValidationError({"name": _("Please give the venue a name.")})
    if (venue.latitude is None) != (venue.longitude is None):
        raise ValidationError({"longitude": _("Give both latitude and longitude, or neither.")})
    if Venue.objects.filter(name__iexact=venue.name).exclude(pk=venue.pk).exists():
        raise ValidationError({"name": _("A venue of this name exists already.")})
    venue.save()
    return venue


@transaction.atomic
def venue_delete(*, acting_user: Any, venue: Venue) -> None:
    """Events at the venue keep its address as free text."""
    _require_admin(acting_user)
    for event in Event.objects.filter(venue=venue):
        Event.objects.filter(pk=event.pk).update(venue=None, address=venue.address)
    venue.delete()


# --- categories (core.taxonomy) ---------------------------------------------------------------------------

CATEGORIES = Taxonomy(
    model=Category, app_name="events", noun="category", path="manage/categories/", role="town_admin",
    texts=TaxonomyTexts(
        title=gettext_lazy("Event categories"),
        deleted=gettext_lazy("The category is deleted; its events are kept without a category."),
        usage=ngettext_lazy("%(count)d event", "%(count)d events", "count"),
    ),
    used_by="events", delete_rule="detach", invalid_status=200,
    defaults=(
        ("feste", "Feste und Märkte"),
        ("sport", "Sport"),
        ("kultur", "Kultur und Musik"),
        ("kirche", "Kirche"),
        ("kinder", "Kinder und Familie"),
        ("senioren", "Seniorinnen und Senioren"),
        ("rathaus", "Rathaus und Bürgerbeteiligung"),
    ),
)


def categories_seed() -> None:
    terms_seed(CATEGORIES)
