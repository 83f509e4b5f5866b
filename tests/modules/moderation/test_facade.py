"""The facade other modules call: word filter, suspension and limits for new accounts, report links."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from modules.moderation import facade
from modules.moderation.models import Activity, Suspension
from modules.moderation.services import Statement, case_decide
from tests.accounts.factories import UserFactory
from tests.modules.moderation.factories import BlockedTermFactory, ReportFactory
from tests.modules.moderation.helpers import moderation_switch_off


def test_report_url_is_the_path_of_the_report_form(in_town_a):
    assert facade.report_url(kind="board.post", object_id=12) == "/moderation/melden/board.post/12/"
    assert facade.moderation_enabled() is True


@pytest.mark.parametrize("text", ["Du bist ein IDIOT.", "idiot!", "So ein Idiot", "Blödmann, echt", "BLÖDMANN"])
def test_word_filter_refuses_a_blocked_term_in_any_case_and_names_it(in_town_a, text):
    BlockedTermFactory(term="idiot")
    BlockedTermFactory(term="blödmann")
    with override("de"), pytest.raises(ValidationError) as error:
        facade.text_check(text)
    term = "idiot" if "diot" in text.lower() else "blödmann"
    with override("de"):
        expected = _("Your text contains “%(term)s”, which is not allowed here. Please change your wording.") % {
            "term": term}
    assert error.value.messages == [expected]
    assert "nicht erlaubt" in expected  # the German message, not the English msgid


@pytest.mark.parametrize("text", ["Idiotensicher verpackt", "Der Blödmannsgehilfe", "", "Guten Morgen"])
def test_word_filter_counts_whole_words_only(in_town_a, text):
    BlockedTermFactory(term="idiot")
    BlockedTermFactory(term="blödmann")
    facade.text_check(text)  # no error


def test_word_filter_matches_a_phrase_over_any_whitespace(in_town_a):
    BlockedTermFactory(term="billige uhren")
    with pytest.raises(ValidationError):
        facade.text_check("Hier BILLIGE\n  Uhren kaufen")


def test_word_filter_is_off_with_the_module(in_town_a):
    BlockedTermFactory(term="idiot")
    moderation_switch_off(in_town_a)
    connection.set_tenant(in_town_a)
    facade.text_check("Idiot")  # no error


def test_a_new_account_is_limited_per_day_and_the_message_says_so(in_town_a):
    newcomer = UserFactory(email="neu@example.org", age_days=1)
    for _number in range(5):
        facade.activity_check(user=newcomer, action="post")
    with override("de"), pytest.raises(ValidationError) as error:
        facade.activity_check(user=newcomer, action="post")
    with override("de"):
        expected = (ngettext("New accounts may write %(limit)d post per day.",
                             "New accounts may write %(limit)d posts per day.", 5) % {"limit": 5}
                    + " " + _("Please try again later."))
    assert error.value.messages == [expected]
    assert "5 Beiträge pro Tag" in expected
    assert Activity.objects.filter(user=newcomer, action="post").count() == 5
    # other actions have their own count
    facade.activity_check(user=newcomer, action="comment")


def test_yesterdays_actions_no_longer_count(in_town_a):
    newcomer = UserFactory(email="neu@example.org", age_days=3)
    Activity.objects.bulk_create([Activity(user=newcomer, action="group",
                                           created_at=timezone.now() - timedelta(hours=25))])
    facade.activity_check(user=newcomer, action="group")
    with pytest.raises(ValidationError):
        facade.activity_check(user=newcomer, action="group")


def test_old_accounts_and_moderators_have_no_limit_and_leave_no_rows(in_town_a):
    veteran = UserFactory(email="alt@example.org", age_days=400)
    fresh_moderator = UserFactory(email="frischmod@example.org", role="moderator", age_days=0)
    for _number in range(30):
        facade.activity_check(user=veteran, action="post")
        facade.activity_check(user=fresh_moderator, action="post")
    assert not Activity.objects.exists()


def test_the_town_sets_its_own_limits(in_town_a):
    from tenants.services import tenant_module_configure

    tenant_module_configure(tenant=in_town_a, key="moderation", data={
        "new_account_days": 30, "posts_per_day": 1, "comments_per_day": 2, "messages_per_day": 3,
        "groups_per_day": 1})
    connection.set_tenant(in_town_a)
    newcomer = UserFactory(
        email="neu@example.org",
        age_days=20,
    )  # new under the town's 30 days, old under the default 14
    facade.activity_check(user=newcomer, action="post")
    with pytest.raises(ValidationError):
        facade.activity_check(user=newcomer, action="post")


def test_a_rolled_back_request_leaves_no_count_behind(in_town_a):
    from django.db import transaction

    newcomer = UserFactory(email="neu@example.org", age_days=1)
    for _number in range(10):
        try:
            with transaction.atomic():
                facade.activity_check(user=newcomer, action="post")
                raise RuntimeError("the caller's save failed")
        except RuntimeError:
            pass
    assert not Activity.objects.exists()
    facade.activity_check(user=newcomer, action="post")


def test_limits_are_off_with_the_module_but_a_suspension_still_applies(in_town_a, fake_kind):
    newcomer = UserFactory(email="neu@example.org", age_days=1)
    suspended = _suspended_user(fake_kind, days=3)
    moderation_switch_off(in_town_a)
    connection.set_tenant(in_town_a)
    for _number in range(10):
        facade.activity_check(user=newcomer, action="post")
    with pytest.raises(ValidationError):
        facade.activity_check(user=suspended, action="comment")


def _suspended_user(fake_kind, *, days: int):
    author = UserFactory(email="autor@example.org")
    reporter = UserFactory(email="melder2@example.org")
    moderator = UserFactory(email="mod@example.org", role="moderator")
    fake_kind.add(1, author=author)
    report = ReportFactory(text="Werbung", reporter=reporter)
    case_decide(case_id=report.case_id, action="suspend", acting_user=moderator, suspension_days=days,
                statement=Statement(facts="Werbung für Uhren", ground="terms", ground_detail="§ 4 Nutzungsbedingungen"))
    return author


def test_a_suspended_user_is_refused_until_the_end_which_the_message_names(in_town_a, fake_kind):
    author = _suspended_user(fake_kind, days=3)
    assert facade.user_is_suspended(author.pk) is True
    with override("de"), pytest.raises(ValidationError) as error:
        facade.activity_check(user=author, action="message")
    assert error.value.code == "suspended"
    ends_at = Suspension.objects.get(user=author).ends_at
    assert timezone.localtime(ends_at).strftime("%d.%m.%Y") in error.value.messages[0]
    assert "gesperrt" in error.value.messages[0]


def test_a_suspension_ends_by_itself(in_town_a, fake_kind, monkeypatch):
    author = _suspended_user(fake_kind, days=2)
    later = timezone.now() + timedelta(days=2, minutes=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    assert facade.user_is_suspended(author.pk) is False
    facade.activity_check(user=author, action="post")


def test_request_user_as_a_lazy_object_works_and_anonymous_is_refused(in_town_a):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied
    from django.utils.functional import SimpleLazyObject

    newcomer = UserFactory(email="neu@example.org", age_days=1)
    facade.activity_check(user=SimpleLazyObject(lambda: newcomer), action="message")
    assert Activity.objects.filter(user=newcomer, action="message").count() == 1
    with pytest.raises(PermissionDenied):
        facade.activity_check(user=AnonymousUser(), action="post")


@pytest.mark.django_db(transaction=True)
def test_two_parallel_requests_of_a_new_account_cannot_both_take_the_last_slot(town_a):
    import threading
    import time

    from django.db import connections, transaction
    from django_tenants.utils import schema_context

    from accounts.models import User

    connection.set_tenant(town_a)
    newcomer = UserFactory(email="parallel@example.org", age_days=1)
    connection.set_schema_to_public()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def create_group() -> None:
        try:
            connection.set_tenant(town_a)
            with transaction.atomic():
                barrier.wait()
                facade.activity_check(user=newcomer, action="group")  # the town allows 1 group a day
                time.sleep(0.5)  # the caller creates its group: the other request counts meanwhile
                outcomes.append("created")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    try:
        threads = [threading.Thread(target=create_group) for _n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert sorted(outcomes) == ["created", "refused"]
    finally:
        with schema_context(town_a.schema_name):
            User.objects.filter(pk=newcomer.pk).delete()
