"""Report and block: moderators hide reported requests, blocked people neither see nor accept each other's."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.models import Role
from modules.errands import selectors, services
from modules.errands.models import ErrandReport
from tests.accounts.factories import UserFactory
from tests.modules.errands.factories import ErrandFactory, TripFactory


def _said(msgid: str) -> str:
    """A pattern for exactly this message as the resident reads it (German by default)."""
    return re.escape(_(msgid))


def test_a_blocked_persons_requests_are_hidden_from_the_blocker(anna, bernd, carla):
    # given
    errand = ErrandFactory(requester=anna)
    services.user_block(acting_user=bernd, blocked=anna)

    # then: Bernd no longer sees it, Carla still does, and Anna no longer sees Bernd's
    assert errand not in selectors.errand_list_open(viewer=bernd)
    assert errand in selectors.errand_list_open(viewer=carla)
    assert not selectors.errand_visible_to(errand, bernd)
    bernds = ErrandFactory(requester=bernd)
    assert bernds not in selectors.errand_list_open(viewer=anna)


@pytest.mark.parametrize("who_blocks", ["requester", "helper"])
def test_blocked_people_cannot_accept_each_others_requests(anna, bernd, who_blocks):
    errand = ErrandFactory(requester=anna)
    if who_blocks == "requester":
        services.user_block(acting_user=anna, blocked=bernd)
    else:
        services.user_block(acting_user=bernd, blocked=anna)
    with pytest.raises(ValidationError, match=_said("You cannot accept this request.")):
        services.errand_request_accept(errand=errand, acting_user=bernd)
    errand.refresh_from_db()
    assert errand.status == "open"


def test_blocked_people_cannot_join_each_others_trips(anna, bernd):
    trip = TripFactory(helper=bernd)
    services.user_block(acting_user=bernd, blocked=anna)
    with pytest.raises(ValidationError, match=_said("You cannot join this trip.")):
        services.trip_join(trip=trip, acting_user=anna, items="Brot")
    assert trip not in selectors.trip_list_upcoming(viewer=anna)


def test_unblocking_shows_the_requests_again(anna, bernd):
    errand = ErrandFactory(requester=anna)
    block = services.user_block(acting_user=bernd, blocked=anna)
    services.user_unblock(block=block, acting_user=bernd)
    assert errand in selectors.errand_list_open(viewer=bernd)


def test_only_the_blocker_lifts_a_block(anna, bernd):
    block = services.user_block(acting_user=bernd, blocked=anna)
    with pytest.raises(PermissionDenied):
        services.user_unblock(block=block, acting_user=anna)


def test_nobody_blocks_themselves(anna):
    with pytest.raises(ValidationError):
        services.user_block(acting_user=anna, blocked=anna)


def test_a_report_needs_a_reason_and_is_stored_once(anna, bernd):
    errand = ErrandFactory(requester=anna)
    with pytest.raises(ValidationError, match=_said("Please tell the moderators what is wrong with this request.")):
        services.errand_report_create(errand=errand, acting_user=bernd, reason="  ")
    assert not ErrandReport.objects.exists()
    services.errand_report_create(errand=errand, acting_user=bernd, reason="Das ist Werbung für einen Lieferdienst.")
    with pytest.raises(ValidationError, match=_said("You have already reported this request.")):
        services.errand_report_create(errand=errand, acting_user=bernd, reason="Nochmal")
    assert ErrandReport.objects.count() == 1


def test_nobody_reports_their_own_request(anna):
    with pytest.raises(ValidationError):
        services.errand_report_create(errand=ErrandFactory(requester=anna), acting_user=anna, reason="Test")


def test_moderators_hide_and_restore_a_request(anna, bernd, villages):
    # given
    moderator = UserFactory(email="moderatorin@example.org", role=Role.MODERATOR)
    errand = ErrandFactory(requester=anna)
    services.errand_report_create(errand=errand, acting_user=bernd, reason="Beleidigend")

    # when: hidden
    services.errand_request_hide(errand=errand, acting_user=moderator)

    # then: gone from the list, not acceptable, report handled; Anna and moderators still see it
    assert errand not in selectors.errand_list_open(viewer=bernd)
    assert not selectors.errand_visible_to(errand, bernd)
    assert selectors.errand_visible_to(errand, anna) and selectors.errand_visible_to(errand, moderator)
    assert not selectors.report_list_open().exists()
    with pytest.raises(ValidationError):
        services.errand_request_accept(errand=errand, acting_user=bernd)

    # when: restored
    services.errand_request_restore(errand=errand, acting_user=moderator)
    assert errand in selectors.errand_list_open(viewer=bernd)


def test_residents_cannot_hide_requests(anna, bernd):
    with pytest.raises(PermissionDenied):
        services.errand_request_hide(errand=ErrandFactory(requester=anna), acting_user=bernd)
