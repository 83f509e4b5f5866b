"""The demo town's polls and proposals: made once, with the people of demo.data; loading again adds nothing."""

from __future__ import annotations

from demo.data import PEOPLE, email_of
from modules.polls import demo as polls_demo
from modules.polls.models import Ballot, Participation, Poll
from modules.polls.selectors import poll_results
from modules.proposals import demo as proposals_demo
from modules.proposals.models import Proposal
from tests.accounts.factories import UserFactory
from tests.town.factories import OrtsgemeindeFactory


def test_demo_polls_and_proposals_are_loaded_once(in_town_a):
    places = {slug: OrtsgemeindeFactory(name=slug.title(), slug=slug)
              for slug in ("elkenroth", "gebhardshain", "steinebach-sieg", "fensdorf")}
    for local, (name, _role, place, _orgs) in PEOPLE.items():
        UserFactory(email=email_of(local), name=name, ortsgemeinde=places.get(place))

    assert polls_demo.load() > 0 and proposals_demo.load() > 0
    assert polls_demo.load() == 0 and proposals_demo.load() == 0

    closed = Poll.objects.get(title=polls_demo.BUERGERBUERO)
    assert closed.is_closed() and Ballot.objects.filter(poll=closed).count() == Participation.objects.count() == 10
    assert poll_results(poll=closed).questions[0].rows[0].count == 5
    assert Poll.objects.get(title=polls_demo.DORFPLATZ).ortsgemeinde == places["elkenroth"]
    bench = Proposal.objects.get(title="Bank an der Bushaltestelle")
    assert (bench.support_count, bench.threshold, bench.supports.count()) == (8, 10, 8)
    assert Proposal.objects.get(title="Blühwiese am Friedhof").steps.count() == 3
