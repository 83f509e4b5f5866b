"""Suche & Biete (core.personal_data).

- marketplace.Listing (``owner``) with its ListingPhotos
  export: title, text, price, status, dates, photos
  erase: her own listings are deleted with their photos (files after commit), and so the contact threads on
    them; listings she posted on behalf of an organisation are the organisation's (its other editors run
    them, as with news) and stay, under the emptied account
- marketplace.ContactThread they started
  export: listing title, date
  erase: **kept, anonymised**: the owner keeps the messages they received; the sender is the emptied account
- marketplace.ContactMessage they wrote
  export: text, date (never the other side's)
  erase: kept with the thread; open reply links to them are used up, so nobody writes to the emptied account
- marketplace.SavedSearch (+ SavedSearchHit)
  export: search words and filters
  erase: deleted
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from core.storage import delete_files_after_commit
from modules.marketplace.models import ContactMessage, ContactThread, Listing, ListingPhoto, SavedSearch


def export(user: Any) -> dict[str, Any]:
    listings = list(Listing.objects.filter(owner=user).prefetch_related("photos").order_by("pk"))
    # Their own words only: the owner's answers in threads they started, and the interested
    # people's messages on their listings, are the other person's.
    written = ContactMessage.objects.filter(
        Q(thread__sender=user, from_owner=False) | Q(thread__listing__owner=user, from_owner=True)
    )
    return {
        "listings": [
            {"id": listing.pk, "kind": listing.kind, "listing_type": listing.listing_type, "title": listing.title,
             "description": listing.description, "price_mode": listing.price_mode,
             "price_cents": listing.price_cents, "currency": listing.currency, "status": listing.status,
             "created_at": listing.created_at, "expires_at": listing.expires_at,
             "photos": [{"file": photo.image.name, "alt": photo.alt} for photo in listing.photos.all()]}
            for listing in listings
        ],
        "contacts_started": list(ContactThread.objects.filter(sender=user).order_by("pk")
                                 .values("listing__title", "created_at")),
        "messages_written": list(written.order_by("pk").values("thread_id", "body", "created_at")),
        "saved_searches": list(SavedSearch.objects.filter(user=user).order_by("pk").values(
            "query", "kind", "listing_type", "category__name", "ortsgemeinde__name", "free_only", "created_at")),
        "files": [photo.image.name for listing in listings for photo in listing.photos.all()],
    }


def erase(user: Any) -> None:
    own = Listing.objects.filter(owner=user, organisation__isnull=True)
    photos = ListingPhoto.objects.filter(listing__in=own).values_list("image", flat=True)
    delete_files_after_commit(ListingPhoto._meta.get_field("image").storage, list(photos))
    own.delete()
    ContactMessage.objects.filter(thread__sender=user, from_owner=True, reply_used_at__isnull=True).update(
        reply_used_at=timezone.now()
    )
    SavedSearch.objects.filter(user=user).delete()
