"""Writes for the Mitbringdienst. Every change of a request goes through the state machine here.

    open ──accept──▶ accepted ──bought──▶ bought ──delivered──▶ delivered
      ▲                 │
      └────release──────┘        (the helper gives it back)
    open / accepted ──cancel──▶ cancelled   (the requester)

Each step locks the request row (SELECT … FOR UPDATE) and checks the status it
finds *after* the lock, so of two neighbours pressing "accept" at the same
moment exactly one wins and the other is told someone was quicker (ISOLATION
T20). Each step writes an ErrandEvent (the history both people see, and what
the daily limits for new accounts count) and notifies the other person after
the transaction commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.page_cache import generation_bump
from modules.errands import notifications
from modules.errands.conf import limits_get
from modules.errands.models import (
    ErrandBlock,
    ErrandComment,
    ErrandEvent,
    ErrandEventKind,
    ErrandReport,
    ErrandRequest,
    ErrandStatus,
    Trip,
)
from modules.errands.shops import shop_get
from town.models import Ortsgemeinde

MAX_DAYS_AHEAD = 7
# A time window that starts a few minutes ago is still "now": the form took a while to fill in.
PAST_GRACE = timedelta(minutes=10)
MAX_ITEMS = 30
MAX_AMOUNT_CENTS = 100_000  # 1,000 €: more than that is not a favour between neighbours
MAX_TRIP_CAPACITY = 10


# --- who is blocked, who is new ------------------------------------------------------


def users_blocked_between(user: Any) -> set[int]:
    """Ids of people `user` blocked or was blocked by: they don't see or accept each other's requests."""
    if not getattr(user, "is_authenticated", False):
        return set()
    rows = ErrandBlock.objects.filter(Q(blocker=user) | Q(blocked=user)).values_list("blocker_id", "blocked_id")
    return {other for pair in rows for other in pair if other != user.pk}


def _blocked(a_id: int, b_id: int) -> bool:
    return ErrandBlock.objects.filter(
        Q(blocker_id=a_id, blocked_id=b_id) | Q(blocker_id=b_id, blocked_id=a_id)
    ).exists()


def _local_day_start(now: datetime) -> datetime:
    return timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)


def _check_daily_limit(user: Any, kind: str, *, now: datetime) -> None:
    """New accounts may ask and accept only a few times per day (spam and scam protection).

    Locks the person's row first, so two requests sent at once by the same
    account are counted one after the other.
    """
    limits = limits_get()
    if user.date_joined < now - timedelta(days=limits.new_account_days):
        return
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    done = ErrandEvent.objects.filter(actor=user, kind=kind, created_at__gte=_local_day_start(now)).count()
    if kind == ErrandEventKind.CREATED and done >= limits.new_account_requests_per_day:
        raise ValidationError(
            ngettext(
                "New accounts can ask for at most %(count)d errand per day. Please try again tomorrow.",
                "New accounts can ask for at most %(count)d errands per day. Please try again tomorrow.",
                limits.new_account_requests_per_day,
            )
            % {"count": limits.new_account_requests_per_day}
        )
    if kind == ErrandEventKind.ACCEPTED and done >= limits.new_account_acceptances_per_day:
        raise ValidationError(
            ngettext(
                "New accounts can accept at most %(count)d errand per day. Please try again tomorrow.",
                "New accounts can accept at most %(count)d errands per day. Please try again tomorrow.",
                limits.new_account_acceptances_per_day,
            )
            % {"count": limits.new_account_acceptances_per_day}
        )


def _require_signed_in(user: Any) -> None:
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        raise PermissionDenied(_("Please sign in first."))


# --- validation of what people type ------------------------------------------------------


def _clean_items(items: str | Iterable[str]) -> str:
    lines = items.splitlines() if isinstance(items, str) else list(items)
    cleaned = [" ".join(line.split()) for line in lines if line and line.strip()]
    if not cleaned:
        raise ValidationError({"items": _("Please list what you need, one thing per line.")})
    if len(cleaned) > MAX_ITEMS:
        raise ValidationError({"items": _("Please ask for at most %(count)d things at once.") % {"count": MAX_ITEMS}})
    text = "\n".join(cleaned)
    if len(text) > 1000:
        raise ValidationError({"items": _("The list is too long: at most 1000 characters.")})
    return text


def _clean_amount(cents: int | None, field: str) -> int | None:
    if cents is None:
        return None
    if cents < 0:
        raise ValidationError({field: _("An amount cannot be negative.")})
    if cents > MAX_AMOUNT_CENTS:
        raise ValidationError({field: _("Amounts above 1,000 € are too much for a favour between neighbours.")})
    return cents


def _validate_window(window_start: datetime, window_end: datetime, *, now: datetime) -> None:
    errors: dict[str, str] = {}
    if window_start < now - PAST_GRACE:
        errors["window_start"] = _("The time window must lie in the future.")
    if window_end <= window_start:
        errors["window_end"] = _("“Until” must be after “from”.")
    elif window_end > now + timedelta(days=MAX_DAYS_AHEAD):
        errors["window_end"] = _("You can ask at most %(days)d days ahead.") % {"days": MAX_DAYS_AHEAD}
    if errors:
        raise ValidationError(errors)


def _shop(business_id: int | None, shop_name: str, *, required: bool) -> tuple[int | None, str]:
    """(business_id, name): a directory entry wins and its name is kept as a snapshot."""
    shop_name = " ".join((shop_name or "").split())[:200]
    if business_id is not None:
        shop = shop_get(business_id)
        if shop is None:
            raise ValidationError({"business": _("This shop is no longer in the directory.")})
        return shop.id, shop.name
    if required and not shop_name:
        raise ValidationError({"shop_name": _("Say where the things can be bought: choose a shop or type its name.")})
    return None, shop_name


# --- requests ----------------------------------------------------------------------------------


def _collect(**checks: Any) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Run every check, so the form shows all problems at once; (results, errors by field)."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for key, check in checks.items():
        try:
            cleaned[key] = check()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    return cleaned, errors


def _event(errand: ErrandRequest, actor: Any, kind: str) -> None:
    ErrandEvent.objects.create(request=errand, actor=actor, kind=kind)


@transaction.atomic
def errand_request_create(
    *,
    acting_user: Any,
    items: str | Iterable[str],
    window_start: datetime,
    window_end: datetime,
    shop_name: str = "",
    business_id: int | None = None,
    ortsgemeinde: Ortsgemeinde | None = None,
    note: str = "",
    estimated_amount_cents: int | None = None,
    now: datetime | None = None,
) -> ErrandRequest:
    """Ask neighbours to bring something. Nothing is stored when any input is refused."""
    _require_signed_in(acting_user)
    now = now or timezone.now()
    cleaned, errors = _collect(
        items=lambda: _clean_items(items),
        window=lambda: _validate_window(window_start, window_end, now=now),
        shop=lambda: _shop(business_id, shop_name, required=True),
        amount=lambda: _clean_amount(estimated_amount_cents, "estimated_amount"),
    )
    if errors:
        raise ValidationError(errors)
    _check_daily_limit(acting_user, ErrandEventKind.CREATED, now=now)
    business_id, shop_name = cleaned["shop"]
    errand = ErrandRequest.objects.create(
        requester=acting_user,
        items=cleaned["items"],
        business_id=business_id,
        shop_name=shop_name,
        window_start=window_start,
        window_end=window_end,
        ortsgemeinde=ortsgemeinde,
        note=(note or "").strip()[:1000],
        estimated_amount_cents=estimated_amount_cents,
    )
    _event(errand, acting_user, ErrandEventKind.CREATED)
    return errand


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    actor: str  # "neighbour" (anyone but the requester), "helper" or "requester"
    event: str


TRANSITIONS: dict[str, Transition] = {
    "accept": Transition(frozenset({ErrandStatus.OPEN}), ErrandStatus.ACCEPTED, "neighbour", ErrandEventKind.ACCEPTED),
    "release": Transition(frozenset({ErrandStatus.ACCEPTED}), ErrandStatus.OPEN, "helper", ErrandEventKind.RELEASED),
    "bought": Transition(frozenset({ErrandStatus.ACCEPTED}), ErrandStatus.BOUGHT, "helper", ErrandEventKind.BOUGHT),
    "delivered": Transition(
        frozenset({ErrandStatus.BOUGHT}), ErrandStatus.DELIVERED, "helper", ErrandEventKind.DELIVERED
    ),
    "cancel": Transition(
        frozenset({ErrandStatus.OPEN, ErrandStatus.ACCEPTED}), ErrandStatus.CANCELLED, "requester",
        ErrandEventKind.CANCELLED,
    ),
}


def _refusal(action: str, errand: ErrandRequest, user: Any) -> str:
    """Why `action` is not possible in the request's current status, in words a resident understands."""
    status = errand.status
    if status == ErrandStatus.CANCELLED:
        return _("This request was cancelled.")
    if status == ErrandStatus.DELIVERED:
        return _("This request has already been delivered.")
    if action == "accept":
        if errand.helper_id == user.pk:
            return _("You have already accepted this request.")
        return _("Someone else was quicker and has already accepted this request.")
    if status == ErrandStatus.OPEN:
        return _("Nobody has accepted this request yet.")
    if action == "bought":
        return _("The things are already marked as bought.")
    if action == "delivered":
        return _("Please mark the things as bought first.")
    if action == "release":
        return _("You have already bought the things: please bring them, or write a message about it.")
    if action == "cancel":
        return _("The things are already bought, so the request can no longer be cancelled. Please write a message.")
    return _("This step is not possible now.")


def _check_actor(transition: Transition, errand: ErrandRequest, user: Any) -> None:
    if transition.actor == "requester" and errand.requester_id != user.pk:
        raise PermissionDenied(_("Only the person who asked can cancel this request."))
    if transition.actor == "helper" and errand.helper_id != user.pk:
        raise PermissionDenied(_("Only the neighbour who accepted this request can do this."))
    if transition.actor == "neighbour" and errand.requester_id == user.pk:
        raise ValidationError(_("You cannot accept your own request."))


@transaction.atomic
def _transition(
    action: str, *, errand: ErrandRequest, acting_user: Any, now: datetime | None = None, **changes: Any
) -> ErrandRequest:
    _require_signed_in(acting_user)
    now = now or timezone.now()
    transition = TRANSITIONS[action]
    # The row as it is now, locked until commit: a stale `errand` object (the page the
    # person saw) can never decide the outcome.
    locked = ErrandRequest.objects.select_for_update().get(pk=errand.pk)
    _check_actor(transition, locked, acting_user)
    if locked.status not in transition.sources:
        raise ValidationError(_refusal(action, locked, acting_user))
    if action == "accept":
        if locked.is_hidden:
            raise ValidationError(_("This request is not available."))
        if locked.window_end <= now:
            raise ValidationError(_("The time window of this request has passed."))
        if _blocked(locked.requester_id, acting_user.pk):
            raise ValidationError(_("You cannot accept this request."))
        _check_daily_limit(acting_user, ErrandEventKind.ACCEPTED, now=now)
        locked.helper = acting_user
    previous_helper_id = locked.helper_id
    if action == "release":
        locked.helper = None
        locked.trip = None
    for field, value in changes.items():
        setattr(locked, field, value)
    locked.status = transition.target
    locked.save()
    _event(locked, acting_user, transition.event)
    # The other person hears about the step; a cancelled open request concerns nobody else.
    if transition.actor == "requester":
        recipient_id = previous_helper_id
    else:
        recipient_id = locked.requester_id
    if recipient_id:
        notifications.notify_errand_step(errand_id=locked.pk, step=transition.event, recipient_id=recipient_id,
                                         actor_id=acting_user.pk)
    if action == "delivered":
        # Both are told it is done: the helper gets the confirmation and a thank-you.
        notifications.notify_errand_step(errand_id=locked.pk, step="thanks", recipient_id=acting_user.pk,
                                         actor_id=acting_user.pk)
    # The caller's object shows the new state too.
    for field in ("status", "helper_id", "trip_id", "spent_amount_cents", "updated_at"):
        setattr(errand, field, getattr(locked, field))
    return locked


def errand_request_accept(*, errand: ErrandRequest, acting_user: Any, now: datetime | None = None) -> ErrandRequest:
    """A neighbour who is going anyway takes the request (exactly one wins a race)."""
    return _transition("accept", errand=errand, acting_user=acting_user, now=now)


def errand_request_release(*, errand: ErrandRequest, acting_user: Any) -> ErrandRequest:
    """The helper can't do it after all: the request is open again for others."""
    return _transition("release", errand=errand, acting_user=acting_user)


def errand_request_mark_bought(
    *, errand: ErrandRequest, acting_user: Any, spent_amount_cents: int | None = None
) -> ErrandRequest:
    """The helper has the things. `spent_amount_cents` is a note for the two people; no money moves here."""
    _clean_amount(spent_amount_cents, "spent_amount")
    return _transition("bought", errand=errand, acting_user=acting_user, spent_amount_cents=spent_amount_cents)


def errand_request_mark_delivered(*, errand: ErrandRequest, acting_user: Any) -> ErrandRequest:
    return _transition("delivered", errand=errand, acting_user=acting_user)


def errand_request_cancel(*, errand: ErrandRequest, acting_user: Any) -> ErrandRequest:
    """The requester withdraws the request (while nobody has bought anything yet)."""
    return _transition("cancel", errand=errand, acting_user=acting_user)


# --- messages between the two ----------------------------------------------------------------


@transaction.atomic
def errand_comment_add(*, errand: ErrandRequest, acting_user: Any, text: str) -> ErrandComment:
    """A message from requester to helper or back; the other one gets an e-mail (without the sender's address)."""
    _require_signed_in(acting_user)
    if not errand.is_party(acting_user):
        raise PermissionDenied(_("Only the person who asked and the neighbour who helps can write here."))
    if errand.helper_id is None:
        raise ValidationError({"text": _("Messages are possible once a neighbour has accepted the request.")})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Please write a message.")})
    if len(text) > 1000:
        raise ValidationError({"text": _("Please keep the message under 1000 characters.")})
    comment = ErrandComment.objects.create(request=errand, author=acting_user, text=text)
    other = errand.helper_id if acting_user.pk == errand.requester_id else errand.requester_id
    notifications.notify_errand_step(errand_id=errand.pk, step="comment", recipient_id=other, actor_id=acting_user.pk)
    return comment


# --- abuse protection ---------------------------------------------------------------------


@transaction.atomic
def errand_report_create(*, errand: ErrandRequest, acting_user: Any, reason: str) -> ErrandReport:
    """Tell the moderators about an abusive request; they get an e-mail."""
    _require_signed_in(acting_user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please tell the moderators what is wrong with this request.")})
    if len(reason) > 1000:
        raise ValidationError({"reason": _("Please keep it under 1000 characters.")})
    if errand.requester_id == acting_user.pk:
        raise ValidationError({"reason": _("You cannot report your own request.")})
    try:
        with transaction.atomic():
            report = ErrandReport.objects.create(request=errand, reporter=acting_user, reason=reason)
    except IntegrityError:
        raise ValidationError({"reason": _("You have already reported this request.")}) from None
    notifications.notify_moderators_of_report(report_id=report.pk)
    return report


def _require_moderator(user: Any) -> None:
    if not (getattr(user, "is_authenticated", False) and user.is_moderator):
        raise PermissionDenied(_("Only moderators can do this."))


@transaction.atomic
def errand_request_hide(*, errand: ErrandRequest, acting_user: Any) -> ErrandRequest:
    """Moderators take a request out of every list; its open reports count as handled."""
    _require_moderator(acting_user)
    ErrandRequest.objects.filter(pk=errand.pk).update(is_hidden=True, updated_at=timezone.now())
    errand.reports.filter(resolved_at__isnull=True).update(resolved_at=timezone.now(), resolved_by=acting_user)
    errand.is_hidden = True
    generation_bump("errands")  # update() sends no signal: the cached start-page widget must follow at once
    return errand


@transaction.atomic
def errand_request_restore(*, errand: ErrandRequest, acting_user: Any) -> ErrandRequest:
    """Show a request again (or keep it, closing its reports as unfounded)."""
    _require_moderator(acting_user)
    ErrandRequest.objects.filter(pk=errand.pk).update(is_hidden=False, updated_at=timezone.now())
    errand.reports.filter(resolved_at__isnull=True).update(resolved_at=timezone.now(), resolved_by=acting_user)
    errand.is_hidden = False
    generation_bump("errands")  # update() sends no signal: the cached start-page widget must follow at once
    return errand


@transaction.atomic
def user_block(*, acting_user: Any, blocked: Any) -> ErrandBlock:
    _require_signed_in(acting_user)
    if blocked is None or blocked.pk == acting_user.pk:
        raise ValidationError(_("You cannot block yourself."))
    block, _created = ErrandBlock.objects.get_or_create(blocker=acting_user, blocked=blocked)
    return block


@transaction.atomic
def user_unblock(*, block: ErrandBlock, acting_user: Any) -> None:
    if block.blocker_id != getattr(acting_user, "pk", None):
        raise PermissionDenied
    block.delete()


# --- trips ------------------------------------------------------------------------------------


@transaction.atomic
def trip_create(
    *,
    acting_user: Any,
    destination: str,
    departure_at: datetime,
    capacity: int,
    shop_name: str = "",
    business_id: int | None = None,
    ortsgemeinden: Iterable[Ortsgemeinde] = (),
    note: str = "",
    now: datetime | None = None,
) -> Trip:
    """Announce a trip others can join with their shopping lists."""
    _require_signed_in(acting_user)
    now = now or timezone.now()
    errors: dict[str, Any] = {}
    destination = " ".join((destination or "").split())
    if not destination:
        errors["destination"] = [_("Where are you going?")]
    if departure_at < now - PAST_GRACE:
        errors["departure_at"] = [_("The departure must lie in the future.")]
    elif departure_at > now + timedelta(days=MAX_DAYS_AHEAD):
        errors["departure_at"] = [_("You can announce trips at most %(days)d days ahead.") % {"days": MAX_DAYS_AHEAD}]
    limits = limits_get()
    is_new = acting_user.date_joined >= now - timedelta(days=limits.new_account_days)
    most = min(MAX_TRIP_CAPACITY, limits.new_account_acceptances_per_day) if is_new else MAX_TRIP_CAPACITY
    if not 1 <= (capacity or 0) <= most:
        errors["capacity"] = [_("Between 1 and %(most)d households can join a trip.") % {"most": most}]
    try:
        business_id, shop_name = _shop(business_id, shop_name, required=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    trip = Trip.objects.create(
        helper=acting_user,
        destination=destination[:120],
        business_id=business_id,
        shop_name=shop_name,
        departure_at=departure_at,
        capacity=capacity,
        note=(note or "").strip()[:1000],
    )
    trip.ortsgemeinden.set(list(ortsgemeinden))
    return trip


def trip_active_requests(trip: Trip):
    return trip.requests.filter(
        status__in=(ErrandStatus.ACCEPTED, ErrandStatus.BOUGHT, ErrandStatus.DELIVERED), helper_id=trip.helper_id
    )


@transaction.atomic
def trip_join(
    *,
    trip: Trip,
    acting_user: Any,
    items: str | Iterable[str],
    note: str = "",
    estimated_amount_cents: int | None = None,
    ortsgemeinde: Ortsgemeinde | None = None,
    now: datetime | None = None,
) -> ErrandRequest:
    """Join a trip with a shopping list: a request already accepted by the trip's helper, while places last."""
    _require_signed_in(acting_user)
    now = now or timezone.now()
    locked = Trip.objects.select_for_update().get(pk=trip.pk)  # places are counted one join at a time
    if locked.helper_id == acting_user.pk:
        raise ValidationError(_("This is your own trip."))
    if locked.is_cancelled:
        raise ValidationError(_("This trip was cancelled."))
    if locked.departure_at <= now:
        raise ValidationError(_("This trip has already left."))
    if _blocked(locked.helper_id, acting_user.pk):
        raise ValidationError(_("You cannot join this trip."))
    served = list(locked.ortsgemeinden.values_list("pk", flat=True))
    if served and (ortsgemeinde is None or ortsgemeinde.pk not in served):
        raise ValidationError(_("This trip does not bring things to your Ortsgemeinde."))
    active = trip_active_requests(locked)
    if active.filter(requester=acting_user).exists():
        raise ValidationError(_("You have already joined this trip."))
    if active.count() >= locked.capacity:
        raise ValidationError(_("This trip is full."))
    cleaned, errors = _collect(
        items=lambda: _clean_items(items), amount=lambda: _clean_amount(estimated_amount_cents, "estimated_amount")
    )
    if errors:
        raise ValidationError(errors)
    _check_daily_limit(acting_user, ErrandEventKind.CREATED, now=now)
    # The things are wanted on the day of the trip.
    day_end = timezone.localtime(locked.departure_at).replace(hour=23, minute=59, second=0, microsecond=0)
    errand = ErrandRequest.objects.create(
        requester=acting_user,
        helper_id=locked.helper_id,
        trip=locked,
        items=cleaned["items"],
        business_id=locked.business_id,
        shop_name=locked.shop_name or locked.destination,
        window_start=locked.departure_at,
        window_end=max(day_end, locked.departure_at + timedelta(hours=1)),
        ortsgemeinde=ortsgemeinde,
        note=(note or "").strip()[:1000],
        estimated_amount_cents=estimated_amount_cents,
        status=ErrandStatus.ACCEPTED,
    )
    _event(errand, acting_user, ErrandEventKind.CREATED)
    _event(errand, locked.helper, ErrandEventKind.ACCEPTED)
    notifications.notify_errand_step(errand_id=errand.pk, step="joined", recipient_id=locked.helper_id,
                                     actor_id=acting_user.pk)
    return errand


@transaction.atomic
def trip_cancel(*, trip: Trip, acting_user: Any) -> Trip:
    """The helper calls the trip off; requests not yet bought go back to the open list."""
    _require_signed_in(acting_user)
    locked = Trip.objects.select_for_update().get(pk=trip.pk)
    if locked.helper_id != acting_user.pk:
        raise PermissionDenied(_("Only the person who announced the trip can cancel it."))
    if locked.is_cancelled:
        raise ValidationError(_("This trip was cancelled."))
    locked.is_cancelled = True
    locked.save(update_fields=["is_cancelled"])
    for errand in locked.requests.filter(status=ErrandStatus.ACCEPTED, helper_id=acting_user.pk):
        errand_request_release(errand=errand, acting_user=acting_user)
    trip.is_cancelled = True
    return locked
