"""Reporting: one open report per person and content, clear refusals that store nothing."""

from __future__ import annotations

import pytest
from django.utils.translation import gettext as _
from django.utils.translation import override

from modules.moderation import facade
from modules.moderation.models import Case, Report
from tests.accounts.factories import UserFactory
from tests.helpers import TownClient, host_of, logged_in_client
from tests.modules.moderation.helpers import moderation_switch_off


def _post(client, url, data):
    with override("de"):
        return client.post(url, data, HTTP_ACCEPT_LANGUAGE="de")


@pytest.mark.parametrize(("data", "message"), [
    ({"category": "spam", "text": ""}, "This field is required."),
    ({"category": "", "text": "Werbung"}, "This field is required."),
    ({"category": "erfunden", "text": "Werbung"},
     "Select a valid choice. %(value)s is not one of the available choices."),
    ({"category": "spam", "text": "x" * 2001}, None),
    ({"category": "spam", "text": "<b> </b><i></i>"}, "Please explain what is wrong with this content."),
])
def test_bad_input_gets_a_clear_message_and_stores_nothing(town_a, fake_kind, resident, reporter, data, message):
    fake_kind.add(1, author=resident)
    response = _post(logged_in_client(town_a, reporter), facade.report_url(kind="test.note", object_id=1), data)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    if message:
        with override("de"):
            expected = _(message).split("%")[0]
        assert expected in response.content.decode()
    assert not Case.objects.exists() and not Report.objects.exists()


def test_html_in_a_report_is_stored_as_plain_text(town_a, fake_kind, resident, reporter):
    fake_kind.add(1, author=resident)
    logged_in_client(town_a, reporter).post(facade.report_url(kind="test.note", object_id=1),
                                            {"category": "insult", "text": "<b>Beleidigung</b><script>x()</script>"})
    assert Report.objects.get().text == "Beleidigungx()"


def test_one_open_report_per_reporter_and_content(town_a, fake_kind, resident, reporter):
    fake_kind.add(1, author=resident)
    client = logged_in_client(town_a, reporter)
    url = facade.report_url(kind="test.note", object_id=1)
    assert client.post(url, {"category": "spam", "text": "Spam"}).status_code == 302
    response = _post(client, url, {"category": "spam", "text": "Noch einmal Spam"})
    assert response.status_code == 400
    with override("de"):
        assert _("You have already reported this content. The moderators will look at it.") in (
            response.content.decode())
    assert Report.objects.count() == 1


def test_own_content_unknown_content_and_anonymous_visitors(town_a, fake_kind, resident):
    fake_kind.add(1, author=resident)
    url = facade.report_url(kind="test.note", object_id=1)
    own = _post(logged_in_client(town_a, resident), url, {"category": "spam", "text": "Ich selbst"})
    assert own.status_code == 400
    with override("de"):
        assert _("You can't report your own content.") in own.content.decode()
    someone = logged_in_client(town_a, UserFactory(email="jemand@example.org"))
    assert someone.get(facade.report_url(kind="test.note", object_id=99)).status_code == 404
    assert someone.get(facade.report_url(kind="nirgends.ding", object_id=1)).status_code == 404
    assert someone.get(facade.report_url(kind="moderation.profile", object_id=987654)).status_code == 404
    anonymous = TownClient(host_of(town_a)).post(url, {"category": "spam", "text": "Spam"})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert not Report.objects.exists()


def test_a_report_returns_to_the_content_but_never_to_another_site(town_a, fake_kind, resident, reporter):
    fake_kind.add(1, author=resident)
    client = logged_in_client(town_a, reporter)
    url = facade.report_url(kind="test.note", object_id=1)
    response = client.post(url, {"category": "spam", "text": "Spam", "next": "https://evil.example/"})
    assert response["Location"] == "/notizen/1/"


def test_the_module_switched_off_takes_the_report_form_with_it(town_a, fake_kind, resident, reporter):
    fake_kind.add(1, author=resident)
    moderation_switch_off(town_a)
    client = logged_in_client(town_a, reporter)
    assert client.post(facade.report_url(kind="test.note", object_id=1),
                       {"category": "spam", "text": "Spam"}).status_code == 404
    assert not Report.objects.exists()


def test_private_content_is_404_for_people_who_cannot_see_it(town_a, fake_kind, resident, reporter):
    # given: a note only its author and the reporter can see (like a message in their conversation)
    fake_kind.add(1, author=resident, text="Nur für Max")
    fake_kind.private[1] = {resident.pk, reporter.pk}
    outsider = UserFactory(email="aussen@example.org")
    url = facade.report_url(kind="test.note", object_id=1)
    # then: the outsider learns nothing, by page or API, and can't report it
    page = logged_in_client(town_a, outsider).get(url)
    assert page.status_code == 404 and "Nur für Max" not in page.content.decode()
    assert logged_in_client(town_a, outsider).post(url, {"category": "spam", "text": "Spam"}).status_code == 404
    api = logged_in_client(town_a, outsider).post(
        "/api/v1/moderation/reports/create/", {"kind": "test.note", "object_id": 1, "category": "spam", "text": "x"},
        content_type="application/json")
    assert api.status_code == 404
    assert not Report.objects.exists()
    # while the person who received it can report it
    sent = logged_in_client(town_a, reporter).post(url, {"category": "insult", "text": "Beleidigung"})
    assert sent.status_code == 302
