"""Every module's list page, feed and API list costs a fixed number of SQL statements: 5 rows or 30.

A visitor opens the Pinnwand, the Branchenbuch, Suche & Biete ... with a handful of entries and
again after many more were added: the count of statements (without django-tenants'
`SET search_path`) must be the same, and within the page's budget. 30 rows are more than a
page (20) for the paged lists, so a COUNT or an N+1 over the shown rows would show up as growth.
Pages are rendered on every request here (`pages_rendered`): the visitor and resident page caches
would otherwise answer with no statements at all, and a count straddling their minute would differ.

The budget of a request is the module's own statements (PAGES) plus what the platform reads for
every request (PLATFORM, PLATFORM_HTML_EXTRA). When the platform's per-town caching lands, lower
PLATFORM*, and take the Ortsgemeinden list and the resident's village out of the pages' own numbers
where those pages read them (ortsgemeinde_list, user_ortsgemeinde_id).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.helpers import TownClient, host_of, logged_in_client, sql_statements
from tests.town.factories import OrtsgemeindeFactory

FEW, MANY = 5, 30

# What the platform reads on every request today, outside the module: nothing for an anonymous visitor
# (town, profile, module switches are cached); for a resident the session and the user, and on HTML pages
# the navigation's two editor checks. Lower these when those reads are cached; every budget follows.
PLATFORM = {"anonymous": 0, "resident": 2}
PLATFORM_HTML_EXTRA = {"anonymous": 0, "resident": 2}


def _board(n: int, who: Any, place: Any) -> None:
    from tests.modules.board.factories import posts_bulk

    posts_bulk(who, n)  # town-wide: anonymous visitors see them too


def _directory(n: int, who: Any, place: Any) -> None:
    from modules.directory.models import Business, BusinessCategory, BusinessStatus
    from town.models import Organisation, OrganisationKind

    category = BusinessCategory.objects.first()
    start = Business.objects.count()
    firms = Organisation.objects.bulk_create(
        Organisation(name=f"Betrieb {start + i}", slug=f"betrieb-{start + i}", kind=OrganisationKind.BUSINESS)
        for i in range(n)
    )
    made = Business.objects.bulk_create(
        Business(organisation=firm, name=firm.name, slug=firm.slug, applicant=who, ortsgemeinde=place,
                 status=BusinessStatus.APPROVED, is_published=True, latitude=50.7 + i / 1000, longitude=7.8)
        for i, firm in enumerate(firms)
    )
    Business.categories.through.objects.bulk_create(
        Business.categories.through(business=business, businesscategory=category) for business in made
    )


def _marketplace(n: int, who: Any, place: Any) -> None:
    from modules.marketplace.models import Category, Listing, ListingKind, ListingType, PriceMode

    category = Category.objects.first()
    Listing.objects.bulk_create(
        Listing(kind=ListingKind.OFFER, listing_type=ListingType.SELL, title=f"Fahrrad {i}", description="Gut.",
                category=category, price_mode=PriceMode.FIXED, price_cents=100 * i, ortsgemeinde=place, owner=who,
                expires_at=timezone.now() + timedelta(days=30))
        for i in range(n)
    )


def _errands(n: int, who: Any, place: Any) -> None:
    from tests.modules.errands.factories import ErrandFactory

    for _ in range(n):
        ErrandFactory(requester=UserFactory(ortsgemeinde=place))


def _groups(n: int, who: Any, place: Any) -> None:
    from tests.modules.groups.factories import GroupFactory

    for _ in range(n):
        GroupFactory(admin=who)


def _events(n: int, who: Any, place: Any) -> None:
    from tests.modules.events.factories import EventFactory, in_days

    for i in range(n):
        EventFactory(title=f"Fest {i}", starts_at=in_days(1 + i % 20, 18))


def _reports(n: int, who: Any, place: Any) -> None:
    from modules.reports.models import Category
    from tests.modules.reports.factories import bulk_reports

    bulk_reports(category=Category.objects.first(), count=n)


def _proposals(n: int, who: Any, place: Any) -> None:
    from tests.modules.proposals.factories import make_proposal

    for i in range(n):
        make_proposal(author=who, title=f"Vorschlag {i}")


def _found(n: int, who: Any, place: Any) -> None:
    from tests.modules.services.factories import FoundItemFactory

    for i in range(n):
        FoundItemFactory(title=f"Schlüssel {i}")


def _notices(n: int, who: Any, place: Any) -> None:
    from tests.modules.alerts.factories import NoticeFactory

    NoticeFactory.create_batch(n)


def _rides(n: int, who: Any, place: Any) -> None:
    from tests.modules.rides.factories import RideFactory, StopFactory

    start = StopFactory(name=f"Dorfplatz {n}", ortsgemeinde=place, latitude=50.75, longitude=7.87)
    bench = StopFactory(name=f"Bank {n}", kind="bench", is_bench=True, ortsgemeinde=place, latitude=50.78,
                        longitude=7.95)
    for _ in range(n):
        RideFactory(person=who, from_stop=start, to_stop=bench)


def _services(n: int, who: Any, place: Any) -> None:
    from tests.modules.services.factories import ServiceFactory

    for i in range(n):
        ServiceFactory(title=f"Leistung {i} {n}")


def _polls(n: int, who: Any, place: Any) -> None:
    from tests.modules.polls.factories import make_poll

    for i in range(n):
        make_poll(title=f"Umfrage {i} {n}")


def _nothing(n: int, who: Any, place: Any) -> None:
    """Pages whose rows another module's test seeds: checked against their budget only."""


Seeder = Callable[[int, Any, Any], None]

# path -> (rows to add, the module's own statements for an anonymous visitor, for a resident). "Own" counts
# everything but PLATFORM below, including the reads of the town's Ortsgemeinden list and of the resident's
# village (ortsgemeinde_list, user_ortsgemeinde_id): the platform's per-town caching takes those off later.
PAGES: dict[str, tuple[Seeder, int, int]] = {
    "/board/": (_board, 2, 4),
    "/api/v1/board/posts/": (_board, 3, 4),
    "/api/v1/board/topics/": (_nothing, 0, 0),
    "/directory/": (_directory, 2, 3),
    "/api/v1/directory/businesses/": (_directory, 6, 6),
    "/marketplace/": (_marketplace, 4, 4),
    "/api/v1/marketplace/listings/": (_marketplace, 3, 3),
    "/errands/": (_errands, 3, 5),
    "/api/v1/errands/requests/": (_errands, 2, 4),
    "/groups/": (_groups, 2, 3),
    "/api/v1/groups/groups/": (_groups, 2, 2),
    "/events/": (_events, 2, 2),
    "/events/feed/rss/": (_events, 1, 1),
    "/api/v1/events/occurrences/": (_events, 1, 1),
    "/reports/": (_reports, 1, 1),
    "/open311/v2/requests.json": (_reports, 2, 2),
    "/open311/v2/services.json": (_nothing, 0, 0),
    "/proposals/": (_proposals, 1, 1),
    "/services/": (_services, 1, 1),
    "/api/v1/services/services/": (_services, 2, 2),
    "/services/fundbuero/": (_found, 1, 1),
    "/alerts/": (_notices, 4, 5),
    "/alerts/feed/rss/": (_notices, 1, 1),
    "/rides/": (_rides, 2, 2),
    "/rides/bank/": (_rides, 1, 1),
    "/rides/stops/": (_rides, 2, 2),
    "/api/v1/rides/offers/": (_rides, 1, 1),
    "/api/v1/rides/stops/": (_rides, 2, 2),
    "/polls/": (_polls, 1, 2),
    "/waste/": (_nothing, 0, 1),  # 3 and 4 before: the street picker is cached
    "/api/v1/waste/areas/": (_nothing, 1, 1),
    "/council/": (_nothing, 5, 5),  # 6 and 7 before: one UNION for both meeting lists, members say who is in
    "/lotsen/": (_nothing, 2, 3),
    "/mitteilungsblatt/": (_nothing, 1, 2),
}


def _count(client: TownClient, path: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    statements = sql_statements(captured)
    return len(statements), statements


@pytest.mark.parametrize("who", ["anonymous", "resident"])
@pytest.mark.parametrize("path", list(PAGES))
def test_a_list_page_costs_the_same_statements_for_few_and_many_rows(town_a, in_town_a, path, who, request,
                                                                     record_property, pages_rendered):
    # given
    if path.startswith(("/directory/", "/api/v1/directory/")):
        request.getfixturevalue("steady_minute")  # "open now" is cached per minute: count within one minute
    seed, anonymous_budget, resident_budget = PAGES[path]
    place = OrtsgemeindeFactory(name="Xanten-Au", slug="xanten-au")
    author = UserFactory(email="autorin@example.org", ortsgemeinde=place)
    reader = UserFactory(email="leser@example.org", ortsgemeinde=place)
    client = logged_in_client(town_a, reader) if who == "resident" else TownClient(host_of(town_a))
    seed(FEW, author, place)
    client.get(path)  # warms the caches (town, profile, module switches) as in production
    few, few_sql = _count(client, path)

    # when
    seed(MANY - FEW, author, place)
    client.get(path)  # the first visit after a change refills what the change dropped from the cache
    many, many_sql = _count(client, path)

    # then
    html = not path.startswith(("/api/", "/open311/")) and "/feed/" not in path
    own = anonymous_budget if who == "anonymous" else resident_budget
    budget = own + PLATFORM[who] + (PLATFORM_HTML_EXTRA[who] if html else 0)
    record_property("statements", f"{path} {who}: {few} with {FEW} rows, {many} with {MANY}")
    print(f"\nQUERIES {path} {who}: {few} with {FEW} rows, {many} with {MANY}")
    for sql in many_sql:
        print("   ", sql[:300])
    assert few == many, "\n".join(many_sql)
    assert many <= budget, "\n".join(many_sql)


def test_a_filter_choice_the_town_adds_shows_on_the_next_visit(town_a, in_town_a):
    # given: the Branchenbuch's categories and the Pinnwand's topics are cached after a first visit
    from modules.board.models import Topic
    from modules.directory.models import BusinessCategory

    client = TownClient(host_of(town_a))
    client.get("/directory/")
    client.get("/board/")

    # when
    BusinessCategory.objects.create(name="Schmiede", slug="schmiede")
    topic = Topic.objects.order_by("pk").first()
    topic.name = "Dorfplausch"
    topic.save()

    # then
    assert "Schmiede" in client.get("/directory/").content.decode()
    assert "Dorfplausch" in client.get("/board/").content.decode()
