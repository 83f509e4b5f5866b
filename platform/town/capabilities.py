"""Capabilities the town app consumes: what modules add to its pages.

    from town.capabilities import OrganisationSection

    provides=(OrganisationSection(render="modules.news.views.organisation_news_section"),)
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from core.capabilities import Capability, Fragment, Ref


@dataclass(frozen=True)
class OrganisationSection(Fragment):
    """A section of a club's or institution's public page (its latest news, its next events ...).

    ``render(request, organisation)`` returns HTML or "" (nothing to show); a fixed number of queries.
    """


@dataclass(frozen=True)
class WeekPost:
    """One line of an organisation's week text: a news post it published or a date it invites to."""

    when: datetime.datetime | datetime.date  # published at (news) or starts at (a date)
    title: str
    text: str  # plain text; the week text shortens it
    path: str  # the page on the town's site
    coming: bool  # True: a date ahead; False: something published in the last days


@dataclass(frozen=True)
class OrganisationWeekPosts(Capability):
    """An organisation's posts of the last days and dates of the coming days, for its "Wochentext": one plain
    text its editors paste into the club's messenger group (the platform sends nothing itself).

    ``items(organisation_id, start, end)`` returns the organisation's public WeekPosts between `start` and
    `end` (aware datetimes), in a fixed number of queries.
    """

    items: Ref
    order: int = 100


@dataclass(frozen=True)
class CockpitSection(Fragment):
    """A section of the town admin's adoption cockpit (what the Digitallotsen did, ...): counts only, never names.

    ``render(request)`` returns HTML or "" (nothing to show); a fixed number of queries.
    """
