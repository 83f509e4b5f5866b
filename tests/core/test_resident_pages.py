"""Signed-in residents share the pages that are the same for them all (core.resident_pages): a second
resident's page comes from the cache with their own name, menu and token; a page that shows anything
of its person's own is never shared; a change shows at once; nothing crosses to another town."""

from __future__ import annotations

import copy
import re
from unittest import mock

from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from core.page_cache import generation_bump
from core.visitor_pages import CSRF_PLACEHOLDER
from modules.board.models import Post
from modules.proposals.models import Proposal
from tests.accounts.factories import UserFactory
from tests.helpers import TownClient, host_of, logged_in_client
from tests.modules.board.factories import PostFactory
from tests.modules.conversations.factories import ConversationFactory
from tests.modules.council.factories import make_meeting, make_member
from tests.modules.groups.factories import GroupFactory
from tests.modules.groups.factories import PostFactory as GroupPostFactory
from tests.modules.news.factories import ArticleFactory
from tests.modules.proposals.factories import make_proposal
from tests.modules.waste.factories import WasteHomeFactory
from tests.town.factories import MembershipFactory, OrtsgemeindeFactory, ResidentProfileFactory

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
MARKER = "<!--dorfkern-personal-"


def _residents(town, *names: str, place=None):
    with schema_context(town.schema_name):
        place = place or OrtsgemeindeFactory()
        people = [ResidentProfileFactory(user=UserFactory(name=name), ortsgemeinde=place).user for name in names]
    clients = []
    for person in people:
        client = logged_in_client(town, person)
        client.person = person
        clients.append(client)
    return clients


def _queries(client, path: str) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode(), [query["sql"] for query in captured.captured_queries]


def test_a_second_resident_gets_the_shared_news_page_with_their_own_menu_and_token(town_a):
    # given: Walburga read the news list
    anna, bernd = _residents(town_a, "Walburga Arnold", "Bernd Becker")
    with schema_context(town_a.schema_name):
        ArticleFactory(title="Kirmes am Wochenende")
    anna.get("/news/")
    bernd.handler.enforce_csrf_checks = True

    # when
    html, queries = _queries(bernd, "/news/")

    # then: the list came from the cache, the header is Bernd's
    assert not any("news_article" in query for query in queries)
    assert "Kirmes am Wochenende" in html
    assert "Bernd" in html and "Walburga" not in html
    assert MARKER not in html and CSRF_PLACEHOLDER not in html
    token = TOKEN.search(html).group(1)
    signed_out = bernd.post("/accounts/logout/", {"csrfmiddlewaretoken": token})
    assert signed_out.status_code == 302


def test_a_change_shows_to_the_next_resident_at_once(town_a):
    # given
    anna, bernd = _residents(town_a, "Walburga Arnold", "Bernd Becker")
    anna.get("/news/")

    # when
    with schema_context(town_a.schema_name):
        ArticleFactory(title="Straßensperrung Hauptstraße")

    # then
    assert "Straßensperrung Hauptstraße" in bernd.get("/news/").content.decode()


def test_a_page_that_shows_its_reader_their_own_rows_is_never_shared(town_a):
    # given: Anna's proposal was hidden by the moderators; only she still sees it in the list
    anna, bernd = _residents(town_a, "Walburga Arnold", "Bernd Becker")
    with schema_context(town_a.schema_name):
        proposal = make_proposal(author=anna.person, title="Mein verborgener Vorschlag")
        Proposal.objects.filter(pk=proposal.pk).update(is_hidden=True)
    assert "Mein verborgener Vorschlag" in anna.get("/proposals/").content.decode()

    # when
    theirs = bernd.get("/proposals/").content.decode()

    # then
    assert "Mein verborgener Vorschlag" not in theirs
    assert "Mein verborgener Vorschlag" in anna.get("/proposals/").content.decode()


def test_residents_of_another_village_get_their_own_page(town_a):
    # given: the page of Anna's village is cached
    (anna,) = _residents(town_a, "Walburga Arnold")
    (carla,) = _residents(town_a, "Carla Conrad")
    anna.get("/news/")

    # when
    _html, queries = _queries(carla, "/news/")

    # then: rendered for Carla's village, not read from Anna's
    assert any("news_article" in query for query in queries)


def test_a_waiting_message_is_shown_not_a_shared_page(town_a):
    # given: the page is cached for the audience, and Bernd has a message waiting
    anna, bernd = _residents(town_a, "Walburga Arnold", "Bernd Becker")
    anna.get("/news/")
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(constants.SUCCESS, "Gespeichert.")
    carrier = HttpResponse()
    storage.update(carrier)
    bernd.cookies[storage.cookie_name] = carrier.cookies[storage.cookie_name].value

    # when
    html = bernd.get("/news/").content.decode()

    # then
    assert "Gespeichert." in html


def test_a_town_never_gets_another_towns_resident_page(town_a, town_b):
    # given
    (anna,) = _residents(town_a, "Walburga Arnold")
    (bruno,) = _residents(town_b, "Bruno Braun")
    with schema_context(town_a.schema_name):
        ArticleFactory(title="Nur in Altdorf")
    assert "Nur in Altdorf" in anna.get("/news/").content.decode()

    # when
    in_b = bruno.get("/news/").content.decode()

    # then
    assert "Nur in Altdorf" not in in_b
    assert "Bruno" in in_b


def test_an_editor_keeps_their_edit_button_and_residents_share_the_article_without_it(town_a):
    # given: an article of the Verein Walburga edits, read first by its editor
    walburga, bernd, carla = _residents(town_a, "Walburga Arnold", "Bernd Becker", "Carla Conrad")
    with schema_context(town_a.schema_name):
        membership = MembershipFactory(user=walburga.person, organisation__is_approved=True)
        article = ArticleFactory(title="Vereinsfest", organisation=membership.organisation)
    path = f"/news/{article.slug}/"
    edit_link = f"/news/manage/{article.slug}/edit/"
    assert edit_link in walburga.get(path).content.decode()
    bernd.get(path)

    # when
    html, queries = _queries(carla, path)

    # then: Carla got the residents' shared page, with no edit button; the editor keeps hers
    assert not any("news_article" in query for query in queries)
    assert "Vereinsfest" in html and edit_link not in html
    assert edit_link in walburga.get(path).content.decode()


def test_an_author_keeps_their_own_hidden_post_while_readers_share_the_pinnwand(town_a):
    # given: Walburga's post was hidden by the moderators; Carla and Dieter of her village wrote nothing
    walburga, bernd, carla, dieter = _residents(town_a, "Walburga Arnold", "Bernd Becker", "Carla Conrad",
                                                "Dieter Dorn")
    with schema_context(town_a.schema_name):
        PostFactory(author=bernd.person, text="Wer leiht mir eine Leiter?")
        hidden = PostFactory(author=walburga.person, text="Mein verborgener Beitrag")
        Post.objects.filter(pk=hidden.pk).update(is_hidden=True)
        PostFactory(author=walburga.person, text="Kuchen am Sonntag")
        generation_bump("board")
    carla_page = carla.get("/board/").content.decode()

    # when: a second reader, and the author
    html, queries = _queries(dieter, "/board/")
    theirs = walburga.get("/board/").content.decode()

    # then: the readers share one page without the hidden post; the author still sees it
    assert not any('"board_post"."text"' in query for query in queries)
    assert "Kuchen am Sonntag" in html and "Mein verborgener Beitrag" not in html
    assert "Mein verborgener Beitrag" not in carla_page
    assert "Mein verborgener Beitrag" in theirs
    assert "Wer leiht mir eine Leiter?" in bernd.get("/board/").content.decode()


def test_council_members_see_the_members_only_meeting_and_residents_share_the_page_without_it(town_a):
    # given
    member, bernd, carla = _residents(town_a, "Walburga Arnold", "Bernd Becker", "Carla Conrad")
    with schema_context(town_a.schema_name):
        make_member(user=member.person, name="Walburga Arnold")
        make_meeting(title="Offene Ratssitzung")
        make_meeting(title="Klausurtagung", is_public=False)
    bernd.get("/council/")

    # when
    html, queries = _queries(carla, "/council/")

    # then
    assert not any("council_meeting" in query for query in queries)
    assert "Offene Ratssitzung" in html and "Klausurtagung" not in html
    assert "Klausurtagung" in member.get("/council/").content.decode()


def test_a_resident_who_saved_their_street_still_goes_straight_to_its_calendar(town_a):
    # given: the street picker is cached for residents without a saved street
    walburga, bernd = _residents(town_a, "Walburga Arnold", "Bernd Becker")
    assert bernd.get("/waste/").status_code == 200
    with schema_context(town_a.schema_name):
        home = WasteHomeFactory(user=walburga.person)

    # when
    response = walburga.get("/waste/")

    # then
    assert response.status_code == 302 and response["Location"] == home.area.get_absolute_url()


def test_a_page_known_to_be_personal_is_rendered_for_each_person_without_the_cache(town_a):
    # given: Walburga's account page came out personal
    walburga, bernd = _residents(town_a, "Walburga Arnold", "Bernd Becker")
    walburga.get("/konto/")

    # when
    with mock.patch("core.resident_pages.visitor_pages_generation") as lookup:
        html = bernd.get("/konto/").content.decode()

    # then: rendered for Bernd, with his own menu, and no cache lookup for a page that can't be shared
    assert lookup.call_count == 0
    assert "Bernd" in html and "Walburga" not in html
    assert MARKER not in html


def test_residents_share_the_start_page_each_with_their_own_feed_and_messages(town_a):
    # given: Bernd is in a group with a new post and has a message from Walburga; Walburga saw the start page
    walburga, bernd = _residents(town_a, "Walburga Arnold", "Bernd Becker")
    with schema_context(town_a.schema_name):
        GroupPostFactory(group=GroupFactory(name="Chor", members=(bernd.person,)), author=bernd.person,
                         text="Probe am Dienstag fällt aus.")
        ConversationFactory(sender=walburga.person, recipients=[bernd.person], text="Kommst du?")
    walburga_home = walburga.get("/").content.decode()

    # when
    with mock.patch("core.views.home_widgets") as widgets:
        bernd_home = bernd.get("/").content.decode()

    # then: Bernd's page came from the cache (no widgets built), with his own feed, message count and menu
    assert widgets.call_count == 0
    assert "Probe am Dienstag" in bernd_home and "conversations-widget" in bernd_home and "Bernd" in bernd_home
    assert "Probe am Dienstag" not in walburga_home and "conversations-widget" not in walburga_home
    assert "Walburga" not in bernd_home and MARKER not in bernd_home


def test_residents_share_the_message_list_page_each_with_their_own_conversations(town_a):
    # given: Walburga writes with Carla; Bernd has no conversation; Walburga opened her list
    walburga, bernd = _residents(town_a, "Walburga Arnold", "Bernd Becker")
    with schema_context(town_a.schema_name):
        ConversationFactory(sender=UserFactory(name="Carla Conrad"), recipients=[walburga.person], text="Hallo!")
    walburga_list = walburga.get("/conversations/").content.decode()

    # when
    with mock.patch("modules.conversations.views.render") as render:
        bernd_list = bernd.get("/conversations/").content.decode()

    # then: the page came from the cache; each list is its reader's own
    assert render.call_count == 0
    assert "Carla" in walburga_list and "1 ungelesene Nachricht" in walburga_list
    assert "Carla" not in bernd_list and "Noch keine Unterhaltungen" in bernd_list
    assert "Bernd" in bernd_list and MARKER not in bernd_list


def test_the_cached_site_header_gives_signed_in_and_anonymous_visitors_their_own_menu(town_a, settings):
    # given: whole pages are not cached, the header is; a resident saw the news
    settings.VISITOR_PAGE_CACHE_SECONDS = 0
    walburga, bernd = _residents(town_a, "Walburga Arnold", "Bernd Becker")
    assert 'href="/conversations/"' in walburga.get("/news/").content.decode()

    # when
    anonymous = TownClient(host_of(town_a)).get("/news/").content.decode()
    second = bernd.get("/news/").content.decode()

    # then: the menu's entry for signed-in people is theirs alone, and each account menu its person's
    assert 'href="/conversations/"' not in anonymous and "Walburga" not in anonymous
    assert 'href="/conversations/"' in second and "Bernd" in second and "Walburga" not in second
    assert MARKER not in second and MARKER not in anonymous


def test_a_residents_api_calls_answered_from_the_shared_page_still_count_against_their_limit(town_a, settings):
    # given: three calls a minute per person
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "user": "3/min"}}
    walburga, bernd = _residents(town_a, "Walburga Arnold", "Bernd Becker")
    walburga.get("/api/v1/ortsgemeinden/")  # the list is shared from now on

    # when
    answers = [bernd.get("/api/v1/ortsgemeinden/").status_code for _ in range(4)]

    # then: the fourth is refused, although the first three came from the cache
    assert answers == [200, 200, 200, 429]


def test_the_watched_person_notes_every_read_beyond_the_audience():
    """What keeps one resident's name or rows out of another's page: every read of the person is seen."""
    # given
    from core.resident_pages import AUDIENCE_ATTRIBUTES, AUDIENCE_PARTS, _Watched

    person = UserFactory.build(name="Walburga Arnold", role="resident")
    reads: set[str] = set()
    watched = _Watched(person, AUDIENCE_ATTRIBUTES, reads, AUDIENCE_PARTS)

    # when: what shared pages may ask
    assert watched.is_authenticated and watched.role == "resident" and not watched.is_town_admin

    # then: nothing noted; each personal read is
    assert reads == set()
    for read in (lambda: watched.pk, lambda: watched.email, lambda: watched.get_short_name(),
                 lambda: watched == person, lambda: str(watched), lambda: copy.copy(watched)):
        read()
    assert {"pk", "email", "get_short_name", "==", "str", "copy"} <= reads


def test_a_hole_whose_fragment_is_no_longer_provided_is_left_empty(town_a):
    """A page cached just before its town switched a module off: the module's widget is simply not there."""
    from core.capabilities import personal_fragments

    (walburga,) = _residents(town_a, "Walburga Arnold")
    request = RequestFactory().get("/")
    request.user = walburga.person
    with schema_context(town_a.schema_name):
        assert personal_fragments(request, ["fragment:HomeWidget:gone:5", "fragment:NoKind:x:1", "odd"]) == [
            "", "", ""]


def test_pages_a_module_declares_personal_are_left_to_the_view_at_once(town_a):
    # given: the messages API is each person's own (modules.conversations.facts.PRIVATE)
    (walburga,) = _residents(town_a, "Walburga Arnold")

    # when
    with mock.patch("core.resident_pages.town_standing") as standing, \
            mock.patch("core.resident_pages.visitor_pages_generation") as lookup:
        response = walburga.get("/api/v1/conversations/")

    # then: answered by the view, without working out an audience or looking in the cache
    assert response.status_code == 200 and response.json()["count"] == 0
    assert standing.call_count == 0 and lookup.call_count == 0
