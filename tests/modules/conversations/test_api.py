"""The API with a personal token: your conversations, a conversation's messages, sending; 404 for outsiders."""

from __future__ import annotations

from modules.conversations.models import Message
from tests.api.helpers import issue_token, token_client
from tests.modules.conversations.factories import ConversationFactory


def test_a_resident_lists_reads_and_writes_with_a_token(town_a, anna, ben, carla):
    conversation = ConversationFactory(sender=anna, recipients=[ben], text="Hallo Ben")
    ConversationFactory(sender=anna, recipients=[carla], text="Hallo Carla")  # not Ben's
    api = token_client(town_a, issue_token(town_a, ben))

    listing = api.get("/api/v1/conversations/").json()
    assert listing["count"] == 1
    row = listing["results"][0]
    assert row["id"] == conversation.pk and row["unread"] == 1 and row["direct"] is True
    assert row["people"] == [{"id": anna.pk, "name": "Anna A."}]
    assert row["url"] == f"http://altdorf.localhost/conversations/{conversation.pk}/"

    messages = api.get(f"/api/v1/conversations/{conversation.pk}/messages/").json()
    assert [m["text"] for m in messages] == ["Hallo Ben"] and messages[0]["own"] is False
    assert api.get("/api/v1/conversations/").json()["results"][0]["unread"] == 0  # reading marks read

    sent = api.post(f"/api/v1/conversations/{conversation.pk}/messages/send/", {"text": "Hallo Anna"},
                    content_type="application/json")
    assert sent.status_code == 201 and sent.json()["own"] is True
    newer = api.get(f"/api/v1/conversations/{conversation.pk}/messages/?after={messages[0]['id']}").json()
    assert [m["text"] for m in newer] == ["Hallo Anna"]
    older = api.get(f"/api/v1/conversations/{conversation.pk}/messages/?before={newer[0]['id']}&limit=1").json()
    assert [m["text"] for m in older] == ["Hallo Ben"]


def test_outsiders_get_404_and_bad_input_400(town_a, anna, ben, carla):
    conversation = ConversationFactory(sender=anna, recipients=[ben])
    outsider = token_client(town_a, issue_token(town_a, carla))
    assert outsider.get(f"/api/v1/conversations/{conversation.pk}/messages/").status_code == 404
    assert outsider.post(f"/api/v1/conversations/{conversation.pk}/messages/send/", {"text": "x"},
                         content_type="application/json").status_code == 404

    member = token_client(town_a, issue_token(town_a, ben))
    for body in ({"text": ""}, {"text": "x" * 4001}, {}):
        response = member.post(f"/api/v1/conversations/{conversation.pk}/messages/send/", body,
                               content_type="application/json")
        assert response.status_code == 400
    assert Message.objects.count() == 1


def test_a_blocked_sender_gets_403_with_the_reason(town_a, anna, ben):
    from modules.conversations import services

    conversation = ConversationFactory(sender=anna, recipients=[ben])
    services.block_create(acting_user=anna, blocked_id=ben.pk)
    response = token_client(town_a, issue_token(town_a, ben)).post(
        f"/api/v1/conversations/{conversation.pk}/messages/send/", {"text": "Hallo"}, content_type="application/json"
    )
    assert response.status_code == 403 and "Anna A." in response.json()["detail"]
    assert Message.objects.count() == 1
