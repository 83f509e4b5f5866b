"""Writes for Suche & Biete: listings, relayed contact, saved searches.

Each service checks who acts, validates (ValidationError with field names the
forms know), and tells people through ``notifications.notify_user`` after the
transaction commits. Texts are stored as the plain text people typed and
escaped wherever they are shown; nothing a resident writes is ever marked safe.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from core.branding import town_url
from core.images import image_check, image_reencode
from core.names import display_name as display_name
from core.ratelimit import write_limit_check
from core.storage import delete_files_after_commit
from core.taxonomy.services import terms_seed
from core.taxonomy.spec import Taxonomy, TaxonomyTexts
from core.tenancy import current_town
from modules.marketplace.models import (
    DESCRIPTION_MAX_LENGTH,
    MAX_PHOTOS,
    MESSAGE_MAX_LENGTH,
    PUBLIC_STATUSES,
    TITLE_MAX_LENGTH,
    Category,
    ContactMessage,
    ContactThread,
    Listing,
    ListingKind,
    ListingPhoto,
    ListingStatus,
    ListingType,
    PriceMode,
    SavedSearch,
    SavedSearchHit,
)
from modules.marketplace.money import MAX_PRICE_CENTS
from modules.marketplace.notifications import SAVED_SEARCH_TOPIC, notify_user
from town.models import Organisation, Ortsgemeinde
from town.people_services import user_can_publish_for

DEFAULT_EXPIRY_DAYS = 30
MAX_EXPIRY_DAYS = 90
CONTACT_LIMIT_PER_HOUR = 10
REPLY_VALID_DAYS = 30
MAX_SAVED_SEARCHES = 20
PHOTO_MAX_SIDE = 1600  # pixels; enough for a listing photo

# --- who may do what ------------------------------------------------------------


def _require_active(user: Any) -> None:
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        raise PermissionDenied(_("Please sign in first."))


def user_can_edit(user: Any, listing: Listing) -> bool:
    """The person who posted it, or (for an organisation's listing) anyone who may publish for that organisation."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    if listing.owner_id == user.pk:
        return True
    return listing.organisation_id is not None and user_can_publish_for(user, listing.organisation)


def user_can_moderate(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_moderator)


def _require_edit(user: Any, listing: Listing) -> None:
    if not user_can_edit(user, listing):
        raise PermissionDenied(_("You may only change your own listings."))


def user_has_verified_email(user: Any) -> bool:
    """Replies are relayed to the account's address, so it must be proven to belong to the person."""
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


# --- validation -------------------------------------------------------------------


def _plain_text(value: str | None) -> str:
    # Keep line breaks, drop other control characters (they only ever come from pasting or attacks).
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or ch.isprintable()).strip()


def _validate_listing(listing: Listing, errors: dict[str, list[str]]) -> None:
    if not listing.title:
        errors.setdefault("title", []).append(_("Please give the listing a title."))
    elif len(listing.title) > TITLE_MAX_LENGTH:
        errors.setdefault("title", []).append(
            _("The title is too long (at most %(max)d characters).") % {"max": TITLE_MAX_LENGTH}
        )
    if not listing.description:
        errors.setdefault("description", []).append(_("Please describe what you offer or look for."))
    elif len(listing.description) > DESCRIPTION_MAX_LENGTH:
        errors.setdefault("description", []).append(
            _("The description is too long (at most %(max)d characters).") % {"max": DESCRIPTION_MAX_LENGTH}
        )
    if listing.kind not in ListingKind.values:
        errors.setdefault("kind", []).append(_("Choose whether you offer or look for something."))
    if listing.listing_type not in ListingType.values:
        errors.setdefault("listing_type", []).append(_("Choose a type."))
    _validate_price(listing, errors)


def _validate_price(listing: Listing, errors: dict[str, list[str]]) -> None:
    if listing.listing_type == ListingType.GIVE_AWAY:
        # Giving away is free by definition; whatever the form said about a price is dropped.
        listing.price_mode, listing.price_cents = PriceMode.FREE, None
        return
    cents = listing.price_cents
    if cents is not None and cents < 0:
        errors.setdefault("price", []).append(_("A price cannot be below zero."))
        return
    if cents is not None and cents > MAX_PRICE_CENTS:
        errors.setdefault("price", []).append(_("This price is too high."))
        return
    if listing.price_mode not in PriceMode.values:
        errors.setdefault("price_mode", []).append(_("Choose how the price works."))
    elif listing.price_mode == PriceMode.FIXED and cents is None:
        errors.setdefault("price", []).append(_("Enter the price, or choose “Price negotiable”."))
    elif listing.price_mode in (PriceMode.FREE, PriceMode.NONE):
        listing.price_cents = None
    if listing.listing_type == ListingType.SELL and listing.price_mode not in (PriceMode.FIXED, PriceMode.NEGOTIABLE):
        errors.setdefault("price_mode", []).append(
            _("Something for sale needs a price or “Price negotiable”; to give it away, choose “Give away”.")
        )


def _validate_expiry(expires_at: datetime, errors: dict[str, list[str]]) -> None:
    now = timezone.now()
    if expires_at <= now:
        errors.setdefault("expires_on", []).append(_("This date has passed. Choose a day in the future."))
    # One day of slack: the form picks the end of a day, which can lie a little beyond 90 × 24 hours.
    elif expires_at > now + timedelta(days=MAX_EXPIRY_DAYS + 1):
        errors.setdefault("expires_on", []).append(
            _("A listing can stay online for at most %(days)d days.") % {"days": MAX_EXPIRY_DAYS}
        )


def _validate_photos(photos: Sequence[Any], existing: int, errors: dict[str, list[str]]) -> None:
    if existing + len(photos) > MAX_PHOTOS:
        errors.setdefault("photos", []).append(_("At most %(max)d photos per listing.") % {"max": MAX_PHOTOS})
        return
    for photo in photos:
        try:
            image_check(photo)
        except ValidationError as error:
            errors.setdefault("photos", []).extend(f"{photo.name}: {message}" for message in error.messages)


def _search_index_update(listing: Listing) -> None:
    Listing.objects.filter(pk=listing.pk).update(
        search_vector=SearchVector("title", weight="A", config="german")
        + SearchVector("description", weight="B", config="german")
    )


def _store_photos(listing: Listing, photos: Sequence[Any], alt: str) -> None:
    start = listing.photos.count()
    description = _plain_text(alt)[:200] or listing.title[:200]
    for offset, photo in enumerate(photos):
        number = start + offset + 1
        ListingPhoto.objects.create(
            listing=listing,
            image=image_reencode(photo, max_side=PHOTO_MAX_SIDE),
            alt=_("%(description)s (photo %(number)d)") % {"description": description, "number": number},
            position=number,
        )


def _announce(listing: Listing) -> None:
    """content_published for the platform, and the saved-search mails, both committed with the listing."""
    from core.outbox import outbox_enqueue
    from core.signals import content_published

    tenant = current_town()
    listing_id = listing.pk
    ortsgemeinde_ids = [listing.ortsgemeinde_id] if listing.ortsgemeinde_id else []

    # Inside the transaction: both go through the outbox, whose rows commit with the listing.
    content_published.send(
        sender=tenant, kind="marketplace.listing", object_id=listing_id, ortsgemeinde_ids=ortsgemeinde_ids
    )
    outbox_enqueue("marketplace.notify_saved_searches", args=[listing_id])


def _url(name: str, **kwargs: Any) -> str:
    return town_url(reverse(name, kwargs=kwargs))


# --- listings -----------------------------------------------------------------------


def default_expiry() -> datetime:
    return timezone.now() + timedelta(days=DEFAULT_EXPIRY_DAYS)


@transaction.atomic
def listing_create(
    *,
    acting_user: Any,
    kind: str,
    listing_type: str,
    title: str,
    description: str,
    category: Category | None = None,
    price_mode: str = PriceMode.NONE,
    price_cents: int | None = None,
    ortsgemeinde: Ortsgemeinde | None = None,
    organisation: Organisation | None = None,
    expires_at: datetime | None = None,
    photos: Sequence[Any] = (),
    photo_alt: str = "",
) -> Listing:
    """Publish a listing right away (visible until `expires_at`, by default in 30 days)."""
    _require_active(acting_user)
    if organisation is not None and not user_can_publish_for(acting_user, organisation):
        raise PermissionDenied(_("You may not post for this organisation."))
    listing = Listing(
        kind=kind,
        listing_type=listing_type,
        title=_plain_text(title),
        description=_plain_text(description),
        category=category,
        price_mode=price_mode,
        price_cents=price_cents,
        ortsgemeinde=ortsgemeinde,
        organisation=organisation,
        owner=acting_user,
        expires_at=expires_at or default_expiry(),
    )
    errors: dict[str, list[str]] = {}
    _validate_listing(listing, errors)
    _validate_expiry(listing.expires_at, errors)
    _validate_photos(photos, 0, errors)
    if errors:
        raise ValidationError(errors)
    write_limit_check("marketplace.listing", acting_user, what=_("listings"))
    listing.save()
    _store_photos(listing, photos, photo_alt)
    _search_index_update(listing)
    _announce(listing)
    return listing


_EDITABLE = (
    "kind", "listing_type", "title", "description", "category", "price_mode", "price_cents", "ortsgemeinde",
    "expires_at",
)


@transaction.atomic
def listing_update(*, listing: Listing, acting_user: Any, data: dict[str, Any]) -> Listing:
    """Change a listing. `data` holds any of the editable fields, plus `photos` (new uploads),
    `photo_alt` and `remove_photo_ids`."""
    _require_edit(acting_user, listing)
    if listing.status == ListingStatus.REMOVED:
        raise PermissionDenied(_("A moderator removed this listing; it can no longer be changed."))
    for field in _EDITABLE:
        if field in data:
            value = data[field]
            if field in ("title", "description"):
                value = _plain_text(value)
            setattr(listing, field, value)
    remove_ids = set(data.get("remove_photo_ids") or ())
    kept = listing.photos.exclude(pk__in=remove_ids).count()
    photos = list(data.get("photos") or ())
    errors: dict[str, list[str]] = {}
    _validate_listing(listing, errors)
    if "expires_at" in data:
        _validate_expiry(listing.expires_at, errors)
    _validate_photos(photos, kept, errors)
    if errors:
        raise ValidationError(errors)
    if "expires_at" in data and listing.status == ListingStatus.EXPIRED:
        listing.status, listing.expiry_notified_at = ListingStatus.ACTIVE, None
    listing.save()
    if remove_ids:
        removed = list(listing.photos.filter(pk__in=remove_ids))
        storage = ListingPhoto._meta.get_field("image").storage
        delete_files_after_commit(storage, [photo.image.name for photo in removed])
        listing.photos.filter(pk__in=[photo.pk for photo in removed]).delete()
    _store_photos(listing, photos, data.get("photo_alt", ""))
    _search_index_update(listing)
    return listing


@transaction.atomic
def listing_set_status(*, listing: Listing, acting_user: Any, status: str) -> Listing:
    """Mark as reserved, done (given away, sold, found), or active again."""
    _require_edit(acting_user, listing)
    if status not in (ListingStatus.ACTIVE, ListingStatus.RESERVED, ListingStatus.DONE):
        raise ValidationError({"status": _("Unknown status.")})
    if listing.status in (ListingStatus.REMOVED, ListingStatus.EXPIRED):
        raise ValidationError({"status": _("Renew the listing first.")})
    listing.status = status
    listing.save(update_fields=["status", "updated_at"])
    return listing


@transaction.atomic
def listing_renew(*, listing: Listing, acting_user: Any, days: int = DEFAULT_EXPIRY_DAYS) -> Listing:
    """Put an expiring or expired listing online for another `days` days."""
    _require_edit(acting_user, listing)
    if listing.status in (ListingStatus.REMOVED, ListingStatus.DONE):
        raise ValidationError({"status": _("Only current or expired listings can be renewed.")})
    if not 1 <= days <= MAX_EXPIRY_DAYS:
        raise ValidationError({"days": _("Choose between 1 and %(days)d days.") % {"days": MAX_EXPIRY_DAYS}})
    listing.expires_at = timezone.now() + timedelta(days=days)
    if listing.status == ListingStatus.EXPIRED:
        listing.status = ListingStatus.ACTIVE
    listing.expiry_notified_at = None
    listing.save(update_fields=["expires_at", "status", "expiry_notified_at", "updated_at"])
    return listing


@transaction.atomic
def listing_delete(*, listing: Listing, acting_user: Any) -> None:
    _require_edit(acting_user, listing)
    storage = ListingPhoto._meta.get_field("image").storage
    delete_files_after_commit(storage, [photo.image.name for photo in listing.photos.all()])
    listing.delete()


@transaction.atomic
def listing_remove(*, listing: Listing, acting_user: Any, reason: str) -> Listing:
    """A moderator takes a listing down; the owner is told why."""
    if not user_can_moderate(acting_user):
        raise PermissionDenied(_("Only moderators can remove listings."))
    reason = _plain_text(reason)
    if not reason:
        raise ValidationError({"reason": _("Please tell the owner why the listing is removed.")})
    if len(reason) > MESSAGE_MAX_LENGTH:
        raise ValidationError({"reason": _("The reason is too long.")})
    listing.status = ListingStatus.REMOVED
    listing.removed_reason = reason
    listing.save(update_fields=["status", "removed_reason", "updated_at"])
    notify_user(
        user_id=listing.owner_id,
        subject=_("Your listing “%(title)s” was removed") % {"title": listing.title},
        template="marketplace/mail/listing_removed",
        context={"title": listing.title, "reason": reason, "list_url": _url("marketplace:listing-list")},
        # A removal is final, so one notice per listing.
        dedupe_key=f"marketplace.listing_removed:{listing.pk}",
        url=_url("marketplace:listing-list"),
    )
    return listing


@transaction.atomic
def listings_expire(*, now: datetime | None = None) -> list[int]:
    """Mark listings whose time is up as expired and mail each owner a renewal link, once.

    Safe to run concurrently and repeatedly: rows are locked (SKIP LOCKED), and an
    expired listing is not picked up again.
    """
    now = now or timezone.now()
    due = list(
        Listing.objects.select_for_update(skip_locked=True)
        .filter(status__in=PUBLIC_STATUSES, expires_at__lte=now)
        .order_by("expires_at", "pk")
    )
    for listing in due:
        listing.status = ListingStatus.EXPIRED
        listing.expiry_notified_at = now
        listing.save(update_fields=["status", "expiry_notified_at", "updated_at"])
        notify_user(
            user_id=listing.owner_id,
            subject=_("Your listing “%(title)s” has expired") % {"title": listing.title},
            template="marketplace/mail/listing_expired",
            context={"title": listing.title, "renew_url": _url("marketplace:listing-renew", pk=listing.pk)},
            # A renewed listing expires again later: each expiry date is its own notice.
            dedupe_key=f"marketplace.listing_expired:{listing.pk}:{listing.expires_at:%Y%m%d%H%M%S%f}",
            url=_url("marketplace:listing-renew", pk=listing.pk),
        )
    return [listing.pk for listing in due]


# --- relayed contact ------------------------------------------------------------------


def _rate_key(user_id: int) -> str:
    # The cache's key function adds the schema name, so the counter is per town (ISOLATION T6).
    return f"marketplace:contact:{user_id}:{int(time.time() // 3600)}"


def contact_limit_reached(user: Any) -> bool:
    return (cache.get(_rate_key(user.pk)) or 0) >= CONTACT_LIMIT_PER_HOUR


def _count_contact(user: Any) -> None:
    key = _rate_key(user.pk)
    cache.add(key, 0, 3600)
    try:
        cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, 3600)


def _message_text(body: str) -> str:
    body = _plain_text(body)
    if not body:
        raise ValidationError({"body": _("Please write a message.")})
    if len(body) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {"body": _("The message is too long (at most %(max)d characters).") % {"max": MESSAGE_MAX_LENGTH}}
        )
    return body


def _relay(message: ContactMessage, *, listing: Listing, author: Any, recipient_id: int) -> None:
    notify_user(
        user_id=recipient_id,
        subject=_("Message about “%(title)s”") % {"title": listing.title},
        template="marketplace/mail/contact_message",
        context={
            "title": listing.title,
            "listing_url": _url("marketplace:listing-detail", pk=listing.pk),
            "author": display_name(author),
            "body": message.body,
            "reply_url": _url("marketplace:contact-reply", token=message.reply_token),
            "reply_days": REPLY_VALID_DAYS,
            "first": not message.from_owner and message.thread.messages.count() == 1,
        },
        relay=True,
    )


@transaction.atomic
def contact_send(*, listing: Listing, sender: Any, body: str) -> ContactMessage:
    """An interested person writes to a listing's owner; the platform relays it by e-mail."""
    _require_active(sender)
    if not user_has_verified_email(sender):
        raise PermissionDenied(_("Please confirm your e-mail address first."))
    if listing.owner_id == sender.pk:
        raise ValidationError({"body": _("This is your own listing.")})
    if not listing.is_public:
        raise ValidationError({"body": _("This listing is no longer available.")})
    text = _message_text(body)
    if contact_limit_reached(sender):
        raise ValidationError({"body": ValidationError(
            _("You have sent many messages in the last hour. Please try again later."), code="rate_limited"
        )})
    thread, _created = ContactThread.objects.get_or_create(listing=listing, sender=sender)
    message = ContactMessage.objects.create(thread=thread, from_owner=False, body=text)
    _count_contact(sender)
    _relay(message, listing=listing, author=sender, recipient_id=listing.owner_id)
    return message


class ReplyLinkInvalid(LookupError):
    """No such reply token in this town."""


def reply_is_open(message: ContactMessage) -> bool:
    return message.reply_used_at is None and message.created_at > timezone.now() - timedelta(days=REPLY_VALID_DAYS)


@transaction.atomic
def contact_reply(*, token: str, body: str) -> ContactMessage:
    """Answer a relayed message through its one-time link; the answer is relayed the same way."""
    original = (
        ContactMessage.objects.select_for_update(of=("self",))
        .select_related("thread__listing__owner", "thread__sender")
        .filter(reply_token=token)
        .first()
    )
    if original is None:
        raise ReplyLinkInvalid(token)
    if not reply_is_open(original):
        raise ValidationError({"body": _("This reply link was used already or has expired.")}, code="used")
    text = _message_text(body)
    thread = original.thread
    from_owner = not original.from_owner
    author = thread.listing.owner if from_owner else thread.sender
    recipient = thread.sender if from_owner else thread.listing.owner
    if not (author.is_active and recipient.is_active):
        raise ValidationError({"body": _("This conversation has ended.")})
    original.reply_used_at = timezone.now()
    original.save(update_fields=["reply_used_at"])
    message = ContactMessage.objects.create(thread=thread, from_owner=from_owner, body=text)
    _relay(message, listing=thread.listing, author=author, recipient_id=recipient.pk)
    return message


# --- saved searches -------------------------------------------------------------------


@transaction.atomic
def saved_search_create(
    *,
    acting_user: Any,
    query: str = "",
    kind: str = "",
    listing_type: str = "",
    category: Category | None = None,
    ortsgemeinde: Ortsgemeinde | None = None,
    free_only: bool = False,
) -> SavedSearch:
    _require_active(acting_user)
    query = _plain_text(query)
    if len(query) > 200:
        raise ValidationError({"query": _("The search text is too long.")})
    if kind and kind not in ListingKind.values or listing_type and listing_type not in ListingType.values:
        raise ValidationError({"query": _("Unknown filter.")})
    if SavedSearch.objects.filter(user=acting_user).count() >= MAX_SAVED_SEARCHES:
        raise ValidationError(
            {"query": _("You have %(max)d saved searches; delete one first.") % {"max": MAX_SAVED_SEARCHES}}
        )
    return SavedSearch.objects.create(
        user=acting_user, query=query, kind=kind, listing_type=listing_type, category=category,
        ortsgemeinde=ortsgemeinde, free_only=free_only,
    )


@transaction.atomic
def saved_search_delete(*, saved_search: SavedSearch, acting_user: Any) -> None:
    if saved_search.user_id != getattr(acting_user, "pk", None):
        raise PermissionDenied
    saved_search.delete()


@transaction.atomic
def saved_search_unsubscribe(*, token: str) -> bool:
    """One-click unsubscribe from a mail: the token exists only in this town's schema."""
    deleted, _rows = SavedSearch.objects.filter(unsubscribe_token=token).delete()
    return deleted > 0


def saved_searches_matching(listing: Listing):
    """Saved searches (of other people) whose filters and text match `listing`, in one query."""
    qs = SavedSearch.objects.exclude(user_id=listing.owner_id).filter(user__is_active=True)
    qs = qs.filter(Q(kind="") | Q(kind=listing.kind), Q(listing_type="") | Q(listing_type=listing.listing_type))
    qs = qs.filter(Q(category__isnull=True) | Q(category_id=listing.category_id))
    if listing.ortsgemeinde_id is not None:
        # A town-wide listing (no village) matches every village's search, as in the list.
        qs = qs.filter(Q(ortsgemeinde__isnull=True) | Q(ortsgemeinde_id=listing.ortsgemeinde_id))
    if listing.price_mode != PriceMode.FREE:
        qs = qs.filter(free_only=False)
    text_matches = Listing.objects.filter(
        pk=listing.pk,
        search_vector=SearchQuery(OuterRef("query"), config="german", search_type="websearch"),
    )
    return qs.filter(Q(query="") | Exists(text_matches)).select_related("user")


@transaction.atomic
def saved_searches_notify(*, listing_id: int) -> int:
    """Mail every matching saved search about `listing_id`; a second run sends nothing new."""
    listing = Listing.objects.filter(pk=listing_id).select_related("category", "ortsgemeinde").first()
    if listing is None or not listing.is_public:
        return 0
    sent = 0
    for search in saved_searches_matching(listing):
        _hit, created = SavedSearchHit.objects.get_or_create(saved_search=search, listing=listing)
        if not created:
            continue
        notify_user(
            user_id=search.user_id,
            subject=_("New in Suche & Biete: %(title)s") % {"title": listing.title},
            template="marketplace/mail/saved_search_match",
            context={
                "title": listing.title,
                "kind": listing.get_kind_display(),
                "listing_type": listing.get_listing_type_display(),
                "price": listing.price_display,
                "place": listing.ortsgemeinde.name if listing.ortsgemeinde_id else "",
                "listing_url": _url("marketplace:listing-detail", pk=listing.pk),
                "search": search.query,
                "unsubscribe_url": _url("marketplace:saved-search-unsubscribe", token=search.unsubscribe_token),
            },
            dedupe_key=f"marketplace.saved_search:{search.pk}:{listing.pk}",
            url=_url("marketplace:listing-detail", pk=listing.pk),
            topic=SAVED_SEARCH_TOPIC,
        )
        sent += 1
    return sent


# --- categories (core.taxonomy) ------------------------------------------------------

CATEGORIES = Taxonomy(
    model=Category, app_name="marketplace", noun="category", path="manage/categories/", role="town_admin",
    texts=TaxonomyTexts(
        title=gettext_lazy("Marketplace categories"),
        deleted=gettext_lazy("The category is deleted; its listings are kept without a category."),
        usage=ngettext_lazy("%(count)d listing", "%(count)d listings", "count"),
    ),
    used_by="listings", delete_rule="detach", invalid_status=200,
    defaults=(
        "Haushalt", "Garten", "Kinder", "Kleidung", "Möbel", "Werkzeug", "Elektronik", "Bücher & Medien",
        "Hilfe & Nachbarschaft", "Sonstiges",
    ),
)


def categories_seed() -> None:
    """The usual categories, the first time the module is switched on."""
    terms_seed(CATEGORIES)
