"""Writing and reading: start a conversation, send without JavaScript, newest activity first, unread counts."""

from __future__ import annotations

from django.utils.translation import gettext as _

from modules.conversations import selectors
from modules.conversations.models import Conversation, Participant
from tests.helpers import logged_in_client
from tests.modules.conversations.factories import ConversationFactory, MessageFactory


def test_a_resident_starts_a_conversation_and_the_other_reads_and_answers(town_a, anna, ben):
    # given: Anna follows a "write a message" link to Ben
    client = logged_in_client(town_a, anna)
    page = client.get(f"/conversations/new/?to={ben.pk}")
    assert page.status_code == 200
    assert "Ben B." in page.content.decode()
    assert "ben@example.org" not in page.content.decode()

    # when
    response = client.post(f"/conversations/new/?to={ben.pk}", {"recipients": [ben.pk], "text": "Hallo Ben!"})

    # then: she lands in the conversation, and Ben sees it with one unread message
    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith(f"/conversations/{conversation.pk}/#message-")
    assert conversation.is_direct
    ben_client = logged_in_client(town_a, ben)
    listing = ben_client.get("/conversations/").content.decode()
    assert "Anna A." in listing and f"/conversations/{conversation.pk}/" in listing
    assert selectors.unread_total(user=ben) == 1
    detail = ben_client.get(f"/conversations/{conversation.pk}/").content.decode()
    assert "Hallo Ben!" in detail

    # when: Ben answers with the plain form (no JavaScript)
    answer = ben_client.post(f"/conversations/{conversation.pk}/", {"text": "Hallo Anna, gern!"})

    # then
    assert answer.status_code == 302
    texts = list(conversation.messages.values_list("text", flat=True))
    assert texts == ["Hallo Ben!", "Hallo Anna, gern!"]
    assert selectors.unread_total(user=ben) == 0 and selectors.unread_total(user=anna) == 1


def test_the_conversation_page_lists_messages_oldest_first_with_sender_and_time(town_a, anna, ben):
    conversation = ConversationFactory(sender=anna, recipients=[ben], text="Erste")
    MessageFactory(conversation=conversation, sender=ben, text="Zweite")
    MessageFactory(conversation=conversation, sender=anna, text="Dritte")

    page = logged_in_client(town_a, ben).get(f"/conversations/{conversation.pk}/").content.decode()

    assert page.index("Erste") < page.index("Zweite") < page.index("Dritte")
    assert "Anna A." in page and "<time datetime=" in page


def test_writing_to_the_same_person_again_reuses_the_conversation(town_a, anna, ben):
    first = ConversationFactory(sender=anna, recipients=[ben], text="Eins")
    # the link to Ben goes straight to the existing conversation
    client = logged_in_client(town_a, anna)
    response = client.get(f"/conversations/new/?to={ben.pk}")
    assert response.status_code == 302 and response["Location"] == f"/conversations/{first.pk}/"
    # and Ben writing to Anna lands in it too
    again = ConversationFactory(sender=ben, recipients=[anna], text="Zwei")
    assert again.pk == first.pk
    assert Conversation.objects.count() == 1


def test_a_group_of_three_and_the_list_shows_newest_activity_first(town_a, anna, ben, carla):
    older = ConversationFactory(sender=anna, recipients=[ben], text="Zu zweit")
    group = ConversationFactory(sender=anna, recipients=[ben, carla], text="Zu dritt")
    assert not group.is_direct and Participant.objects.filter(conversation=group).count() == 3

    page = logged_in_client(town_a, ben).get("/conversations/").content.decode()
    assert page.index(f"/conversations/{group.pk}/") < page.index(f"/conversations/{older.pk}/")

    # when: someone writes in the older one, it moves to the top
    logged_in_client(town_a, anna).post(f"/conversations/{older.pk}/", {"text": "Noch was"})
    page = logged_in_client(town_a, ben).get("/conversations/").content.decode()
    assert page.index(f"/conversations/{older.pk}/") < page.index(f"/conversations/{group.pk}/")


def test_unread_counts_per_conversation_and_in_total(town_a, anna, ben, carla):
    one = ConversationFactory(sender=anna, recipients=[ben], text="a")
    MessageFactory(conversation=one, sender=anna, text="b")
    ConversationFactory(sender=carla, recipients=[ben], text="c")
    page = selectors.conversation_page_for(user=ben, number=1, per_page=30)
    rows = {c.pk: c.unread for c in page.object_list}
    assert rows[one.pk] == 2 and sum(rows.values()) == 3
    assert selectors.unread_total(user=ben) == 3
    assert selectors.unread_total(user=anna) == 0  # your own messages are read

    # the start page tells Ben
    home = logged_in_client(town_a, ben).get("/").content.decode()
    assert "3" in home and "/conversations/" in home

    # when: Ben opens the first conversation
    logged_in_client(town_a, ben).get(f"/conversations/{one.pk}/")
    assert selectors.unread_total(user=ben) == 1


def test_the_poll_endpoint_returns_only_newer_messages_as_json(town_a, anna, ben):
    conversation = ConversationFactory(sender=anna, recipients=[ben], text="Alt")
    first = conversation.messages.get()
    MessageFactory(conversation=conversation, sender=anna, text="Neu <b>fett</b>")

    response = logged_in_client(town_a, ben).get(f"/conversations/{conversation.pk}/poll/?after={first.pk}")

    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    assert [m["text"] for m in data["messages"]] == ["Neu <b>fett</b>"]  # raw text; the script uses textContent
    assert data["messages"][0]["sender"] == "Anna A."
    assert data["messages"][0]["report_url"]
    # polling marks them read (the tab is visible)
    assert selectors.unread_total(user=ben) == 0


def test_the_page_loads_the_polling_script_as_a_static_file(town_a, anna, ben):
    conversation = ConversationFactory(sender=anna, recipients=[ben])
    page = logged_in_client(town_a, ben).get(f"/conversations/{conversation.pk}/").content.decode()
    assert "conversations/poll.js" in page and 'data-poll-url="/conversations/' in page
    assert "<script>" not in page.split("<main", 1)[1]  # nothing inline
    assert _("Send") in page


def test_leaving_a_group_removes_it_from_your_list_and_stops_its_messages(town_a, anna, ben, carla):
    group = ConversationFactory(sender=anna, recipients=[ben, carla], text="Wer kommt?")
    client = logged_in_client(town_a, ben)
    assert _("Leave this conversation") in client.get(f"/conversations/{group.pk}/").content.decode()

    response = client.post(f"/conversations/{group.pk}/leave/")

    assert response.status_code == 302 and response["Location"] == "/conversations/"
    assert client.get(f"/conversations/{group.pk}/").status_code == 404
    assert f"/conversations/{group.pk}/" not in client.get("/conversations/").content.decode()
    assert set(group.participants.values_list("user_id", flat=True)) == {anna.pk, carla.pk}


def test_a_one_to_one_conversation_cannot_be_left(town_a, anna, ben):
    conversation = ConversationFactory(sender=anna, recipients=[ben])
    client = logged_in_client(town_a, ben)
    assert _("Leave this conversation") not in client.get(f"/conversations/{conversation.pk}/").content.decode()
    client.post(f"/conversations/{conversation.pk}/leave/")
    assert conversation.participants.count() == 2


def test_the_list_pages_through_many_conversations(town_a, anna):
    from modules.conversations.views import LIST_PAGE_SIZE
    from tests.accounts.factories import UserFactory

    people = [UserFactory(email=f"nachbar{number}@example.org") for number in range(LIST_PAGE_SIZE + 1)]
    oldest = ConversationFactory(sender=people[0], recipients=[anna], text="Älteste")
    for person in people[1:]:
        ConversationFactory(sender=person, recipients=[anna], text="Neuer")
    client = logged_in_client(town_a, anna)
    first = client.get("/conversations/").content.decode()
    assert f"/conversations/{oldest.pk}/" not in first and "?page=2" in first
    assert f"/conversations/{oldest.pk}/" in client.get("/conversations/?page=2").content.decode()


def test_the_start_page_counts_unread_messages_until_they_are_read(town_a, anna, ben):
    # given: Ben's start page, cached with one unread message
    conversation = ConversationFactory(sender=anna, recipients=[ben], text="Kommst du morgen?")
    ben_client = logged_in_client(town_a, ben)
    assert "conversations-widget" in ben_client.get("/").content.decode()

    # when: he reads it
    ben_client.get(f"/conversations/{conversation.pk}/")

    # then: the start page no longer says a message waits
    assert "conversations-widget" not in ben_client.get("/").content.decode()
