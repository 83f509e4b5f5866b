"""Listings: create, edit, mark done, renew, delete, moderator removal; prices in cents; bad input stores nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from modules.marketplace import selectors, services
from modules.marketplace.models import Listing, ListingStatus, ListingType, PriceMode
from modules.marketplace.money import euros_to_cents, format_eur, price_display
from tests.accounts.factories import UserFactory
from tests.modules.marketplace.factories import CategoryFactory, ListingFactory
from tests.town.factories import MembershipFactory, OrganisationFactory
from town.models import MembershipRole


def test_a_new_listing_is_public_for_30_days(seller, villages):
    # when
    listing = ListingFactory(owner=seller, ortsgemeinde=villages["x"], category=CategoryFactory(name="Garten"))

    # then
    assert listing.status == ListingStatus.ACTIVE and listing.is_public
    assert timedelta(days=29, hours=23) < listing.expires_at - timezone.now() <= timedelta(days=30)
    assert listing.price_cents == 2500 and listing.currency == "EUR"
    assert list(selectors.listing_list_public()) == [listing]


def test_give_away_is_always_free_and_drops_any_price(seller):
    listing = ListingFactory(
        owner=seller,
        listing_type=ListingType.GIVE_AWAY,
        price_mode=PriceMode.FIXED,
        price_cents=999,
    )
    assert listing.price_mode == PriceMode.FREE and listing.price_cents is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": "x" * 121}, "title"),
        ({"description": ""}, "description"),
        ({"description": "x" * 4001}, "description"),
        ({"price_cents": -1}, "price"),
        ({"price_mode": PriceMode.FIXED, "price_cents": None}, "price"),
        ({"price_mode": PriceMode.FREE, "price_cents": None}, "price_mode"),  # selling for free: give away instead
        ({"kind": "steal"}, "kind"),
        ({"expires_at": timezone.now() - timedelta(minutes=1)}, "expires_on"),
        ({"expires_at": timezone.now() + timedelta(days=95)}, "expires_on"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_stored(seller, fields, field):
    with pytest.raises(ValidationError) as error:
        ListingFactory(owner=seller, **fields)
    assert field in error.value.message_dict
    assert all(message.strip() for message in error.value.message_dict[field])
    assert not Listing.objects.exists()


def test_html_in_text_is_kept_as_plain_text(seller):
    listing = ListingFactory(owner=seller, title="<b>Fahrrad</b>", description="<script>alert(1)</script>\nSchön")
    assert listing.title == "<b>Fahrrad</b>"
    assert listing.description == "<script>alert(1)</script>\nSchön"


def test_owner_edits_and_others_may_not(seller, buyer):
    # given
    listing = ListingFactory(owner=seller)

    # when
    services.listing_update(listing=listing, acting_user=seller, data={"title": "Rasenmäher, fast neu",
                                                                       "price_cents": 2000})

    # then
    listing.refresh_from_db()
    assert (listing.title, listing.price_cents) == ("Rasenmäher, fast neu", 2000)
    assert list(selectors.listing_list_public(search="neu")) == [listing]
    with pytest.raises(PermissionDenied):
        services.listing_update(listing=listing, acting_user=buyer, data={"title": "Meins"})


def test_invalid_edit_changes_nothing(seller):
    listing = ListingFactory(owner=seller)
    with pytest.raises(ValidationError):
        services.listing_update(listing=listing, acting_user=seller, data={"title": "", "price_cents": -5})
    listing.refresh_from_db()
    assert listing.title == "Rasenmäher" and listing.price_cents == 2500


def test_mark_reserved_then_done_hides_it(seller):
    listing = ListingFactory(owner=seller)
    services.listing_set_status(listing=listing, acting_user=seller, status=ListingStatus.RESERVED)
    assert list(selectors.listing_list_public()) == [listing]  # reserved stays visible, with a badge
    services.listing_set_status(listing=listing, acting_user=seller, status=ListingStatus.DONE)
    assert not selectors.listing_list_public().exists()
    assert selectors.listing_get_public(pk=listing.pk) is None


def test_expiry_hides_the_listing_and_mails_a_renewal_link_once(seller, django_capture_on_commit_callbacks,
                                                               celery_eager, notifications_off):
    # given
    listing = ListingFactory(owner=seller)
    Listing.objects.filter(pk=listing.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    # when: the periodic task's service runs twice
    with django_capture_on_commit_callbacks(execute=True):
        first = services.listings_expire()
    with django_capture_on_commit_callbacks(execute=True):
        second = services.listings_expire()

    # then
    listing.refresh_from_db()
    assert first == [listing.pk] and second == []
    assert listing.status == ListingStatus.EXPIRED
    assert not selectors.listing_list_public().exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["anbieterin@example.org"]
    assert f"/marketplace/{listing.pk}/renew/" in mail.outbox[0].body

    # and the owner renews it
    services.listing_renew(listing=listing, acting_user=seller)
    listing.refresh_from_db()
    assert listing.status == ListingStatus.ACTIVE and listing.is_public


def test_a_listing_past_its_date_is_hidden_before_the_task_runs(seller):
    listing = ListingFactory(owner=seller)
    Listing.objects.filter(pk=listing.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert not selectors.listing_list_public().exists()
    assert selectors.listing_get_public(pk=listing.pk) is None


def test_an_editor_posts_for_their_organisation_and_colleagues_may_edit(in_town_a):
    # given
    club = OrganisationFactory(name="Tauschring Altdorf", slug="tauschring")
    editor, colleague, outsider = (UserFactory(email=f"{n}@example.org") for n in ("eins", "zwei", "drei"))
    for person in (editor, colleague):
        MembershipFactory(user=person, organisation=club, role=MembershipRole.EDITOR)

    # when
    listing = ListingFactory(owner=editor, organisation=club)

    # then
    assert services.user_can_edit(colleague, listing) and not services.user_can_edit(outsider, listing)
    with pytest.raises(PermissionDenied):
        ListingFactory(owner=outsider, organisation=club, title="Nicht erlaubt")


def test_moderator_removes_with_a_reason_mailed_to_the_owner(seller, celery_eager, django_capture_on_commit_callbacks,
                                                             notifications_off):
    listing = ListingFactory(owner=seller)
    moderator = UserFactory(email="mod@example.org", role="moderator")
    with pytest.raises(ValidationError):
        services.listing_remove(listing=listing, acting_user=moderator, reason="  ")
    with pytest.raises(PermissionDenied):
        services.listing_remove(listing=listing, acting_user=seller, reason="Eigenes")
    with django_capture_on_commit_callbacks(execute=True):
        services.listing_remove(listing=listing, acting_user=moderator, reason="Gewerbliches Angebot")
    listing.refresh_from_db()
    assert listing.status == ListingStatus.REMOVED and not listing.is_public
    assert len(mail.outbox) == 1 and "Gewerbliches Angebot" in mail.outbox[0].body
    assert mail.outbox[0].to == ["anbieterin@example.org"]


def test_delete_removes_the_listing(seller, buyer):
    listing = ListingFactory(owner=seller)
    with pytest.raises(PermissionDenied):
        services.listing_delete(listing=listing, acting_user=buyer)
    services.listing_delete(listing=listing, acting_user=seller)
    assert not Listing.objects.exists()


@pytest.mark.parametrize(
    ("text", "cents"),
    [("12", 1200), ("12,5", 1250), ("12,50", 1250), ("12.50", 1250), ("1.250,00", 125000), ("0", 0),
     ("7 €", 700)],
)
def test_prices_are_parsed_to_cents(text, cents):
    assert euros_to_cents(text) == cents


@pytest.mark.parametrize("text", ["-5", "-0,50", "zwölf", "12,505", "1e3", ""])
def test_bad_prices_are_refused(text):
    with pytest.raises(ValidationError):
        euros_to_cents(text)


def test_prices_are_shown_the_german_way():
    assert format_eur(1250) == "12,50\u00a0€"
    assert format_eur(125000) == "1.250,00\u00a0€"
    assert price_display("fixed", 5) == "0,05\u00a0€"
    assert price_display("none", None) == ""
