"""Pages of Suche & Biete: list, detail, posting, relayed contact, saved searches, moderation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from billing.facade import active_promotions
from core.access import role_required
from core.forms import apply_service_errors
from core.paging import page_of
from modules.conversations.facade import conversation_open, conversations_enabled
from modules.marketplace import selectors, services
from modules.marketplace.forms import (
    ContactForm,
    ListingFilterForm,
    ListingForm,
    RemoveForm,
    ReplyForm,
)
from modules.marketplace.models import Listing, ListingKind, ListingStatus, ListingType
from town.selectors import ortsgemeinde_list, user_ortsgemeinde_id

LIST_PAGE_SIZE = 20
HOME_WIDGET_SIZE = 4
PROMOTION_SLOT = "marketplace.top"


def messages_module_available() -> bool:
    """Contact opens a conversation in Messages when the town has it on; otherwise the e-mail relay."""
    return conversations_enabled()


def _contact_form(data: Any = None, *, via_messages: bool) -> ContactForm:
    form = ContactForm(data)
    if via_messages:
        form.fields["body"].help_text = _(
            "Your message opens a conversation with the owner in Messages; the answer appears there. "
            "Neither of you sees the other's e-mail address."
        )
    return form


def _contact_via_messages(*, listing: Listing, sender: Any, body: str) -> str:
    """Write to the owner through Messages; returns the conversation's path. Raises like the conversation page."""
    if listing.owner_id == sender.pk:
        raise ValidationError({"body": _("This is your own listing.")})
    try:
        # "Suche & Biete" is the section's name in every language; the label is stored with the message.
        return conversation_open(
            sender=sender, recipient_id=listing.owner_id, text=body, context_label=f"Suche & Biete: {listing.title}"
        )
    except ValidationError as error:
        if hasattr(error, "error_dict") and "text" in error.error_dict:
            raise ValidationError({"body": error.error_dict["text"]}) from None
        raise


# --- public pages ---------------------------------------------------------------------


def _filters(params: Any) -> tuple[ListingFilterForm, dict[str, Any], Any]:
    categories = selectors.category_list()
    ortsgemeinden = ortsgemeinde_list()
    form = ListingFilterForm(params, categories=categories, ortsgemeinden=ortsgemeinden)
    form.is_valid()  # a bad value is dropped from cleaned_data; the valid ones still apply
    data = form.cleaned_data
    ortsgemeinde = next((o for o in ortsgemeinden if o.slug == data.get("ortsgemeinde")), None)
    category = next((c for c in categories if c.slug == data.get("category")), None)
    return form, data, (ortsgemeinde, category)


@require_GET
def listing_list(request: HttpRequest) -> HttpResponse:
    form, data, (ortsgemeinde, category) = _filters(request.GET)
    listings = selectors.listing_list_public(
        search=data.get("q") or None,
        kind=data.get("kind") or None,
        listing_type=data.get("listing_type") or None,
        category_slug=category.slug if category else None,
        ortsgemeinde_id=ortsgemeinde.pk if ortsgemeinde else None,
        free_only=bool(data.get("free")),
    )
    # "Older listings" needs no COUNT; a search says how many so far, or "more than" while more follow.
    page = page_of(listings, LIST_PAGE_SIZE, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    has_filters = any(data.get(name) for name in ("q", "kind", "listing_type", "category", "ortsgemeinde", "free"))
    return render(
        request,
        "marketplace/listing_list.html",
        {
            "form": form,
            "page": page,
            "listings": page.object_list,
            "found": (page.number - 1) * LIST_PAGE_SIZE + len(page.object_list),
            "query": query.urlencode(),
            "search": data.get("q") or "",
            "filters": {
                "q": data.get("q") or "", "kind": data.get("kind") or "",
                "listing_type": data.get("listing_type") or "",
                "category": category.slug if category else "",
                "ortsgemeinde": ortsgemeinde.slug if ortsgemeinde else "",
                "free": bool(data.get("free")),
            },
            "has_filters": has_filters,
            "promotions": active_promotions(slot_key=PROMOTION_SLOT),
        },
    )


@require_GET
def listing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    listing = selectors.listing_get_public(pk=pk)
    can_edit = False
    if listing is None:
        # Owners and moderators still see done, expired and removed listings; everyone else gets a 404.
        listing = selectors.listing_get(pk=pk)
        if listing is None or not (
            services.user_can_edit(request.user, listing) or services.user_can_moderate(request.user)
        ):
            raise Http404
    can_edit = services.user_can_edit(request.user, listing)
    return render(
        request,
        "marketplace/listing_detail.html",
        {
            "listing": listing,
            "can_edit": can_edit,
            "can_moderate": services.user_can_moderate(request.user) and listing.status != ListingStatus.REMOVED,
            "can_contact": listing.is_public and request.user != listing.owner and not can_edit,
            "contact_form": _contact_form(via_messages=messages_module_available()),
            "author": listing.organisation.name if listing.organisation_id else services.display_name(listing.owner),
        },
    )


def home_widget(request: HttpRequest) -> str:
    """The start page: newest listings in the resident's village, and the newest of the rest of the town."""
    home_id = user_ortsgemeinde_id(request.user)
    nearby, town_wide = selectors.listing_list_home(ortsgemeinde_id=home_id, limit=HOME_WIDGET_SIZE)
    if not nearby and not town_wide:
        return ""
    place = nearby[0].ortsgemeinde if nearby else None
    return render_to_string(
        "marketplace/widget.html", {"nearby": nearby, "town_wide": town_wide, "place": place}, request=request
    )


# --- contact ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def listing_contact(request: HttpRequest, pk: int) -> HttpResponse:
    listing = selectors.listing_get_public(pk=pk)
    if listing is None:
        raise Http404
    if not services.user_has_verified_email(request.user):
        raise PermissionDenied(_("Please confirm your e-mail address first."))
    via_messages = messages_module_available()
    form = _contact_form(request.POST or None, via_messages=via_messages)
    if request.method == "POST" and form.is_valid() and via_messages:
        try:
            path = _contact_via_messages(listing=listing, sender=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            apply_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your message is sent. You find the conversation and the answer in Messages."))
            return redirect(path)
    elif request.method == "POST" and form.is_valid():
        try:
            services.contact_send(listing=listing, sender=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your message is on its way. The answer will reach you by e-mail; your address stays hidden."),
            )
            return redirect(listing.get_absolute_url())
    status = 400 if form.errors else 200
    return render(request, "marketplace/contact.html", {"listing": listing, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
def contact_reply(request: HttpRequest, token: str) -> HttpResponse:
    message = selectors.contact_message_by_token(token=token)
    if message is None:
        raise Http404
    listing = message.thread.listing
    form = ReplyForm(request.POST or None)
    is_open = services.reply_is_open(message)
    if request.method == "POST" and is_open and form.is_valid():
        try:
            services.contact_reply(token=token, body=form.cleaned_data["body"])
        except services.ReplyLinkInvalid:
            raise Http404 from None
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return render(request, "marketplace/reply_sent.html", {"listing": listing})
    author = listing.owner if message.from_owner else message.thread.sender
    return render(
        request,
        "marketplace/reply.html",
        {"listing": listing, "message": message, "form": form, "is_open": is_open,
         "author": services.display_name(author)},
        status=400 if form.errors else 200,
    )


# --- posting and managing listings ---------------------------------------------------


def _own_listing(request: HttpRequest, pk: int) -> Listing:
    listing = selectors.listing_get(pk=pk)
    if listing is None:
        raise Http404
    if not services.user_can_edit(request.user, listing):
        raise PermissionDenied
    return listing


@login_required
@require_http_methods(["GET", "POST"])
def listing_create(request: HttpRequest) -> HttpResponse:
    form = ListingForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            listing = services.listing_create(acting_user=request.user, **form.service_data())
        except ValidationError as error:
            apply_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("You may not do this."))
        else:
            messages.success(request, _("Your listing is online."))
            return redirect(listing.get_absolute_url())
    return render(request, "marketplace/listing_form.html", {"form": form, "listing": None},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def listing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _own_listing(request, pk)
    form = ListingForm(request.POST or None, request.FILES or None, user=request.user, listing=listing)
    if request.method == "POST" and form.is_valid():
        try:
            services.listing_update(listing=listing, acting_user=request.user, data=form.service_data())
        except ValidationError as error:
            listing.refresh_from_db()
            apply_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your listing is saved."))
            return redirect(listing.get_absolute_url())
    return render(request, "marketplace/listing_form.html", {"form": form, "listing": listing},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def listing_status(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _own_listing(request, pk)
    try:
        services.listing_set_status(listing=listing, acting_user=request.user, status=request.POST.get("status", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        texts = {
            ListingStatus.RESERVED: _("Marked as reserved."),
            ListingStatus.DONE: _("Marked as done. The listing is no longer shown to others."),
            ListingStatus.ACTIVE: _("The listing is available again."),
        }
        messages.success(request, texts[listing.status])
    return redirect(listing.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def listing_renew(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _own_listing(request, pk)
    if request.method == "POST":
        try:
            services.listing_renew(listing=listing, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your listing is online for another %(days)d days.")
                             % {"days": services.DEFAULT_EXPIRY_DAYS})
        return redirect(listing.get_absolute_url())
    return render(request, "marketplace/listing_renew.html",
                  {"listing": listing, "days": services.DEFAULT_EXPIRY_DAYS})


@login_required
@require_http_methods(["GET", "POST"])
def listing_delete(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _own_listing(request, pk)
    if request.method == "POST":
        title = listing.title
        services.listing_delete(listing=listing, acting_user=request.user)
        messages.success(request, _("“%(title)s” is deleted.") % {"title": title})
        return redirect("marketplace:my-listings")
    return render(request, "marketplace/listing_delete.html", {"listing": listing})


@role_required("moderator")
@require_http_methods(["GET", "POST"])
def listing_remove(request: HttpRequest, pk: int) -> HttpResponse:
    listing = selectors.listing_get(pk=pk)
    if listing is None:
        raise Http404
    form = RemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.listing_remove(listing=listing, acting_user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The listing is removed and the owner is told why."))
            return redirect("marketplace:listing-list")
    return render(request, "marketplace/listing_remove.html", {"listing": listing, "form": form},
                  status=400 if form.errors else 200)


@login_required
@require_GET
def my_listings(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "marketplace/my_listings.html",
        {
            "listings": selectors.listing_list_of_user(user=request.user),
            "saved_searches": selectors.saved_search_list(user=request.user),
        },
    )


# --- saved searches --------------------------------------------------------------------


@login_required
@require_POST
def saved_search_create(request: HttpRequest) -> HttpResponse:
    # The filters arrive as on the list page; unknown values are dropped like there.
    form, data, (ortsgemeinde, category) = _filters(request.POST)
    try:
        services.saved_search_create(
            acting_user=request.user,
            query=data.get("q") or "",
            kind=data.get("kind") if data.get("kind") in ListingKind.values else "",
            listing_type=data.get("listing_type") if data.get("listing_type") in ListingType.values else "",
            category=category,
            ortsgemeinde=ortsgemeinde,
            free_only=bool(data.get("free")),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Search saved. We will e-mail you about new matching listings."))
    return redirect("marketplace:my-listings")


@login_required
@require_POST
def saved_search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    saved_search = selectors.saved_search_get(pk=pk, user=request.user)
    if saved_search is None:
        raise Http404
    services.saved_search_delete(saved_search=saved_search, acting_user=request.user)
    messages.success(request, _("The saved search is deleted."))
    return redirect("marketplace:my-listings")


# The token is the authorisation; mail programs POST here without a CSRF token (RFC 8058 one-click).
@csrf_exempt
@require_http_methods(["GET", "POST"])
def saved_search_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """A link from a mail: a page with one button (mail scanners open links, so GET changes nothing)."""
    saved_search = selectors.saved_search_by_token(token=token)
    if request.method == "POST":
        if saved_search is None or not services.saved_search_unsubscribe(token=token):
            raise Http404
        return render(request, "marketplace/unsubscribed.html")
    if saved_search is None:
        raise Http404
    return render(request, "marketplace/unsubscribe.html", {"saved_search": saved_search})
