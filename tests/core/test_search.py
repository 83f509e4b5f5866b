"""The site-wide search page (/suche/): every enabled module's results, friendly when there are none."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.search import QUERY_MAX_LENGTH, excerpt, highlight
from tests.core import search_content as content
from tests.helpers import logged_in_client, sql_statements


def test_the_page_shows_results_of_every_module_with_their_kind(in_town_a, client_a):
    # given content about the same thing in each searchable module
    content.article("Sommerfest der Feuerwehr", body="<p>Am Samstag grillt die Feuerwehr.</p>")
    content.business("Getränke Feuerstein", description="Getränke für jedes Feuerwehrfest")
    content.listing("Festzeltgarnitur", description="Für das Feuerwehrfest zu verleihen")
    content.board_post("Wer hilft beim Feuerwehrfest?\nWir brauchen noch Kuchen.")
    content.group("Förderverein Feuerwehr", description="Wir unterstützen unsere Feuerwehr.")
    # when a visitor searches for a word start
    page = client_a.get("/suche/", {"q": "Feuerwehr"}).content.decode()
    # then each module answers in a section of its own
    for heading in ("Nachrichten", "Branchenbuch", "Suche &amp; Biete", "Pinnwand", "Gruppen"):
        assert f">{heading}</h2>" in page, heading
    assert "Sommerfest der <mark>Feuerwehr</mark>" in page
    assert "Wer hilft beim <mark>Feuerwehrfest</mark>?" in page
    assert "Festzeltgarnitur" in page and "Förderverein" in page


def test_german_word_forms_and_word_starts_are_found(in_town_a, client_a):
    link = f'href="{content.article("Neue Fahrräder für die Grundschule").get_absolute_url()}"'
    assert link in client_a.get("/suche/", {"q": "Fahrrad"}).content.decode()
    assert link in client_a.get("/suche/", {"q": "Grundsch"}).content.decode()
    assert link not in client_a.get("/suche/", {"q": "Fahrrad -Grundschule"}).content.decode()


def test_an_empty_search_asks_for_words_without_searching(in_town_a, client_a, pages_rendered):
    client_a.get("/suche/")  # the town's lookups, cached from now on
    with CaptureQueriesContext(connection) as empty:
        response = client_a.get("/suche/", {"q": "   "})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Geben Sie ein oder mehrere Wörter ein" in page
    with CaptureQueriesContext(connection) as plain:
        client_a.get("/suche/")
    assert len(empty.captured_queries) == len(plain.captured_queries)


def test_nothing_found_gets_a_friendly_hint(in_town_a, client_a):
    page = client_a.get("/suche/", {"q": "Zwetschgenkuchenrezept"}).content.decode()
    assert "Nichts gefunden für „Zwetschgenkuchenrezept“." in page
    assert "Prüfen Sie die Schreibweise" in page


def test_a_too_long_query_is_refused_with_a_message(in_town_a, client_a):
    content.article("Feuerwehr")
    response = client_a.get("/suche/", {"q": "Feuerwehr " * 20})
    page = response.content.decode()
    assert response.status_code == 400
    assert f"höchstens {QUERY_MAX_LENGTH} Zeichen" in page
    assert "<mark>" not in page


def test_odd_input_never_breaks_the_search(in_town_a, client_a):
    content.article("Kirmes in Oberdorf")
    for query in ("Kirmes & | ! :*", "'Kirmes", "(Kirmes", "\\", "a_b", "<script>", "-", '"', "or"):
        response = client_a.get("/suche/", {"q": query})
        assert response.status_code == 200, query
        assert "<script>" not in response.content.decode().split("<main", 1)[1], query


def _queries(client, path: str, data: dict) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path, data).status_code == 200
    return len(sql_statements(queries))


def test_each_module_costs_a_fixed_number_of_queries(in_town_a, town_a):
    # given a signed-in resident and 5, then 30 matching rows in every module
    def fill(start: int, end: int) -> None:
        for number in range(start, end):
            content.board_post(f"Laterne {number} gesucht")
            group = content.group(f"Laternenfreunde {number}", description="Laterne")
            content.group_post(group, f"Laterne {number}")
            content.listing(f"Laterne {number}")
            content.article(f"Laterne {number}")
            content.business(f"Laternen {number}", description="Laterne")

    client = logged_in_client(town_a, content.resident("laterne@example.org"))
    fill(0, 5)
    client.get("/suche/", {"q": "Laterne"})  # the town's lookups, cached from now on as in production
    few = _queries(client, "/suche/", {"q": "Laterne"})
    # when
    fill(5, 30)
    many = _queries(client, "/suche/", {"q": "Laterne"})
    # then: the same whatever the rows, and at most two per section (news 2, Pinnwand 2, Branchenbuch 1,
    # Suche & Biete 1, groups 2 ...) plus the page's own six
    from core.capabilities import provided
    from core.search import SearchProvider

    assert few == many
    assert many <= 6 + 2 * len(provided(SearchProvider))
    page = client.get("/suche/", {"q": "Laterne"}).content.decode()
    assert "<mark>Laterne</mark> 29" in page  # the newer rows are really searched


def test_a_full_section_links_to_the_modules_own_search(in_town_a, client_a):
    for number in range(9):
        content.listing(f"Blumentopf {number}")
    page = client_a.get("/suche/", {"q": "Blumentopf"}).content.decode()
    assert 'href="/marketplace/?q=Blumentopf"' in page
    assert "Weitere Treffer in Suche &amp; Biete" in page


def test_a_switched_off_module_is_not_searched(in_town_a, client_a):
    from tenants.services import tenant_module_disable

    link = f'href="{content.listing("Kinderwagen abzugeben").get_absolute_url()}"'
    assert link in client_a.get("/suche/", {"q": "Kinderwagen"}).content.decode()
    tenant_module_disable(tenant=in_town_a, key="marketplace")
    assert link not in client_a.get("/suche/", {"q": "Kinderwagen"}).content.decode()


def test_the_header_has_a_search_field_on_every_town_page(client_a):
    page = client_a.get("/").content.decode()
    assert 'action="/suche/"' in page and 'id="site-search-q"' in page
    assert '<label for="site-search-q" class="visually-hidden">Die ganze Seite durchsuchen</label>' in page


def test_excerpts_are_plain_text_around_the_words_found():
    text = "<p>" + "Vorwort " * 60 + "Die <b>Feuerwehr</b> lädt ein &amp; grillt." + " Nachwort" * 60 + "</p>"
    shown = excerpt(text, "Feuerwehr")
    assert "Die Feuerwehr lädt ein & grillt." in shown
    assert "<" not in shown and len(shown) <= 210
    assert shown.startswith("… ") and shown.endswith(" …")


def test_highlighting_escapes_everything_else():
    marked = highlight("<b>Feuerwehrfest</b> & mehr", "feuerwehr")
    assert marked == "&lt;b&gt;<mark>Feuerwehrfest</mark>&lt;/b&gt; &amp; mehr"


def test_a_query_is_bounded_in_words_and_short_words_match_whole(in_town_a, client_a):
    from core.search import MAX_WORDS

    link = f'href="{content.article("Abendessen im Bürgerhaus").get_absolute_url()}"'
    assert link in client_a.get("/suche/", {"q": "Abe"}).content.decode()
    assert link not in client_a.get("/suche/", {"q": "Ab"}).content.decode()  # "ab:*" would match half the index
    # words beyond the first few aren't searched for (a long query costs PostgreSQL no more)
    assert link in client_a.get("/suche/", {"q": "Abend " * MAX_WORDS + "Zwiebel"}).content.decode()
