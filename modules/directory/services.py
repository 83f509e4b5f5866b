"""Writes for the directory: every change to a business entry goes through here.

Each service checks that `acting_user` may act (the business's members run
its entry; moderators and the town admin approve, reject and may fix any
entry), validates, and keeps the search index current. Bad input raises
ValidationError with a message per field and changes nothing (every service
is one transaction).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.db.models import Value
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from core import opening_hours
from core.storage import delete_files_after_commit
from core.taxonomy.models import Term
from core.taxonomy.services import terms_seed
from core.taxonomy.spec import Taxonomy, TaxonomyTexts
from modules.directory import selectors
from modules.directory.images import photo_prepare
from modules.directory.models import (
    Business,
    BusinessCategory,
    BusinessPhoto,
    BusinessStatus,
    OpeningException,
    OpeningInterval,
    WeeklyOffer,
)
from town.models import MembershipRole, Organisation, OrganisationKind, OrganisationMembership
from town.people_services import organisation_create
from town.services import german_slugify

logger = logging.getLogger(__name__)

MAX_PHOTOS = 8
MAX_OFFERS = 5
# Paths under /directory/ and /api/v1/directory/businesses/ that a business slug must not shadow.
RESERVED_SLUGS = frozenset({"manage", "register", "api", "category", "categories", "mine", "applications"})


# --- who may do what -----------------------------------------------------------


def user_can_manage_business(user: Any, business: Business) -> bool:
    """Members of the business's organisation run its entry; moderators and admins may fix any entry.

    Before approval the applicant is not yet a member (membership would let them publish
    news in the organisation's name), but may already complete the entry.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_moderator:
        return True
    if business.status != BusinessStatus.APPROVED and business.applicant_id == user.pk:
        return True
    return OrganisationMembership.objects.filter(user=user, organisation_id=business.organisation_id).exists()


def _require_manage(user: Any, business: Business) -> None:
    if not user_can_manage_business(user, business):
        raise PermissionDenied(_("You may not change this business entry."))


def _require_moderator(user: Any) -> None:
    if not (getattr(user, "is_authenticated", False) and user.is_moderator):
        raise PermissionDenied(_("Only moderators and town administrators can review businesses."))


# --- slugs and search --------------------------------------------------------------


def _free_slug(name: str, *, exclude_pk: int | None = None) -> str:
    """A slug free both among businesses and organisations (the organisation carries the same one)."""
    # The organisation's slug holds 80 characters; the business uses the very same one.
    base = german_slugify(name)[:70].strip("-") or "betrieb"
    candidate, number = base, 1
    while (
        candidate in RESERVED_SLUGS
        or Business.objects.filter(slug=candidate).exclude(pk=exclude_pk).exists()
        or Organisation.objects.filter(slug=candidate).exists()
    ):
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _search_index_update(business: Business) -> None:
    categories = " ".join(business.categories.values_list("name", flat=True))
    place = " ".join(filter(None, [business.locality, business.ortsgemeinde.name if business.ortsgemeinde else ""]))
    Business.objects.filter(pk=business.pk).update(
        search_vector=SearchVector("name", weight="A", config="german")
        + SearchVector(Value(categories + " " + place), weight="B", config="german")
        + SearchVector("description", weight="C", config="german")
        + SearchVector("delivery_notes", weight="C", config="german")
    )


# --- the entry ---------------------------------------------------------------------

_TEXT_FIELDS = ("name", "description", "street", "postal_code", "locality", "phone", "website", "email",
                "delivery_notes")
_EDITABLE = _TEXT_FIELDS + ("ortsgemeinde", "latitude", "longitude", "delivers", "pickup", "is_published")


def _validate(business: Business) -> None:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not business.name.strip():
        add("name", _("Please enter the name of the business."))
    if business.website:
        try:
            URLValidator(schemes=["http", "https"])(business.website)
        except ValidationError:
            add("website", _("Enter a web address starting with https:// or http://."))
    if business.email:
        try:
            EmailValidator()(business.email)
        except ValidationError:
            add("email", _("Enter a valid e-mail address."))
    if business.postal_code and not (business.postal_code.isdigit() and len(business.postal_code) == 5):
        add("postal_code", _("Enter a five-digit postal code."))
    if (business.latitude is None) != (business.longitude is None):
        add("latitude", _("Enter both latitude and longitude, or neither."))
    if business.latitude is not None and not -90 <= business.latitude <= 90:
        add("latitude", _("The latitude must lie between -90 and 90."))
    if business.longitude is not None and not -180 <= business.longitude <= 180:
        add("longitude", _("The longitude must lie between -180 and 180."))
    for field in ("name", "street", "locality", "phone", "delivery_notes"):
        limit = Business._meta.get_field(field).max_length
        if len(getattr(business, field)) > limit:
            add(field, _("At most %(count)s characters, please.") % {"count": limit})
    if errors:
        raise ValidationError(errors)


def _coordinate(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError({field: _("Enter a number such as 50.704520.")}) from None
    if not number.is_finite():
        raise ValidationError({field: _("Enter a number such as 50.704520.")})
    return number.quantize(Decimal("0.000001"))


def _apply(business: Business, data: dict[str, Any]) -> None:
    for field in _EDITABLE:
        if field not in data:
            continue
        value = data[field]
        if field in _TEXT_FIELDS:
            value = (value or "").strip()
        elif field in ("latitude", "longitude"):
            value = _coordinate(value, field)
        elif field in ("delivers", "pickup", "is_published"):
            value = bool(value)
        setattr(business, field, value)


@transaction.atomic
def business_register(
    *,
    acting_user: Any,
    name: str,
    categories: Iterable[BusinessCategory] = (),
    **data: Any,
) -> Business:
    """Apply for an entry: a business organisation (not yet approved) applied for by `acting_user`.

    The entry stays invisible until a moderator or the town admin approves it; only then
    does the applicant become the organisation's manager (see user_can_manage_business).
    """
    if not getattr(acting_user, "is_authenticated", False) or not acting_user.is_active:
        raise PermissionDenied(_("Please sign in to register a business."))
    business = Business(name=(name or "").strip(), applicant=acting_user, status=BusinessStatus.PENDING)
    _apply(business, data)
    _validate(business)
    business.slug = _free_slug(business.name)
    organisation = organisation_create(
        acting_user=acting_user,
        name=business.name[:150],
        slug=business.slug,
        kind=OrganisationKind.BUSINESS,
        website=business.website,
        email=business.email,
        phone=business.phone,
        ortsgemeinde=business.ortsgemeinde,
    )
    # organisation_create takes only profile fields; approval is the town's decision, made later.
    Organisation.objects.filter(pk=organisation.pk).update(is_approved=False)
    business.organisation = organisation
    business.save()
    business.categories.set(list(categories))
    _search_index_update(business)
    business_id = business.pk
    _notify("application", business_id)
    logger.info("business %s registered by user %s", business.pk, acting_user.pk)
    return business


@transaction.atomic
def business_update(*, business: Business, acting_user: Any, data: dict[str, Any]) -> Business:
    """Change the entry. `data` holds any of the editable fields and `categories`. The slug stays."""
    _require_manage(acting_user, business)
    _apply(business, data)
    _validate(business)
    business.save()
    if "categories" in data:
        business.categories.set(list(data["categories"]))
    Organisation.objects.filter(pk=business.organisation_id).update(
        name=business.name[:150], website=business.website, email=business.email, phone=business.phone,
        ortsgemeinde=business.ortsgemeinde,
    )
    _search_index_update(business)
    selectors.hours_changed()
    return business


@transaction.atomic
def business_approve(*, business: Business, acting_user: Any) -> Business:
    _require_moderator(acting_user)
    business.status = BusinessStatus.APPROVED
    business.rejection_reason = ""
    business.reviewed_by = acting_user
    business.reviewed_at = timezone.now()
    business.save(update_fields=["status", "rejection_reason", "reviewed_by", "reviewed_at", "updated_at"])
    Organisation.objects.filter(pk=business.organisation_id).update(is_approved=True)
    applicant = business.applicant
    if applicant is not None and applicant.is_active:
        OrganisationMembership.objects.get_or_create(
            organisation_id=business.organisation_id, user=applicant, defaults={"role": MembershipRole.MANAGER}
        )
    business_id = business.pk
    _notify("approved", business_id)
    _announce(business)
    selectors.hours_changed()
    logger.info("business %s approved by %s", business.pk, acting_user.pk)
    return business


@transaction.atomic
def business_reject(*, business: Business, acting_user: Any, reason: str) -> Business:
    """Refuse the entry; the applicant gets the reason by e-mail and may correct and resubmit."""
    _require_moderator(acting_user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please tell the applicant why, so they can correct it.")})
    business.status = BusinessStatus.REJECTED
    business.rejection_reason = reason
    business.reviewed_by = acting_user
    business.reviewed_at = timezone.now()
    business.save(update_fields=["status", "rejection_reason", "reviewed_by", "reviewed_at", "updated_at"])
    Organisation.objects.filter(pk=business.organisation_id).update(is_approved=False)
    business_id = business.pk
    _notify("rejected", business_id)
    selectors.hours_changed()
    logger.info("business %s rejected by %s", business.pk, acting_user.pk)
    return business


@transaction.atomic
def business_resubmit(*, business: Business, acting_user: Any) -> Business:
    """After a rejection, ask the town again (usually after correcting the entry)."""
    _require_manage(acting_user, business)
    if business.status != BusinessStatus.REJECTED:
        raise ValidationError(_("Only a rejected entry can be submitted again."))
    business.status = BusinessStatus.PENDING
    business.save(update_fields=["status", "updated_at"])
    business_id = business.pk
    _notify("application", business_id)
    return business


def _announce(business: Business) -> None:
    from django.db import connection

    from core.signals import content_published

    tenant = connection.tenant
    business_id = business.pk
    ortsgemeinde_ids = [business.ortsgemeinde_id] if business.ortsgemeinde_id else []
    if getattr(tenant, "pk", None) is None:
        return  # a bare schema_context() (management scripts): nobody to tell
    # Inside the transaction: the notifications module's outbox row commits with the business.
    content_published.send(
        sender=tenant, kind="directory.business", object_id=business_id, ortsgemeinde_ids=ortsgemeinde_ids
    )


def _notify(event: str, business_id: int) -> None:
    from core.outbox import outbox_enqueue

    # Committed with the caller's change; the worker gets it even after a broker outage.
    outbox_enqueue("directory.notify", args=[event, business_id])


# --- opening hours -----------------------------------------------------------------


def _interval_label(interval: opening_hours.Interval) -> str:
    from modules.directory.models import Weekday

    return f"{Weekday(interval.weekday).label} {interval.opens:%H:%M}–{interval.closes:%H:%M}"


def opening_hours_problems(intervals: Sequence[opening_hours.Interval]) -> list[str]:
    """Messages for people about what is wrong with this week of opening hours (empty: fine)."""
    messages = []
    for problem in opening_hours.intervals_problems(intervals):
        code, index = problem.split(":")
        label = _interval_label(intervals[int(index)])
        if code == "inverted":
            messages.append(
                _("%(interval)s: closes before it opens. If it closes after midnight, tick "
                  "“closes after midnight”.") % {"interval": label}
            )
        elif code == "too-long":
            messages.append(_("%(interval)s: an interval past midnight can last at most 24 hours.")
                            % {"interval": label})
        else:
            messages.append(_("%(interval)s overlaps another interval.") % {"interval": label})
    return messages


@transaction.atomic
def opening_hours_replace(
    *, business: Business, acting_user: Any, intervals: Sequence[opening_hours.Interval]
) -> list[OpeningInterval]:
    """Replace the whole week of regular hours at once (so no half-saved, overlapping state exists)."""
    _require_manage(acting_user, business)
    for interval in intervals:
        if interval.weekday not in range(7):
            raise ValidationError(_("Unknown weekday."))
    problems = opening_hours_problems(intervals)
    if problems:
        raise ValidationError(problems)
    business.opening_intervals.all().delete()
    rows = OpeningInterval.objects.bulk_create(
        OpeningInterval(business=business, weekday=i.weekday, opens=i.opens, closes=i.closes,
                        closes_next_day=i.closes_next_day)
        for i in intervals
    )
    Business.objects.filter(pk=business.pk).update(updated_at=timezone.now())
    selectors.hours_changed()
    return rows


@transaction.atomic
def opening_exception_add(
    *,
    business: Business,
    acting_user: Any,
    start_date: date,
    end_date: date | None = None,
    closed: bool = True,
    opens: Any = None,
    closes: Any = None,
    closes_next_day: bool = False,
    note: str = "",
) -> OpeningException:
    """A holiday (closed from/until) or special hours on a date range."""
    _require_manage(acting_user, business)
    end_date = end_date or start_date
    errors: dict[str, list[str]] = {}
    if end_date < start_date:
        errors["end_date"] = [_("The last day cannot lie before the first day.")]
    if (end_date - start_date).days > 366:
        errors["end_date"] = [_("An exception can last at most one year.")]
    if end_date < opening_hours.local_time(timezone.now()).date():
        errors["end_date"] = [_("This period is already over.")]
    if not closed:
        if opens is None or closes is None:
            errors["opens"] = [_("Enter the special opening and closing times, or tick “closed”.")]
        elif closes_next_day and closes > opens:
            errors["closes"] = [_("An interval past midnight can last at most 24 hours.")]
        elif not closes_next_day and closes <= opens:
            errors["closes"] = [
                _("Closes before it opens. If it closes after midnight, tick “closes after midnight”.")
            ]
    if len(note) > 200:
        errors["note"] = [_("At most %(count)s characters, please.") % {"count": 200}]
    if errors:
        raise ValidationError(errors)
    exception = OpeningException.objects.create(
        business=business, start_date=start_date, end_date=end_date, closed=closed,
        opens=None if closed else opens, closes=None if closed else closes,
        closes_next_day=False if closed else closes_next_day, note=note.strip(),
    )
    Business.objects.filter(pk=business.pk).update(updated_at=timezone.now())
    selectors.hours_changed()
    return exception


@transaction.atomic
def opening_exception_delete(*, exception: OpeningException, acting_user: Any) -> None:
    _require_manage(acting_user, exception.business)
    exception.delete()
    Business.objects.filter(pk=exception.business_id).update(updated_at=timezone.now())
    selectors.hours_changed()


# --- photos ------------------------------------------------------------------------


@transaction.atomic
def photo_add(*, business: Business, acting_user: Any, image: Any, alt: str) -> BusinessPhoto:
    """Store a re-encoded copy (no EXIF/GPS, random name). A description is required."""
    _require_manage(acting_user, business)
    alt = (alt or "").strip()
    errors: dict[str, list[str]] = {}
    if not alt:
        errors["alt"] = [_("Describe the photo for people who cannot see it.")]
    if business.photos.count() >= MAX_PHOTOS:
        errors["image"] = [_("At most %(count)s photos per business.") % {"count": MAX_PHOTOS}]
    if not errors:
        try:
            prepared = photo_prepare(image)
        except ValidationError as error:
            errors["image"] = error.messages
    if errors:
        raise ValidationError(errors)
    last = business.photos.order_by("-position").values_list("position", flat=True).first() or 0
    photo = BusinessPhoto.objects.create(business=business, image=prepared, alt=alt[:250], position=last + 10)
    Business.objects.filter(pk=business.pk).update(updated_at=timezone.now())
    return photo


@transaction.atomic
def photo_delete(*, photo: BusinessPhoto, acting_user: Any) -> None:
    _require_manage(acting_user, photo.business)
    name = photo.image.name
    storage = photo.image.storage
    photo.delete()
    Business.objects.filter(pk=photo.business_id).update(updated_at=timezone.now())
    delete_files_after_commit(storage, [name])


# --- offers of the week ------------------------------------------------------------------


@transaction.atomic
def offer_add(
    *, business: Business, acting_user: Any, title: str, valid_until: date, description: str = "", price: str = ""
) -> WeeklyOffer:
    _require_manage(acting_user, business)
    title, description, price = (title or "").strip(), (description or "").strip(), (price or "").strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Please give the offer a title.")]
    elif len(title) > 150:
        errors["title"] = [_("At most %(count)s characters, please.") % {"count": 150}]
    if len(price) > 60:
        errors["price"] = [_("At most %(count)s characters, please.") % {"count": 60}]
    today = opening_hours.local_time(timezone.now()).date()
    if valid_until is None or valid_until < today:
        errors["valid_until"] = [_("The end date cannot lie in the past.")]
    elif (valid_until - today).days > 60:
        errors["valid_until"] = [_("An offer can run for at most 60 days.")]
    if business.offers.filter(valid_until__gte=today).count() >= MAX_OFFERS:
        errors["title"] = [_("At most %(count)s current offers per business.") % {"count": MAX_OFFERS}]
    if errors:
        raise ValidationError(errors)
    offer = WeeklyOffer.objects.create(
        business=business, title=title, description=description, price=price, valid_until=valid_until
    )
    Business.objects.filter(pk=business.pk).update(updated_at=timezone.now())
    return offer


@transaction.atomic
def offer_delete(*, offer: WeeklyOffer, acting_user: Any) -> None:
    _require_manage(acting_user, offer.business)
    offer.delete()
    Business.objects.filter(pk=offer.business_id).update(updated_at=timezone.now())


# --- categories (core.taxonomy) ------------------------------------------------------


def _category_renamed(category: Term) -> None:
    # The search index holds the category names of each business.
    for business in Business.objects.filter(categories=category).select_related("ortsgemeinde"):
        _search_index_update(business)


CATEGORIES = Taxonomy(
    model=BusinessCategory, app_name="directory", noun="category", path="manage/categories/", role="town_admin",
    texts=TaxonomyTexts(
        title=gettext_lazy("Business categories"),
        deleted=gettext_lazy("The category is deleted; its businesses are kept without it."),
        usage=ngettext_lazy("%(count)d business", "%(count)d businesses", "count"),
    ),
    used_by="businesses", delete_rule="detach", fallback_slug="branche", on_rename=_category_renamed,
    defaults=(
        "Bäckerei",
        "Metzgerei",
        "Hofladen",
        "Lebensmittel",
        "Handwerk",
        "Ärzte & Gesundheit",
        "Dienstleistungen",
        "Gastronomie",
    ),
)


def categories_seed() -> None:
    """The usual branches the first time the directory is switched on."""
    terms_seed(CATEGORIES)

