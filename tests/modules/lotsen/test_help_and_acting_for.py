"""Help requests from anyone reach the Lotsen; a Lotse posts and registers for someone who agreed, marked as
such; the cockpit counts it; other people's accounts stay out of reach."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from modules.board.models import Post
from modules.lotsen import services
from modules.lotsen.models import HelpRequest
from tests.accounts.factories import UserFactory
from tests.helpers import TownClient, admin_of, host_of, logged_in_client, shown
from tests.modules.board.factories import TopicFactory
from tests.modules.events.factories import EventFactory


def test_anyone_asks_for_help_and_a_lotse_takes_it_once(lotse, town_a):
    visitor = TownClient(host_of(town_a))
    page = visitor.get("/news/").content.decode()
    assert shown("Ask for help") in page  # from any page
    assert visitor.post("/lotsen/", {"name": "", "contact": "", "topic": "phone"}).status_code == 400
    assert not HelpRequest.objects.exists()
    assert visitor.post("/lotsen/", {"name": "Walter", "contact": "02741 9876", "topic": "phone",
                                     "message": "Handy"}).status_code == 302
    request = HelpRequest.objects.get()

    client = logged_in_client(town_a, lotse)
    assert "Walter" in client.get("/lotsen/bereich/").content.decode()
    assert client.post(f"/lotsen/hilfe/{request.pk}/nehmen/").status_code == 302
    other = UserFactory(email="zweite@example.org")
    services.lotse_appoint(acting_user=admin_of(town_a), email=other.email)
    second = logged_in_client(town_a, other)
    second.post(f"/lotsen/hilfe/{request.pk}/nehmen/")
    request.refresh_from_db()
    assert request.taken_by == lotse
    assert client.post(f"/lotsen/hilfe/{request.pk}/erledigt/").status_code == 302
    request.refresh_from_db()
    assert request.done_at is not None

    # Six requests an hour from one address: the sixth is refused.
    for number in range(5):
        visitor.post("/lotsen/", {"name": f"W{number}", "contact": "1", "topic": "other"})
    assert visitor.post("/lotsen/", {"name": "W6", "contact": "1", "topic": "other"}).status_code == 429


def test_a_lotse_posts_and_registers_for_someone_who_agreed_and_for_nobody_else(lotse, town_a):
    registration, _code = services.resident_register(acting_user=lotse, name="Hildegard Becker", consent=True)
    topic = TopicFactory(name="Suche")
    event = EventFactory(title="Seniorennachmittag", registration_enabled=True, capacity=10)
    client = logged_in_client(town_a, lotse)
    page = client.get(f"/lotsen/personen/{registration.pk}/").content.decode()
    assert shown("Post on the Pinnwand for them") in page and shown("Register them for an event") in page

    response = client.post(f"/lotsen/personen/{registration.pk}/beitrag/",
                           {"topic": topic.pk, "text": "Wer kann mir am Samstag beim Laub helfen?"})
    post = Post.objects.get()
    assert response.status_code == 302 and post.author == registration.resident and post.entered_by == lotse
    board = client.get(post.get_absolute_url()).content.decode()
    assert shown("typed in by Digitallotse %(helper)s", helper="Lotte L.") in board

    client.post(f"/lotsen/personen/{registration.pk}/veranstaltung/", {"event": event.pk, "places": "1"})
    assert event.registrations.get().user == registration.resident

    # A resident who never agreed through a Lotse: no acting for them.
    stranger = UserFactory(email="fremd@example.org")
    try:
        services.post_for(acting_user=lotse, resident_id=stranger.pk, topic_id=topic.pk, text="Hallo")
    except PermissionDenied:
        pass
    else:
        raise AssertionError("a Lotse acted for someone who never agreed")
    assert Post.objects.count() == 1

    cockpit = logged_in_client(town_a, admin_of(town_a)).get("/backoffice/ueberblick/").content.decode()
    assert shown("Digitallotsen in the last 90 days") in cockpit
    assert "Laub" not in cockpit  # counts only
