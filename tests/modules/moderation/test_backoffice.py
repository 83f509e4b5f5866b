"""The town keeps its word filter and limits; the demo town gets sensible defaults."""

from __future__ import annotations

from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import override

from modules.moderation import demo, facade
from modules.moderation.models import AuditEntry, BlockedTerm, Case
from tests.accounts.factories import UserFactory
from tests.helpers import admin_of, logged_in_client
from tests.modules.moderation.factories import BlockedTermFactory


def test_moderators_keep_the_word_filter_one_term_per_line(town_a, moderator):
    client = logged_in_client(town_a, moderator)
    assert client.get("/moderation/manage/word-filter/").status_code == 200
    response = client.post("/moderation/manage/word-filter/",
                           {"terms": "Vollidiot\n  online   CASINO \n\nvollidiot\n<b>Mist</b>"})
    assert response.status_code == 302
    assert list(BlockedTerm.objects.values_list("term", flat=True)) == ["mist", "online casino", "vollidiot"]
    assert AuditEntry.objects.filter(action="word_filter", actor=moderator).count() == 1
    page = client.get("/moderation/manage/word-filter/").content.decode()
    assert "online casino\nvollidiot" in page
    # removing a term
    client.post("/moderation/manage/word-filter/", {"terms": "vollidiot"})
    assert list(BlockedTerm.objects.values_list("term", flat=True)) == ["vollidiot"]


def test_an_oversized_term_is_refused_and_nothing_changes(town_a, moderator):
    BlockedTermFactory(term="vollidiot")
    with override("de"):
        response = logged_in_client(town_a, moderator).post(
            "/moderation/manage/word-filter/", {"terms": "kurz\n" + "x" * 61}, HTTP_ACCEPT_LANGUAGE="de")
        assert response.status_code == 400
        assert _("“%(term)s” is too long: at most %(max)d characters per term.") % {
            "term": "x" * 61, "max": 60} in response.content.decode()
    assert list(BlockedTerm.objects.values_list("term", flat=True)) == ["vollidiot"]


def test_the_limits_are_the_modules_settings_with_sane_bounds(town_a):
    admin = logged_in_client(town_a, admin_of(town_a))
    page = admin.get("/backoffice/modules/moderation/settings/")
    assert page.status_code == 200 and 'name="posts_per_day"' in page.content.decode()
    bad = admin.post("/backoffice/modules/moderation/settings/", {
        "new_account_days": "-1", "posts_per_day": "0", "comments_per_day": "20", "messages_per_day": "20",
        "groups_per_day": "1"})
    assert bad.status_code == 400
    good = admin.post("/backoffice/modules/moderation/settings/", {
        "new_account_days": "30", "posts_per_day": "2", "comments_per_day": "20", "messages_per_day": "20",
        "groups_per_day": "1"})
    assert good.status_code == 302
    connection.set_tenant(town_a)
    from modules.moderation.conf import limits_get

    assert limits_get().posts_per_day == 2 and limits_get().new_account_days == 30


def test_the_demo_loads_a_word_filter_limits_and_a_report_once(in_town_a):
    from demo.data import email_of

    UserFactory(email=email_of("maria.weber"), name="Maria Weber")
    UserFactory(email=email_of("peter.schneider"), name="Peter Schneider")
    assert demo.load() > 0
    assert demo.load() == 0
    assert BlockedTerm.objects.filter(term="vollidiot").exists()
    assert Case.objects.filter(kind="moderation.profile").count() == 1
    from django.core.exceptions import ValidationError
    from pytest import raises

    with raises(ValidationError):
        facade.text_check("Du Vollidiot!")
