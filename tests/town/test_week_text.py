"""Wochentext: an organisation's editors get its news of the last week and its coming dates as one text to
paste into their WhatsApp group; nobody else gets it, and nothing is sent by the platform."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
from django.utils import timezone

from tests.accounts.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.helpers import host_of, logged_in_client
from tests.modules.events.factories import EventFactory, in_days
from tests.modules.news.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return unescape(re.search(r'<textarea id="week-text"[^>]*>(.*?)</textarea>', html, re.S).group(1)).strip()


def test_an_editor_copies_the_week_of_their_club_as_one_text(town_a, in_town_a):
    club = OrganisationFactory(name="Sportverein Elkenroth", slug="sv-elkenroth")
    editor = MembershipFactory(organisation=club).user
    article = ArticleFactory(title="Neue Trikots", teaser="Die Jugend spielt ab jetzt in Blau.", organisation=club,
                             acting_user=editor)
    old = ArticleFactory(title="Alte Nachricht", organisation=club, acting_user=editor)
    type(old).objects.filter(pk=old.pk).update(publish_at=timezone.now() - datetime.timedelta(days=9))
    ArticleFactory(title="Nachricht eines anderen Vereins")
    event = EventFactory(title="Heimspiel gegen Nauroth", organisation=club, starts_at=in_days(2, 15),
                         ends_at=in_days(2, 17), acting_user=editor)
    EventFactory(title="Spiel in drei Wochen", organisation=club, starts_at=in_days(21, 15), ends_at=in_days(21, 17),
                 acting_user=editor)
    origin = f"http://{host_of(town_a)}"

    response = logged_in_client(town_a, editor).get("/backoffice/organisationen/sv-elkenroth/wochentext/")

    assert response.status_code == 200
    text = _text(response.content.decode())
    assert text.startswith("Sportverein Elkenroth – unsere Woche")
    assert "Neu:\n• " in text and ": Neue Trikots\n  Die Jugend spielt ab jetzt in Blau.\n" in text
    assert f"  {origin}{article.get_absolute_url()}" in text
    assert "Termine:\n• " in text and ", 15:00: Heimspiel gegen Nauroth\n" in text
    assert f"  {origin}{event.get_absolute_url()}" in text
    for elsewhere in ("Alte Nachricht", "Nachricht eines anderen Vereins", "Spiel in drei Wochen"):
        assert elsewhere not in text


def test_only_the_clubs_editors_and_the_town_hall_get_the_week_text(town_a, in_town_a, admin_client_a):
    OrganisationFactory(name="Musikverein", slug="musikverein")
    stranger = logged_in_client(town_a, UserFactory())

    assert stranger.get("/backoffice/organisationen/musikverein/wochentext/").status_code == 403
    empty = admin_client_a.get("/backoffice/organisationen/musikverein/wochentext/")
    assert empty.status_code == 200 and "Der Text hat nur seine Überschrift" in empty.content.decode()
    assert admin_client_a.get("/backoffice/organisationen/gibt-es-nicht/wochentext/").status_code == 404
