"""Journey (Beteiligung): the Digitaler Rat takes up a referred proposal and its recommendation's fate is public.

The town referred Erna's bench proposal to the council. The town's admin prepares the council's next
meeting with the proposal on its agenda and a recommendation, and opens the vote; Maria, a member,
votes; the town closes the vote and records that the recommendation went to the Gemeinderat. A resident
follows the link from the proposal to the agenda and reads the recommendation's status.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.journeys.support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Dorfplatz-Linde-2026"  # the town admin's
RESIDENT_PASSWORD = "Fichtenweg-Sonne-42"  # UserFactory's
ADMIN_EMAIL = "rathaus@example.org"
MARIA = "maria@example.org"
BENCH = "Bank an der Bushaltestelle"


def _town(make_town, slug: str) -> None:
    from modules.council.models import Member
    from modules.proposals.models import Proposal, Status
    from tests.accounts.factories import UserFactory

    town = make_town(slug, "Verbandsgemeinde Ratsdorf", admin_email=ADMIN_EMAIL, admin_password=PASSWORD)
    with schema_context(town.schema_name):
        long_ago = timezone.now() - timedelta(days=60)
        maria = UserFactory(email=MARIA, name="Maria Weber", date_joined=long_ago)
        Member.objects.create(user=maria, name="Maria Weber", seat="für Elkenroth",
                              term_start=timezone.localdate() - timedelta(days=30))
        erna = UserFactory(email="erna@example.org", name="Erna Eiche", date_joined=long_ago)
        Proposal.objects.create(author=erna, title=BENCH, text="An der Haltestelle fehlt eine Bank.", threshold=10,
                                support_count=10, status=Status.REFERRED, answer="Wir geben ihn an den Rat.")


# On the phone only, like the other module stories (tests/journeys/test_participation.py says why).
@pytest.mark.parametrize("viewport", ["phone"])
def test_the_council_takes_up_a_proposal_and_everyone_sees_what_became_of_it(
    live_site, make_town, journey, open_page, viewport
):
    slug = f"ratsdorf-{viewport}"
    _town(make_town, slug)
    town_url = live_site.town(slug)
    starts = (timezone.localtime() + timedelta(days=7)).replace(hour=19, minute=0)

    # The town prepares the next meeting, with the proposal on its agenda and a recommendation to vote on
    town = open_page()
    sign_in(town, journey, town_url, ADMIN_EMAIL, PASSWORD, "town")
    town.goto(f"{town_url}council/manage/")
    journey.seen(town, "council-manage", screenshot=False)
    town.get_by_role("link", name="New meeting").click()
    town.get_by_label("Title").fill("4. Sitzung des Digitalen Rats")
    town.get_by_label("Begins").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    town.get_by_label("Place").fill("Jugendraum Elkenroth")
    journey.seen(town, "meeting-form", screenshot=False)
    town.get_by_role("button", name="Save").click()
    expect(town.get_by_role("main")).to_contain_text("The meeting is saved.")
    journey.seen(town, "meeting-manage", screenshot=False)
    agenda = town.get_by_role("region", name="Agenda")
    agenda.get_by_label("Proposal of residents").select_option(label=f"{BENCH} (Referred to the council)")
    agenda.get_by_role("button", name="Add to the agenda").click()
    expect(town.get_by_role("main")).to_contain_text("The item is on the agenda.")
    journey.seen(town, "agenda")
    recommendations = town.get_by_role("region", name="Recommendations")
    recommendations.get_by_label("Title").fill("Bank an der Haltestelle Ortsmitte")
    recommendations.get_by_label("Recommendation to the Gemeinderat").fill(
        "Der Digitale Rat empfiehlt, an der Haltestelle Ortsmitte eine überdachte Bank aufzustellen.")
    recommendations.get_by_label("Agenda item").select_option(label=BENCH)
    recommendations.get_by_role("button", name="Save as draft").click()
    expect(town.get_by_role("main")).to_contain_text("The recommendation is saved as a draft.")
    journey.seen(town, "recommendation-draft", screenshot=False)
    town.get_by_role("link", name="Bank an der Haltestelle Ortsmitte").click()
    town.get_by_role("button", name="Open the vote").click()
    expect(town.get_by_role("main")).to_contain_text("Voting is open")
    journey.seen(town, "vote-open", screenshot=False)

    # Maria, a member, votes
    maria = open_page()
    sign_in(maria, journey, town_url, MARIA, RESIDENT_PASSWORD, "maria")
    maria.goto(town.url.replace("/manage/", "/"))  # the link members get from the town (saves a page here)
    maria.get_by_role("group", name="Your vote").get_by_label("Yes").check()
    journey.seen(maria, "vote")
    maria.get_by_role("button", name="Cast my vote").click()
    expect(maria.get_by_role("main")).to_contain_text("Your vote is counted.")
    journey.seen(maria, "voted", screenshot=False)

    # The town closes the vote and records what became of the recommendation
    town.get_by_role("button", name="Close the vote and publish the result").click()
    expect(town.get_by_role("main")).to_contain_text("the result is public")
    journey.seen(town, "vote-closed", screenshot=False)
    town.get_by_role("group", name="What happened").get_by_label("Passed to the Gemeinderat").check()
    town.get_by_label("Explanation for residents").fill("Der Ortsgemeinderat Elkenroth berät sie im Februar.")
    town.get_by_role("button", name="Publish").click()
    expect(town.get_by_role("main")).to_contain_text("The follow-up is published.")
    journey.seen(town, "follow-up")

    # A resident follows the proposal to the council's agenda and reads the recommendation's status
    resident = open_page()
    resident.goto(f"{town_url}proposals/{_proposal_pk(slug)}/")
    journey.seen(resident, "proposal")
    resident.get_by_role("region", name="On the council's agenda").get_by_role("link").click()
    expect(resident.get_by_role("main")).to_contain_text("Jugendraum Elkenroth")
    journey.seen(resident, "meeting", screenshot=False)
    resident.get_by_role("link", name="Bank an der Haltestelle Ortsmitte").click()
    expect(resident.get_by_role("main")).to_contain_text("Passed to the Gemeinderat")
    expect(resident.get_by_role("main")).to_contain_text("1 yes, 0 no, 0 abstained")
    expect(resident.get_by_role("main")).to_contain_text("Der Ortsgemeinderat Elkenroth berät sie im Februar.")
    journey.seen(resident, "recommendation")


def _proposal_pk(slug: str) -> int:
    from modules.proposals.models import Proposal
    from tenants.models import Municipality

    with schema_context(Municipality.objects.get(slug=slug).schema_name):
        return Proposal.objects.get(title=BENCH).pk
