"""Asking for something: bad input is refused with clear messages and stores nothing; new accounts have daily limits."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from modules.errands import services
from modules.errands.conf import limits_get
from modules.errands.models import ErrandEvent, ErrandRequest
from tests.accounts.factories import UserFactory
from tests.modules.errands.factories import ErrandFactory
from tests.modules.errands.helpers import soon


def _text(message: str | tuple[str, dict]) -> str:
    """The message as the resident reads it (German by default): a msgid, or a msgid with its values."""
    msgid, values = (message, None) if isinstance(message, str) else message
    return gettext(msgid) % values if values else gettext(msgid)


def _limit(verb: str, count: int) -> str:
    """A pattern for the daily limit refusal for new accounts ('ask for' or 'accept')."""
    singular = f"New accounts can {verb} at most %(count)d errand per day. Please try again tomorrow."
    plural = f"New accounts can {verb} at most %(count)d errands per day. Please try again tomorrow."
    return re.escape(ngettext(singular, plural, count) % {"count": count})


def test_a_request_is_stored_open_with_its_history(anna, villages):
    errand = ErrandFactory(
        requester=anna,
        ortsgemeinde=villages["kausen"],
        estimated_amount_cents=850,
        note="Klingeln bitte",
    )
    assert errand.status == "open"
    assert errand.item_list == ["1 Roggenbrot", "6 Brötchen"]
    assert (errand.ortsgemeinde, errand.estimated_amount_cents) == (villages["kausen"], 850)
    assert list(ErrandEvent.objects.filter(request=errand).values_list("kind", flat=True)) == ["created"]


def test_items_are_trimmed_and_blank_lines_dropped(anna):
    errand = ErrandFactory(requester=anna, items="  Milch \n\n  2   Äpfel\n")
    assert errand.items == "Milch\n2 Äpfel"


_LATER = soon(5)
BAD = [
    ({"items": "  \n "}, "items", "Please list what you need, one thing per line."),
    ({"window_start": soon(-2), "window_end": soon(3)}, "window_start", "The time window must lie in the future."),
    ({"window_start": soon(5), "window_end": soon(4)}, "window_end", "“Until” must be after “from”."),
    ({"window_start": _LATER, "window_end": _LATER}, "window_end", "“Until” must be after “from”."),
    ({"window_start": soon(5), "window_end": soon(24 * 8)}, "window_end",
     ("You can ask at most %(days)d days ahead.", {"days": 7})),
    ({"shop_name": "   "}, "shop_name", "Say where the things can be bought: choose a shop or type its name."),
    ({"estimated_amount_cents": -100}, "estimated_amount", "An amount cannot be negative."),
    ({"estimated_amount_cents": 100_001}, "estimated_amount",
     "Amounts above 1,000 € are too much for a favour between neighbours."),
    ({"items": "\n".join(f"Ding {n}" for n in range(31))}, "items",
     ("Please ask for at most %(count)d things at once.", {"count": 30})),
]


@pytest.mark.parametrize(("fields", "field", "message"), BAD, ids=[b[1] + str(i) for i, b in enumerate(BAD)])
def test_bad_input_is_refused_and_nothing_is_stored(anna, fields, field, message):
    with pytest.raises(ValidationError) as refused:
        ErrandFactory(requester=anna, **fields)
    assert _text(message) in refused.value.message_dict[field]
    assert not ErrandRequest.objects.exists()
    assert not ErrandEvent.objects.exists()


def test_every_problem_is_reported_at_once(anna):
    with pytest.raises(ValidationError) as refused:
        ErrandFactory(requester=anna, items="", shop_name="", window_start=soon(-3), window_end=soon(-4))
    assert set(refused.value.message_dict) == {"items", "shop_name", "window_start", "window_end"}


def test_a_window_starting_a_few_minutes_ago_still_counts_as_now(anna):
    errand = ErrandFactory(requester=anna, window_start=timezone.now() - timedelta(minutes=5), window_end=soon(3))
    assert errand.pk


# --- limits for new accounts ---------------------------------------------------------------------


def test_a_new_account_may_ask_three_times_a_day(villages):
    # given: an account made yesterday
    newbie = UserFactory(email="neu@example.org", age_days=1)
    for _ in range(3):
        ErrandFactory(requester=newbie)

    # when / then
    with pytest.raises(ValidationError, match=_limit("ask for", 3)):
        ErrandFactory(requester=newbie)
    assert ErrandRequest.objects.filter(requester=newbie).count() == 3


def test_the_request_limit_starts_again_the_next_day(villages):
    newbie = UserFactory(email="neu@example.org", age_days=1)
    for _ in range(3):
        ErrandFactory(requester=newbie)
    ErrandEvent.objects.filter(actor=newbie).update(created_at=timezone.now() - timedelta(days=1))
    assert ErrandFactory(requester=newbie).pk


def test_a_new_account_may_accept_five_times_a_day(anna, villages):
    newbie = UserFactory(email="neu@example.org", age_days=2)
    errands = [ErrandFactory(requester=anna) for _ in range(6)]
    for errand in errands[:5]:
        services.errand_request_accept(errand=errand, acting_user=newbie)
    with pytest.raises(ValidationError, match=_limit("accept", 5)):
        services.errand_request_accept(errand=errands[5], acting_user=newbie)
    errands[5].refresh_from_db()
    assert errands[5].status == "open"


def test_giving_an_errand_back_does_not_reset_the_acceptance_count(anna, villages):
    newbie = UserFactory(email="neu@example.org", age_days=2)
    errand = ErrandFactory(requester=anna)
    for _ in range(5):
        services.errand_request_accept(errand=errand, acting_user=newbie)
        services.errand_request_release(errand=errand, acting_user=newbie)
    with pytest.raises(ValidationError, match=_limit("accept", 5)):
        services.errand_request_accept(errand=errand, acting_user=newbie)


def test_older_accounts_have_no_daily_limit(anna):
    for _ in range(5):
        ErrandFactory(requester=anna)
    assert ErrandRequest.objects.filter(requester=anna).count() == 5


def test_the_town_sets_its_own_limits(in_town_a, villages):
    from tenants.services import tenant_module_configure

    # given: the town allows one request per day for accounts younger than 30 days
    tenant_module_configure(
        tenant=in_town_a, key="errands",
        data={"new_account_days": 30, "new_account_requests_per_day": 1, "new_account_acceptances_per_day": 2},
    )
    assert limits_get().new_account_requests_per_day == 1
    person = UserFactory(email="zwei-wochen@example.org", age_days=14)

    # when / then
    ErrandFactory(requester=person)
    with pytest.raises(ValidationError, match=_limit("ask for", 1)):
        ErrandFactory(requester=person)


def test_the_settings_form_refuses_nonsense(in_town_a):
    from tenants.services import tenant_module_configure

    with pytest.raises(ValidationError):
        tenant_module_configure(
            tenant=in_town_a, key="errands",
            data={"new_account_days": -1, "new_account_requests_per_day": 0, "new_account_acceptances_per_day": 5},
        )
    assert limits_get().new_account_requests_per_day == 3
