"""The body is sanitised with nh3 when it is saved: what is stored is what is shown."""

from __future__ import annotations

from modules.news import services
from modules.news.models import Article
from tests.accounts.factories import town_admin

HOSTILE = (
    '<p onclick="steal()">Hallo <strong>Dorf</strong></p>'
    "<script>alert('xss')</script>"
    '<img src="x.png" onerror="alert(1)">'
    '<a href="javascript:alert(2)">klick</a>'
    '<a href="https://www.example.org/" onmouseover="x()" target="_blank" style="color:red">Infos</a>'
    '<a href="mailto:rathaus@example.org">Mail</a>'
    '<h2 style="position:fixed">Termine</h2><style>body{display:none}</style>'
    "<iframe src='https://evil.example/'></iframe><!-- Kommentar -->"
)


def test_article_create_stores_only_the_safe_subset(in_town_a):
    # when
    article = services.article_create(acting_user=town_admin(), title="Sicher", body=HOSTILE)

    # then: the stored row itself is clean, not just the rendered page
    body = Article.objects.get(pk=article.pk).body
    for forbidden in ("<script", "alert(", "onerror", "onclick", "onmouseover", "javascript:", "style", "<img",
                      "<iframe", "target=", "Kommentar", "display:none"):
        assert forbidden not in body, forbidden
    assert "<p>Hallo <strong>Dorf</strong></p>" in body
    assert '<a href="https://www.example.org/" rel="noopener noreferrer">Infos</a>' in body
    assert '<a href="mailto:rathaus@example.org" rel="noopener noreferrer">Mail</a>' in body
    assert "<h2>Termine</h2>" in body
    assert "klick" in body  # the text of a bad link stays, the link goes


def test_article_update_sanitises_again(in_town_a):
    # given
    admin = town_admin()
    article = services.article_create(acting_user=admin, title="Sicher", body="<p>ok</p>")

    # when
    services.article_update(
        article=article,
        acting_user=admin,
        data={"body": '<p>neu</p><a href="JaVaScRiPt:alert(1)">x</a><script>1</script>'},
    )

    # then
    body = Article.objects.get(pk=article.pk).body
    assert "script" not in body.lower()
    assert "<p>neu</p>" in body


def test_plain_text_becomes_escaped_paragraphs():
    assert services.body_sanitize("Erste Zeile\nzweite Zeile\n\nWenn a < b & c > d") == (
        "<p>Erste Zeile<br>zweite Zeile</p><p>Wenn a &lt; b &amp; c &gt; d</p>"
    )


def test_allowed_markup_survives_unchanged():
    html = "<h2>A</h2><h3>B</h3><ul><li>1</li></ul><ol><li>2</li></ol><blockquote><p><em>Zitat</em></p></blockquote>"
    assert services.body_sanitize(html) == html


def test_slug_transliterates_german_and_stays_unique(in_town_a):
    admin = town_admin()
    first = services.article_create(acting_user=admin, title="Straßenfest in Möhren: Übung der Öffentlichkeit")
    second = services.article_create(acting_user=admin, title="Straßenfest in Möhren: Übung der Öffentlichkeit")
    reserved = services.article_create(acting_user=admin, title="Feed")

    assert first.slug == "strassenfest-in-moehren-uebung-der-oeffentlichkeit"
    assert second.slug == first.slug + "-2"
    assert reserved.slug == "feed-2"
