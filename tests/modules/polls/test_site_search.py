"""Polls and proposals in the site-wide search: a village's poll only for that village, never drafts,
link polls or hidden proposals."""

from __future__ import annotations

from modules.proposals.models import Proposal
from tests.helpers import TownClient, host_of, logged_in_client
from tests.modules.polls.factories import make_poll
from tests.modules.proposals.factories import make_proposal


def _finds(client, query: str, url: str) -> bool:
    return f'href="{url}"' in client.get("/suche/", {"q": query}).content.decode()


def test_a_village_poll_is_found_by_its_residents_only(town_a, villages, erna, sven):
    poll = make_poll(title="Dorfplatzgestaltung in Elkenroth", audience="ortsgemeinde",
                     ortsgemeinde_id=villages["e"].pk)

    assert _finds(logged_in_client(town_a, erna), "Dorfplatzgestaltung", poll.get_absolute_url())
    assert not _finds(logged_in_client(town_a, sven), "Dorfplatzgestaltung", poll.get_absolute_url())
    assert not _finds(TownClient(host_of(town_a)), "Dorfplatzgestaltung", poll.get_absolute_url())


def test_drafts_and_link_polls_are_never_found(town_a, in_town_a, erna):
    draft = make_poll(title="Geheimplanung Kirmes", publish=False)
    link = make_poll(title="Kirmesumfrage per Link", audience="link")
    client = logged_in_client(town_a, erna)

    assert not _finds(client, "Kirmes", draft.get_absolute_url())
    assert not _finds(client, "Kirmesumfrage", link.get_absolute_url())


def test_proposals_are_found_unless_the_moderators_hid_them(town_a, in_town_a, erna):
    shown = make_proposal(author=erna, title="Sitzbank am Wanderparkplatz")
    hidden = make_proposal(author=erna, title="Sitzbank am Sportplatz")
    Proposal.objects.filter(pk=hidden.pk).update(is_hidden=True)
    client = TownClient(host_of(town_a))

    assert _finds(client, "Sitzbank", shown.get_absolute_url())
    assert not _finds(client, "Sitzbank", hidden.get_absolute_url())


def test_a_receipt_cookie_of_one_town_means_nothing_in_another(town_a, town_b, in_town_a):
    from django.db import connection

    poll = make_poll(audience="link", allow_change=True)
    question = poll.questions.get()
    client_a = TownClient(host_of(town_a))
    client_a.post(poll.get_absolute_url(), {f"q_{question.pk}": question.options.first().pk})
    cookie = client_a.cookies[f"poll-{poll.key}"].value

    # The same key in town B, with town A's signed cookie: not taken for a vote there.
    connection.set_tenant(town_b)
    poll_b = make_poll(audience="link", allow_change=True)
    from modules.polls.models import Poll

    Poll.objects.filter(pk=poll_b.pk).update(key=poll.key)
    client_b = TownClient(host_of(town_b))
    client_b.cookies[f"poll-{poll.key}"] = cookie
    page = client_b.get(f"/polls/{poll.key}/").content.decode()

    assert cookie not in page and "Meine Stimme ändern" not in page and "<fieldset" in page
