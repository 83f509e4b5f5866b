"""Journey (Beteiligung): a poll for one village, and a proposal that reaches its threshold.

The town publishes a poll for the residents of Elkenroth. Erna, who lives there, votes and, once
the town has closed the poll, reads the results; Karl in Kausen may read the poll but not vote.
Erna then proposes a bench at the bus stop; neighbours support it (eight in the database, Bernd
in his browser) until the threshold is reached; the town answers in public and Bernd reads it.
"""

from __future__ import annotations

import re
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
ERNA, KARL, BERND = "erna@example.org", "karl@example.org", "bernd@example.org"
POLL = "Was soll auf den Dorfplatz?"


def _town(make_town, slug: str) -> None:
    from tests.accounts.factories import OrtsgemeindeFactory, UserFactory
    from town.models import ResidentProfile

    town = make_town(slug, "Verbandsgemeinde Lindental", admin_email=ADMIN_EMAIL, admin_password=PASSWORD)
    with schema_context(town.schema_name):
        elkenroth = OrtsgemeindeFactory(name="Elkenroth", slug="elkenroth")
        kausen = OrtsgemeindeFactory(name="Kausen", slug="kausen")
        long_ago = timezone.now() - timedelta(days=60)
        for email, name, village in ((ERNA, "Erna Eiche", elkenroth), (KARL, "Karl Kausen", kausen),
                                     (BERND, "Bernd Buche", elkenroth)):
            user = UserFactory(email=email, name=name, date_joined=long_ago)
            ResidentProfile.objects.update_or_create(user=user, defaults={"ortsgemeinde": village})


def _supporters_in_the_database(slug: str, count: int) -> None:
    from modules.proposals.models import Proposal
    from modules.proposals.services import support_add
    from tenants.models import Municipality
    from tests.accounts.factories import UserFactory

    town = Municipality.objects.get(slug=slug)
    with schema_context(town.schema_name):
        proposal = Proposal.objects.get(title="Bank an der Bushaltestelle")
        for number in range(count):
            support_add(proposal=proposal, acting_user=UserFactory(email=f"nachbar{number}@example.org"))


# On the phone only: this is a module's story, and most residents come by phone. Both viewports run
# for the platform's main paths (registration, publishing, signup, Nahversorgung), so the journeys
# folder stays within the test-time budget while every page here still passes axe and reflow.
@pytest.mark.parametrize("viewport", ["phone"])
def test_a_village_poll_and_a_proposal_answered_in_public(live_site, make_town, journey, open_page, viewport):
    slug = f"lindental-{viewport}"
    _town(make_town, slug)
    town_url = live_site.town(slug)
    now = timezone.localtime()

    # The town sets up the poll for Elkenroth and publishes it
    town = open_page()
    sign_in(town, journey, town_url, ADMIN_EMAIL, PASSWORD, "town")
    town.goto(f"{town_url}polls/manage/polls/")
    journey.seen(town, "polls-manage")
    town.get_by_role("link", name="New poll").click()
    town.get_by_label("Title").fill("Der neue Dorfplatz")
    town.get_by_role("group", name="Who may vote").get_by_label("Residents of one Ortsgemeinde").check()
    town.get_by_label("Ortsgemeinde", exact=True).select_option(label="Elkenroth")
    town.get_by_label("Opens at").fill((now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    town.get_by_label("Closes at").fill((now + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"))
    town.get_by_label("Question 1", exact=True).fill(POLL)
    town.get_by_label("Kind of answer for question 1").select_option(label="Multiple choice")
    town.get_by_label("Options for question 1 (one per line)").fill("Bänke\nBäume\nBrunnen")
    journey.seen(town, "poll-form")
    town.get_by_role("button", name="Save").click()
    expect(town.get_by_role("heading", level=1)).to_have_text("Edit poll")
    town.get_by_role("button", name="Publish poll").click()
    expect(town.get_by_role("main")).to_contain_text("The poll is published.")
    journey.seen(town, "poll-published")

    # Erna in Elkenroth votes
    erna = open_page()
    sign_in(erna, journey, town_url, ERNA, RESIDENT_PASSWORD, "erna")
    erna.goto(f"{town_url}polls/")
    expect(erna.get_by_role("heading", level=1)).to_have_text("Polls")
    journey.seen(erna, "poll-list")
    erna.get_by_role("link", name="Der neue Dorfplatz").click()
    choices = erna.get_by_role("group", name=POLL)
    choices.get_by_label("Bänke").check()
    choices.get_by_label("Brunnen").check()
    journey.seen(erna, "vote")
    erna.get_by_role("button", name="Vote", exact=True).click()
    expect(erna.get_by_role("main")).to_contain_text("You have voted in this poll.")
    journey.seen(erna, "voted")

    # Karl in Kausen may read the poll but not vote
    karl = open_page()
    sign_in(karl, journey, town_url, KARL, RESIDENT_PASSWORD, "karl")
    karl.goto(erna.url)
    expect(karl.get_by_role("main")).to_contain_text("Only residents of Elkenroth can vote in this poll.")
    expect(karl.get_by_role("button", name="Vote", exact=True)).to_have_count(0)
    journey.seen(karl, "not-his-village")

    # The town closes the poll; Erna reads the result
    town.get_by_role("button", name="Close poll now").click()
    expect(town.get_by_role("main")).to_contain_text("The poll is closed.")
    journey.seen(town, "poll-closed")
    erna.reload()
    journey.seen(erna, "poll-after-closing", screenshot=False)
    erna.get_by_role("link", name="See the results").click()
    expect(erna.get_by_role("heading", level=1)).to_contain_text("Results")
    expect(erna.get_by_role("main")).to_contain_text("Final result.")
    expect(erna.get_by_role("main")).to_contain_text("1 vote (100 %)")
    journey.seen(erna, "results")

    # Erna proposes a bench at the bus stop
    erna.goto(f"{town_url}proposals/")
    journey.seen(erna, "proposals")
    erna.get_by_role("link", name="Make a proposal").click()
    erna.get_by_label("Title").fill("Bank an der Bushaltestelle")
    erna.get_by_label("Your proposal").fill("An der Haltestelle Ortsmitte fehlt eine Bank für die Wartenden.")
    erna.get_by_label("Where").select_option(label="Elkenroth")
    journey.seen(erna, "propose")
    erna.get_by_role("button", name="Publish proposal").click()
    expect(erna.get_by_role("main")).to_contain_text("It needs 10 supporters")
    journey.seen(erna, "proposed")
    proposal_url = erna.url

    # Eight neighbours support it; Bernd's support in his browser is the ninth, and one more the tenth
    _supporters_in_the_database(slug, 8)
    bernd = open_page()
    sign_in(bernd, journey, town_url, BERND, RESIDENT_PASSWORD, "bernd")
    bernd.goto(proposal_url)
    expect(bernd.get_by_role("main")).to_contain_text("8 of 10 supporters")
    journey.seen(bernd, "proposal")
    bernd.get_by_role("button", name="Support this proposal").click()
    expect(bernd.get_by_role("main")).to_contain_text("You support this proposal.")
    journey.seen(bernd, "supported")
    _tenth_supporter(slug)

    # The town answers in public
    town.goto(f"{town_url}proposals/manage/")
    expect(town.get_by_role("row", name=re.compile("Bank an der Bushaltestelle"))).to_contain_text("Waiting for")
    journey.seen(town, "proposals-manage")
    town.get_by_role("link", name="Bank an der Bushaltestelle").click()
    town.get_by_role("group", name="Your decision").get_by_label("Accepted").check()
    town.get_by_label("Your answer to the residents").fill("Angenommen: Der Bauhof stellt im Mai eine Bank auf.")
    journey.seen(town, "answer")
    town.get_by_role("button", name="Publish answer").click()
    expect(town.get_by_role("main")).to_contain_text("Your answer is published")
    journey.seen(town, "answered")

    # Bernd, a supporter, reads the answer
    bernd.reload()
    answer = bernd.get_by_role("region", name="The town's answer")
    expect(answer).to_contain_text("Der Bauhof stellt im Mai eine Bank auf.")
    expect(answer).to_contain_text("Accepted")
    journey.seen(bernd, "answer-read")


def _tenth_supporter(slug: str) -> None:
    from modules.proposals.models import Proposal, Status
    from modules.proposals.services import support_add
    from tenants.models import Municipality
    from tests.accounts.factories import UserFactory

    with schema_context(Municipality.objects.get(slug=slug).schema_name):
        proposal = Proposal.objects.get(title="Bank an der Bushaltestelle")
        support_add(proposal=proposal, acting_user=UserFactory(email="zehnte@example.org"))
        assert Proposal.objects.get(pk=proposal.pk).status == Status.AWAITING
