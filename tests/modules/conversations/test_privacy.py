"""Only participants see a conversation: page, poll endpoint and API answer 404 to everyone else,
moderators and admins included, and town B never sees town A's conversations."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from accounts.models import Role
from modules.conversations.models import Message
from tests.accounts.factories import UserFactory
from tests.api.helpers import issue_token, token_client
from tests.helpers import TownClient, admin_of, host_of, logged_in_client
from tests.modules.conversations.factories import ConversationFactory


def _routes(pk: int) -> list[tuple[str, str]]:
    return [
        ("get", f"/conversations/{pk}/"),
        ("post", f"/conversations/{pk}/"),
        ("get", f"/conversations/{pk}/poll/?after=0"),
        ("get", f"/api/v1/conversations/{pk}/messages/"),
        ("post", f"/api/v1/conversations/{pk}/messages/send/"),
    ]


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.MODERATOR, Role.ADMIN])
def test_people_outside_the_conversation_get_404_whatever_their_role(town_a, anna, ben, role):
    conversation = ConversationFactory(sender=anna, recipients=[ben], text="Nur für uns zwei")
    outsider = UserFactory(email=f"aussen-{role}@example.org", role=role)
    client = logged_in_client(town_a, outsider)

    for method, url in _routes(conversation.pk):
        response = getattr(client, method)(url, {"text": "Ich lese mit"})
        assert response.status_code == 404, (method, url)
    assert "Nur für uns zwei" not in client.get("/conversations/").content.decode()
    assert list(Message.objects.values_list("text", flat=True)) == ["Nur für uns zwei"]


def test_anonymous_visitors_are_sent_to_the_login_and_the_api_says_401(town_a, anna, ben):
    conversation = ConversationFactory(sender=anna, recipients=[ben])
    client = TownClient(host_of(town_a))
    for url in (f"/conversations/{conversation.pk}/", f"/conversations/{conversation.pk}/poll/", "/conversations/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(f"/api/v1/conversations/{conversation.pk}/messages/").status_code == 401


def test_town_b_sees_nothing_of_town_a_even_with_the_same_ids(town_a, town_b, anna, ben):
    # given: a conversation in A between Anna and Ben; in B a person with Anna's id and e-mail
    conversation = ConversationFactory(sender=anna, recipients=[ben], text="Geheim in Altdorf")
    with schema_context(town_b.schema_name):
        twin = UserFactory(email="anna@example.org", name="Anna Zwilling")
        twin_token = issue_token(town_b, twin)
    client_b = logged_in_client(town_b, twin)
    admin_b = logged_in_client(town_b, admin_of(town_b))

    for client in (client_b, admin_b):
        for method, url in _routes(conversation.pk):
            response = getattr(client, method)(url, {"text": "Hallo?"})
            assert response.status_code == 404, (method, url)
        assert "Geheim in Altdorf" not in client.get("/conversations/").content.decode()
    api_b = token_client(town_b, twin_token)
    for method, url in _routes(conversation.pk):
        if url.startswith("/api/"):
            assert getattr(api_b, method)(url, {"text": "Hallo?"}).status_code == 404, (method, url)
    assert api_b.get("/api/v1/conversations/").json()["count"] == 0
    with schema_context(town_b.schema_name):
        assert not Message.objects.exists()


def test_a_person_of_town_b_cannot_be_added_to_a_conversation_in_town_a(town_a, town_b, anna):
    with schema_context(town_b.schema_name):
        only_in_b = UserFactory(email="nur-in-bergdorf@example.org", verified=False)  # its id changes below
        foreign_id = only_in_b.pk + 1000  # an id that only B has (A has no user with it)
        from accounts.models import User

        User.objects.filter(pk=only_in_b.pk).update(id=foreign_id)
    client = logged_in_client(town_a, anna)
    response = client.post(f"/conversations/new/?to={foreign_id}", {"recipients": [foreign_id], "text": "Hallo"})
    assert response.status_code == 400
    assert not Message.objects.exists()
    # and the service refuses the id too, with a clear message
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from modules.conversations import services

    with pytest.raises(ValidationError) as error:
        services.conversation_start(acting_user=anna, recipient_ids=[foreign_id], text="Hallo")
    assert _("Some of these people are not residents of this town.") in error.value.messages
