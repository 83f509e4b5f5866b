"""The request's state machine: every allowed step, and every refused one with a message a resident understands."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from modules.errands import services
from modules.errands.models import ErrandEvent, ErrandStatus
from tests.modules.errands.factories import ErrandFactory


def _said(msgid: str) -> str:
    """A pattern for exactly this message as the resident reads it (German by default)."""
    return re.escape(_(msgid))


def _at(status: str, anna, bernd):
    """A request by Anna brought to `status`, Bernd as the helper where there is one."""
    errand = ErrandFactory(requester=anna)
    if status == ErrandStatus.OPEN:
        return errand
    if status == ErrandStatus.CANCELLED:
        return services.errand_request_cancel(errand=errand, acting_user=anna)
    services.errand_request_accept(errand=errand, acting_user=bernd)
    if status in (ErrandStatus.BOUGHT, ErrandStatus.DELIVERED):
        services.errand_request_mark_bought(errand=errand, acting_user=bernd)
    if status == ErrandStatus.DELIVERED:
        services.errand_request_mark_delivered(errand=errand, acting_user=bernd)
    errand.refresh_from_db()
    assert errand.status == status
    return errand


def _run(action: str, errand, user):
    call = {
        "accept": services.errand_request_accept,
        "release": services.errand_request_release,
        "bought": services.errand_request_mark_bought,
        "delivered": services.errand_request_mark_delivered,
        "cancel": services.errand_request_cancel,
    }[action]
    return call(errand=errand, acting_user=user)


# (status before, action, who acts) -> status after
ALLOWED = [
    (ErrandStatus.OPEN, "accept", "bernd", ErrandStatus.ACCEPTED),
    (ErrandStatus.ACCEPTED, "release", "bernd", ErrandStatus.OPEN),
    (ErrandStatus.ACCEPTED, "bought", "bernd", ErrandStatus.BOUGHT),
    (ErrandStatus.BOUGHT, "delivered", "bernd", ErrandStatus.DELIVERED),
    (ErrandStatus.OPEN, "cancel", "anna", ErrandStatus.CANCELLED),
    (ErrandStatus.ACCEPTED, "cancel", "anna", ErrandStatus.CANCELLED),
]


@pytest.mark.parametrize(("before", "action", "actor", "after"), ALLOWED)
def test_allowed_steps_change_the_status_and_write_the_history(before, action, actor, after, anna, bernd):
    # given
    errand = _at(before, anna, bernd)
    people = {"anna": anna, "bernd": bernd}
    events_before = ErrandEvent.objects.filter(request=errand).count()

    # when
    result = _run(action, errand, people[actor])

    # then
    errand.refresh_from_db()
    assert errand.status == after == result.status
    assert ErrandEvent.objects.filter(request=errand).count() == events_before + 1
    assert ErrandEvent.objects.filter(request=errand).last().actor == people[actor]
    if after == ErrandStatus.OPEN:
        assert errand.helper_id is None  # given back: free for another neighbour
    if action == "accept":
        assert errand.helper == bernd


# Refused because of the status: (status, action, who acts, the message they get)
REFUSED_BY_STATUS = [
    (ErrandStatus.ACCEPTED, "accept", "carla", "Someone else was quicker and has already accepted this request."),
    (ErrandStatus.ACCEPTED, "accept", "bernd", "You have already accepted this request."),
    (ErrandStatus.BOUGHT, "accept", "carla", "Someone else was quicker and has already accepted this request."),
    (ErrandStatus.DELIVERED, "accept", "carla", "This request has already been delivered."),
    (ErrandStatus.CANCELLED, "accept", "carla", "This request was cancelled."),
    (ErrandStatus.BOUGHT, "release", "bernd",
     "You have already bought the things: please bring them, or write a message about it."),
    (ErrandStatus.DELIVERED, "release", "bernd", "This request has already been delivered."),
    (ErrandStatus.BOUGHT, "bought", "bernd", "The things are already marked as bought."),
    (ErrandStatus.DELIVERED, "bought", "bernd", "This request has already been delivered."),
    (ErrandStatus.ACCEPTED, "delivered", "bernd", "Please mark the things as bought first."),
    (ErrandStatus.DELIVERED, "delivered", "bernd", "This request has already been delivered."),
    (ErrandStatus.BOUGHT, "cancel", "anna",
     "The things are already bought, so the request can no longer be cancelled. Please write a message."),
    (ErrandStatus.DELIVERED, "cancel", "anna", "This request has already been delivered."),
    (ErrandStatus.CANCELLED, "cancel", "anna", "This request was cancelled."),
    (ErrandStatus.OPEN, "release", "bernd_not_helper", None),
    (ErrandStatus.OPEN, "bought", "bernd_not_helper", None),
    (ErrandStatus.OPEN, "delivered", "bernd_not_helper", None),
]  # fmt: skip


@pytest.mark.parametrize(("before", "action", "actor", "message"), REFUSED_BY_STATUS)
def test_refused_steps_change_nothing_and_say_why(before, action, actor, message, anna, bernd, carla):
    # given
    errand = _at(before, anna, bernd)
    people = {"anna": anna, "bernd": bernd, "carla": carla, "bernd_not_helper": bernd}
    events_before = ErrandEvent.objects.filter(request=errand).count()

    # when
    with pytest.raises((ValidationError, PermissionDenied)) as refused:
        _run(action, errand, people[actor])

    # then
    if message is not None:
        assert refused.value.messages == [_(message)]
    else:  # nobody has accepted yet, so nobody is the helper
        assert isinstance(refused.value, PermissionDenied)
    errand.refresh_from_db()
    assert errand.status == before
    assert ErrandEvent.objects.filter(request=errand).count() == events_before


@pytest.mark.parametrize("action", ["release", "bought", "delivered"])
def test_only_the_helper_takes_the_helper_steps(action, anna, bernd, carla):
    # given
    errand = _at(ErrandStatus.ACCEPTED if action != "delivered" else ErrandStatus.BOUGHT, anna, bernd)

    # when / then: neither the requester nor a third neighbour may
    for someone in (anna, carla):
        with pytest.raises(PermissionDenied, match=_said("Only the neighbour who accepted this request can do this.")):
            _run(action, errand, someone)


def test_only_the_requester_cancels(anna, bernd, carla):
    errand = _at(ErrandStatus.ACCEPTED, anna, bernd)
    for someone in (bernd, carla):
        with pytest.raises(PermissionDenied, match=_said("Only the person who asked can cancel this request.")):
            services.errand_request_cancel(errand=errand, acting_user=someone)
    errand.refresh_from_db()
    assert errand.status == ErrandStatus.ACCEPTED


def test_nobody_accepts_their_own_request(anna):
    errand = ErrandFactory(requester=anna)
    with pytest.raises(ValidationError, match=_said("You cannot accept your own request.")):
        services.errand_request_accept(errand=errand, acting_user=anna)


def test_a_request_whose_time_window_has_passed_cannot_be_accepted(anna, bernd):
    from datetime import timedelta

    errand = ErrandFactory(requester=anna)
    later = errand.window_end + timedelta(minutes=1)
    with pytest.raises(ValidationError, match=_said("The time window of this request has passed.")):
        services.errand_request_accept(errand=errand, acting_user=bernd, now=later)


def test_bought_notes_the_amount_spent_but_refuses_a_negative_one(anna, bernd):
    errand = _at(ErrandStatus.ACCEPTED, anna, bernd)
    with pytest.raises(ValidationError):
        services.errand_request_mark_bought(errand=errand, acting_user=bernd, spent_amount_cents=-1)
    services.errand_request_mark_bought(errand=errand, acting_user=bernd, spent_amount_cents=1250)
    errand.refresh_from_db()
    assert (errand.status, errand.spent_amount_cents) == (ErrandStatus.BOUGHT, 1250)


def test_a_stale_page_cannot_accept_twice(anna, bernd, carla):
    """T20: two neighbours hold the same open request (same stale object); the second accept is refused."""
    # given
    page_of_bernd = ErrandFactory(requester=anna)
    page_of_carla = type(page_of_bernd).objects.get(pk=page_of_bernd.pk)  # loaded while still open

    # when
    services.errand_request_accept(errand=page_of_bernd, acting_user=bernd)
    with pytest.raises(ValidationError, match=_said("Someone else was quicker and has already accepted this request.")):
        services.errand_request_accept(errand=page_of_carla, acting_user=carla)

    # then
    page_of_carla.refresh_from_db()
    assert page_of_carla.helper == bernd
    assert ErrandEvent.objects.filter(request=page_of_bernd, kind="accepted").count() == 1
