"""Journey (Kommunikation): a neighbour's post, a report, and the town's own moderators.

Anna posts on the Pinnwand for Elkenroth. Bernd, who lives in Elkenroth too, finds
it in his home feed and gets an in-app notification; Karl in Kausen sees neither.
Bernd reports the post; the town's moderator hides it with a statement of reasons;
Anna is notified and reads the statement, with the right to object. Five browsers,
each with its own cookies; the notifications travel through the real Celery worker.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.journeys.support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.celery, pytest.mark.django_db(transaction=True)]

PASSWORD = "Fichtenweg-Sonne-42"
ADMIN_EMAIL = "rathaus@example.org"
ANNA, BERND, KARL, MONI = "anna@example.org", "bernd@example.org", "karl@example.org", "moni@example.org"
POST = "Wer hat meinen Rasenmäher? Er stand gestern noch vor der Garage in der Hauptstraße."


def _town(make_town, slug: str) -> None:
    """Two villages: Anna and Bernd live in Elkenroth, Karl in Kausen; Moni moderates."""
    from accounts.models import Role
    from tests.accounts.factories import OrtsgemeindeFactory, UserFactory
    from tests.modules.notifications.factories import TopicPreferenceFactory
    from town.models import ResidentProfile

    town = make_town(slug, "Verbandsgemeinde Sonnental", admin_email=ADMIN_EMAIL, admin_password=PASSWORD)
    with schema_context(town.schema_name):
        elkenroth = OrtsgemeindeFactory(name="Elkenroth", slug="elkenroth")
        kausen = OrtsgemeindeFactory(name="Kausen", slug="kausen")
        # Older accounts: the limits for brand-new accounts are not what this journey is about.
        long_ago = timezone.now() - timedelta(days=60)
        for email, name, village, role in (
            (ANNA, "Anna Amsel", elkenroth, Role.RESIDENT),
            (BERND, "Bernd Buche", elkenroth, Role.RESIDENT),
            (KARL, "Karl Kausen", kausen, Role.RESIDENT),
            (MONI, "Moni Moderatorin", kausen, Role.MODERATOR),
        ):
            user = UserFactory(email=email, name=name, role=role, date_joined=long_ago)
            ResidentProfile.objects.create(user=user, ortsgemeinde=village)
            if email == BERND:
                # The Pinnwand is opt-in (issue 11's defaults): Bernd chose to hear of his village's posts.
                TopicPreferenceFactory(user=user, topic="board.posts", enabled=True)


def _notifications_badge(page):
    return page.get_by_role("link", name=re.compile(r"^Notifications"))


# Phone only: the desktop layout is covered by the main paths that run in both viewports (registration,
# publishing, signup, a business buying a featured entry); this keeps the suite under its 20 minutes.
@pytest.mark.parametrize("viewport", ["phone"])
def test_a_post_reaches_the_village_is_reported_and_hidden_with_reasons(
    live_site, make_town, journey, open_page, viewport, celery_worker
):
    slug = f"sonnental-board-{viewport}"
    _town(make_town, slug)
    town_url = live_site.town(slug)

    # Anna writes on the Pinnwand, for her village only
    anna = open_page()
    sign_in(anna, journey, town_url, ANNA, PASSWORD, "anna")
    anna.get_by_role("navigation", name="Main").get_by_role("link", name="Pinnwand").click()
    expect(anna.get_by_role("heading", level=1)).to_have_text("Pinnwand")
    journey.seen(anna, "board")
    anna.get_by_role("link", name="Write a post").click()
    expect(anna.get_by_role("heading", level=1)).to_have_text("Write a post")
    anna.get_by_label("Topic").select_option(label="Fundsachen")
    anna.get_by_label("Your post").fill(POST)
    anna.get_by_role("group", name=re.compile("Who should see it")).get_by_label("Residents of Elkenroth").check()
    journey.seen(anna, "write")
    anna.get_by_role("button", name="Publish post").click()
    expect(anna.get_by_role("main")).to_contain_text("Rasenmäher")
    journey.seen(anna, "posted")

    # Bernd, also in Elkenroth, finds it in his home feed and has a notification about it
    bernd = open_page()
    sign_in(bernd, journey, town_url, BERND, PASSWORD, "bernd")
    feed = bernd.get_by_role("region", name="New in your village")
    expect(feed).to_contain_text("Rasenmäher")
    for _attempt in range(40):  # the worker delivers the notification within moments; reload until then
        if "unread" in (_notifications_badge(bernd).text_content() or ""):
            break
        bernd.wait_for_timeout(500)
        bernd.reload()
    expect(_notifications_badge(bernd)).to_contain_text("unread")
    journey.seen(bernd, "home-feed")
    _notifications_badge(bernd).click()
    expect(bernd.get_by_role("heading", level=1)).to_have_text("Notifications")
    expect(bernd.get_by_role("main")).to_contain_text("Fundsachen")
    journey.seen(bernd, "notifications")

    # Karl in Kausen sees neither the post nor a notification
    karl = open_page()
    sign_in(karl, journey, town_url, KARL, PASSWORD, "karl")
    expect(karl.get_by_role("main")).not_to_contain_text("Rasenmäher")
    expect(_notifications_badge(karl)).not_to_contain_text("unread")
    karl.get_by_role("navigation", name="Main").get_by_role("link", name="Pinnwand").click()
    expect(karl.get_by_role("heading", level=1)).to_have_text("Pinnwand")
    expect(karl.get_by_role("main")).not_to_contain_text("Rasenmäher")
    journey.seen(karl, "board-kausen")

    # Bernd reports the post
    bernd.goto(town_url)
    journey.seen(bernd, "home-again", screenshot=False)
    bernd.get_by_role("region", name="New in your village").get_by_role("link", name=re.compile("Rasenmäher")).click()
    expect(bernd.get_by_role("main")).to_contain_text("Rasenmäher")
    journey.seen(bernd, "post")
    bernd.get_by_role("link", name="Report this post").click()
    expect(bernd.get_by_role("heading", level=1)).to_have_text("Report content")
    journey.seen(bernd, "report")
    bernd.get_by_role("group", name=re.compile("What is wrong with it")).get_by_label("False information").check()
    bernd.get_by_label("Please explain").fill("Der Rasenmäher gehört der Gemeinde, das ist eine Falschmeldung.")
    bernd.get_by_role("button", name="Send report").click()
    expect(bernd.get_by_role("status").first).to_be_visible()
    journey.seen(bernd, "reported")

    # Moni works the town's moderation queue and hides the post, with reasons
    moni = open_page()
    sign_in(moni, journey, town_url, MONI, PASSWORD, "moni")
    moni.get_by_role("navigation", name="Your account").get_by_role("link", name="Back office").click()
    journey.seen(moni, "back-office", screenshot=False)
    moni.get_by_role("navigation", name="Back office").get_by_role("link", name="Moderation queue").click()
    expect(moni.get_by_role("heading", level=1)).to_have_text("Moderation queue")
    journey.seen(moni, "queue")
    moni.get_by_role("link", name=re.compile("Rasenmäher")).click()
    expect(moni.get_by_role("main")).to_contain_text("Falschmeldung")
    journey.seen(moni, "case")
    moni.get_by_label("Hide the content").check()
    moni.get_by_label("Facts and circumstances").fill("Der Beitrag behauptet einen Diebstahl, der nicht stattfand.")
    moni.get_by_label("Ground for the decision").select_option(label="Against the town's terms of use")
    moni.get_by_label("Provision of the law or term of use").fill("Nutzungsregeln Nr. 3: keine falschen Behauptungen")
    moni.get_by_role("button", name="Decide").click()
    expect(moni.get_by_role("status").first).to_be_visible()
    journey.seen(moni, "decided")

    # Bernd's feed no longer shows it; Anna is told why and may object
    bernd.goto(town_url)
    expect(bernd.get_by_role("main")).not_to_contain_text("Rasenmäher")
    journey.seen(bernd, "home-after")
    anna.goto(town_url)
    for _attempt in range(40):
        if "unread" in (_notifications_badge(anna).text_content() or ""):
            break
        anna.wait_for_timeout(500)
        anna.reload()
    journey.seen(anna, "home-after", screenshot=False)
    _notifications_badge(anna).click()
    expect(anna.get_by_role("heading", level=1)).to_have_text("Notifications")
    journey.seen(anna, "notifications")
    anna.get_by_role("main").get_by_role("link").filter(has_text=re.compile("moderat", re.I)).first.click()
    expect(anna.get_by_role("heading", name="Statement of reasons")).to_be_visible()
    expect(anna.get_by_role("main")).to_contain_text("Diebstahl")
    expect(anna.get_by_role("heading", name="Object to this decision")).to_be_visible()
    journey.seen(anna, "statement")
